import pytest
from django.utils import timezone

from catalogue.permissions import maintainers_group
from tests.factories import ServiceAreaFactory, ServiceFactory, UserFactory


@pytest.fixture
def maintainer(db):
    """Staff in the catalogue maintainers' group."""
    user = UserFactory(username="maintainer")
    user.groups.add(maintainers_group())
    return user


@pytest.fixture
def staff(db):
    """Any logged-in staff member, not a maintainer."""
    return UserFactory(username="staff")


@pytest.fixture
def everyday_catalogue(db):
    """A small catalogue written the way customers and staff talk."""
    money = ServiceAreaFactory(code="money", name_fi="Raha-asiat", name_en="Money matters")
    people = ServiceAreaFactory(code="people", name_fi="Henkilöstö", name_en="Staff")
    city = ServiceAreaFactory(code="city", name_fi="Kaupunkiympäristö", name_en="Urban environment")
    rows = [
        ("palkanmaksu", money, "Palkanmaksu", "Löneutbetalning", "Salary payment",
         "palkka, palkkalaskelma, tilinauha, lomaraha", "Palkan maksaminen henkilöstölle ja palkkakysymykset."),
        ("matkalaskut", money, "Matkalaskut", "Reseräkningar", "Travel expense claims",
         "matkalasku, kilometrikorvaus, päiväraha, matkakulut", "Matkakulujen korvaaminen."),
        ("laskujen-maksu", money, "Laskujen maksaminen", "Betalning av fakturor", "Invoice payment",
         "lasku, ostolasku, maksumuistutus", "Ostolaskujen käsittely ja maksaminen."),
        ("palkitseminen", people, "Palkitseminen ja tunnustukset", "", "Rewards and recognition",
         "palkinto, ansiomerkki", "Henkilöstön muistaminen."),
        ("kalastusluvat", city, "Kalastusluvat", "Fiskelov", "Fishing permits",
         "kalastuslupa, onkiminen, viehekalastus", "Luvat kalastukseen kaupungin vesillä."),
        ("varhaiskasvatus", people, "Varhaiskasvatus", "Småbarnspedagogik", "Early childhood education",
         "päivähoito, päiväkoti, hoitopaikka", "Hoitopaikan hakeminen lapselle."),
        ("pysakointi", city, "Pysäköintiluvat", "Parkeringstillstånd", "Parking permits",
         "parkkilupa, pysäköinti, asukaspysäköinti", "Asukas- ja yrityspysäköinnin luvat."),
        ("tunnukset", people, "Käyttäjätunnukset ja salasanat", "Användarkonton", "User accounts and passwords",
         "salasana unohtui, tunnus lukittu, kirjautuminen", "Apua kirjautumiseen."),
        ("rakennusluvat", city, "Rakennusluvat", "Bygglov", "Building permits",
         "rakennuslupa, remontti, lupahakemus", "Luvat rakentamiseen ja korjaamiseen."),
    ]
    services = {}
    for code, area, fi, sv, en, keywords, description in rows:
        services[code] = ServiceFactory(
            code=code, area=area, name_fi=fi, name_sv=sv, name_en=en, keywords=keywords, description_fi=description
        )
    services["vanha-palkka"] = ServiceFactory(
        code="vanha-palkka", area=money, name_fi="Palkka (vanha järjestelmä)", name_en="Salary (old system)",
        keywords="palkka", retired_at=timezone.now(),
    )
    return services

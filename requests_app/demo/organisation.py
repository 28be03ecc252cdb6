"""The demo's organisation: sites, units, people and teams, on one working-hours calendar."""

import datetime as dt
import random
from dataclasses import dataclass, field

from servicedesk.languages import LANGUAGES
from teams.models import Calendar, Membership, Site, Team, Unit, User, WorkingHours

PASSWORD = "demo-desk-2026"

SITES = [  # code, name in Finnish, Swedish and English, city, address
    ("helsinki", ("Helsingin pääkonttori", "Huvudkontoret i Helsingfors", "Helsinki head office"), "Helsinki",
     "Mannerheimintie 10"),
    ("espoo", ("Espoon toimipiste", "Kontoret i Esbo", "Espoo office"), "Espoo", "Keilaranta 5"),
    ("tampere", ("Tampereen toimipiste", "Kontoret i Tammerfors", "Tampere office"), "Tampere", "Hämeenkatu 20"),
    ("turku", ("Turun toimipiste", "Kontoret i Åbo", "Turku office"), "Turku", "Aurakatu 8"),
    ("oulu", ("Oulun toimipiste", "Kontoret i Uleåborg", "Oulu office"), "Oulu", "Kirkkokatu 12"),
    ("jyvaskyla", ("Jyväskylän toimipiste", "Kontoret i Jyväskylä", "Jyväskylä office"), "Jyväskylä", "Kauppakatu 3"),
    ("kuopio", ("Kuopion toimipiste", "Kontoret i Kuopio", "Kuopio office"), "Kuopio", "Puijonkatu 15"),
    ("lahti", ("Lahden toimipiste", "Kontoret i Lahtis", "Lahti office"), "Lahti", "Aleksanterinkatu 9"),
    ("pori", ("Porin toimipiste", "Kontoret i Björneborg", "Pori office"), "Pori", "Yrjönkatu 4"),
    ("vaasa", ("Vaasan toimipiste", "Kontoret i Vasa", "Vaasa office"), "Vaasa", "Hovioikeudenpuistikko 11"),
    ("rovaniemi", ("Rovaniemen toimipiste", "Kontoret i Rovaniemi", "Rovaniemi office"), "Rovaniemi", "Koskikatu 25"),
]
UNITS = [  # code, name in Finnish, Swedish and English, parent
    ("admin", ("Hallinto", "Förvaltning", "Administration"), None),
    ("hr", ("Henkilöstöpalvelut", "Personaltjänster", "Human Resources"), "admin"),
    ("finance", ("Talouspalvelut", "Ekonomitjänster", "Financial Services"), "admin"),
    ("digital", ("Digitaaliset palvelut", "Digitala tjänster", "Digital Services"), None),
    ("infra", ("Infrastruktuuri", "Infrastruktur", "Infrastructure"), "digital"),
    ("support", ("Käyttäjätuki", "Användarstöd", "User Support"), "digital"),
    ("premises", ("Tilat ja logistiikka", "Lokaler och logistik", "Premises and Logistics"), None),
    ("comms", ("Viestintä", "Kommunikation", "Communications"), None),
    ("legal", ("Lakiasiat ja kirjaamo", "Juridik och registratur", "Legal Affairs and Registry"), None),
    ("procurement", ("Hankinnat", "Upphandling", "Procurement"), None),
]
TEAMS = [  # slug, name in Finnish, Swedish and English, units, sites
    ("payroll", ("Palkkatiimi", "Löneteamet", "Payroll team"), ["finance", "hr"], ["helsinki", "oulu"]),
    ("travel", ("Matka- ja kulutiimi", "Rese- och kostnadsteamet", "Travel and expenses team"), ["finance"],
     ["tampere", "turku"]),
    ("hr-services", ("Henkilöstöpalvelutiimi", "HR-serviceteamet", "HR services team"), ["hr"], ["helsinki", "jyvaskyla"]),
    ("accounting", ("Kirjanpito- ja laskutustiimi", "Bokförings- och fakturateamet", "Accounting and invoices team"),
     ["finance"], ["helsinki", "kuopio"]),
    ("it-accounts", ("Tunnus- ja käyttöoikeustiimi", "Konto- och behörighetsteamet", "IT accounts and access team"),
     ["support", "infra"], ["espoo", "oulu", "vaasa"]),
    ("workstations", ("Työasema- ja laitetiimi", "Arbetsstations- och enhetsteamet", "Workstations and devices team"),
     ["support"], ["espoo", "tampere", "lahti", "rovaniemi"]),
    ("network", ("Verkko- ja puhelintiimi", "Nätverks- och telefoniteamet", "Network and telephony team"), ["infra"],
     ["espoo", "pori"]),
    ("facilities", ("Tila- ja kiinteistötiimi", "Lokal- och fastighetsteamet", "Premises and facilities team"),
     ["premises"], ["helsinki", "turku", "kuopio"]),
    ("procurement", ("Hankintatukitiimi", "Upphandlingsstödteamet", "Procurement support team"),
     ["procurement", "finance"], ["helsinki", "jyvaskyla"]),
    ("registry", ("Kirjaamo- ja arkistotiimi", "Registratur- och arkivteamet", "Registry and archives team"), ["legal"],
     ["helsinki", "vaasa"]),
    ("comms", ("Viestintä- ja verkkotiimi", "Kommunikations- och webbteamet", "Communications and web team"), ["comms"],
     ["helsinki", "tampere"]),
    ("legal", ("Lakineuvontatiimi", "Juridiska rådgivningsteamet", "Legal advice team"), ["legal"], ["helsinki", "turku"]),
    ("permits", ("Lupa- ja ilmoitustiimi", "Tillstånds- och anmälningsteamet", "Permits and notifications team"),
     ["legal", "premises"], ["helsinki", "espoo"]),
]
# Every demo team's charter, in Finnish, Swedish and English; "{name}" is the team's name in that language.
CHARTER = {
    "description": ("{name} palvelee viraston kaikkia yksiköitä ja toimipisteitä.",
                    "{name} betjänar myndighetens alla enheter och verksamhetsställen.",
                    "{name} serves every unit and site of the agency."),
    "charter_roles": ("Vetäjä pitää jonon liikkeessä ja sitoumukset ajan tasalla; jokainen jäsen ottaa, vastaa ja "
                      "ratkaisee pyyntöjä.",
                      "Ledaren håller kön i rörelse och åtagandena aktuella; varje medlem tar, besvarar och löser "
                      "ärenden.",
                      "The lead keeps the queue moving and the commitments current; every member claims, answers and "
                      "resolves requests."),
    "charter_rules": ("Ottamattomat pyynnöt otetaan määräajan mukaisessa järjestyksessä. Pyyntö, joka ei kuulu meille, "
                      "siirretään eteenpäin saatteen kanssa eikä koskaan palauteta.",
                      "Ärenden som ingen tagit tas i tidsfristens ordning. Ett ärende som inte är vårt lämnas vidare "
                      "med en anteckning och skickas aldrig tillbaka.",
                      "Unclaimed requests are taken in order of their deadline. A request that is not ours is handed "
                      "off with a note, never sent back."),
    "charter_decisions": ("Jokainen jäsen voi vastata, ratkaista, avata uudelleen ja siirtää pyynnön itse.",
                          "Varje medlem får svara, lösa, öppna på nytt och lämna vidare på egen hand.",
                          "Any member may answer, resolve, reopen and hand off on their own."),
}


FIRST_NAMES = [
    "Aino", "Eero", "Helmi", "Juhani", "Kaisa", "Lauri", "Maria", "Mikko", "Noora", "Olli", "Pia", "Risto",
    "Sanna", "Timo", "Ulla", "Ville", "Anna", "Erik", "Hanna", "Jussi", "Katja", "Leena", "Matti", "Nina",
    "Pekka", "Riikka", "Sami", "Tiina", "Veera", "Antti", "Elina", "Heikki", "Johanna", "Kalle", "Liisa",
    "Marko", "Outi", "Petri", "Satu", "Tuomas", "Emma", "Joonas",
]
LAST_NAMES = [
    "Virtanen", "Korhonen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Laine", "Heikkinen", "Koskinen",
    "Järvinen", "Lehtonen", "Lehtinen", "Saarinen", "Salminen", "Heinonen", "Niemi", "Heikkilä", "Kinnunen",
    "Salonen", "Turunen", "Salo", "Laitinen", "Tuominen", "Rantanen", "Karjalainen", "Jokinen", "Mattila",
    "Savolainen", "Lahtinen", "Ahonen", "Lindqvist", "Holmberg",
]

WEEKDAY_HOURS = [(day, dt.time(8), dt.time(16)) for day in range(5)]


@dataclass
class Organisation:
    """What the demo has seeded so far, by code: each part adds its own."""

    rng: random.Random = field(default_factory=lambda: random.Random(2026))
    calendar: Calendar | None = None
    sites: dict = field(default_factory=dict)
    units: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)
    front_desk: User | None = None
    teams: dict = field(default_factory=dict)
    groups: dict = field(default_factory=dict)
    areas: dict = field(default_factory=dict)
    services: dict = field(default_factory=dict)


def seed_organisation(org: Organisation) -> None:
    org.calendar = seed_calendar(org)
    org.sites = seed_sites(org)
    org.units = seed_units(org)
    org.people = seed_people(org)
    org.teams = seed_teams(org)


def seed_calendar(org):
    calendar, created = Calendar.objects.get_or_create(
        name="Office hours", defaults={"holiday_country": "FI", "is_default": True}
    )
    if created:
        WorkingHours.objects.bulk_create(
            WorkingHours(calendar=calendar, weekday=day, opens=opens, closes=closes)
            for day, opens, closes in WEEKDAY_HOURS
        )
    return calendar


def _names(names) -> dict:
    return {f"name_{language}": name for language, name in zip(LANGUAGES, names, strict=True)}


def seed_sites(org):
    return {
        code: Site.objects.get_or_create(
            code=code, defaults={**_names(names), "city": city, "address": address, "calendar": org.calendar}
        )[0]
        for code, names, city, address in SITES
    }


def seed_units(org):
    units = {}
    for code, names, parent in UNITS:
        units[code], _ = Unit.objects.get_or_create(code=code, defaults={**_names(names), "parent": units.get(parent)})
    site_codes = list(org.sites)
    for index, unit in enumerate(units.values()):
        unit.sites.add(*(org.sites[site_codes[(index + k) % len(site_codes)]] for k in range(3)))
    return units


def _person(username, first, last, unit, site, title):
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first, "last_name": last, "email": f"{username}@agency.example.fi",
            "home_unit": unit, "home_site": site, "title": title,
        },
    )
    if created:
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    return user


def seed_people(org):
    names = iter((first, last) for last, first in zip(LAST_NAMES, FIRST_NAMES, strict=False))
    site_list = list(org.sites.values())
    people = {}
    # Unit managers first: escalation reaches them.
    for code, unit in org.units.items():
        if unit.parent_id is None:
            first, last = next(names)
            manager = _person(f"{first}.{last}".lower().replace("ä", "a").replace("ö", "o"), first, last,
                                   unit, org.sites["helsinki"], "Head of unit")
            if unit.manager_id is None:
                unit.manager = manager
                unit.save(update_fields=["manager"])
            people[f"manager-{code}"] = manager
    for index, (first, last) in enumerate(names):
        username = f"{first}.{last}".lower().replace("ä", "a").replace("ö", "o")
        unit = list(org.units.values())[index % len(org.units)]
        people[username] = _person(username, first, last, unit, site_list[index % len(site_list)],
                                        "Specialist")
    # The front desk: staff in no service team who take requests in for customers.
    org.front_desk = _person("reception", "Reetta", "Vastaanotto", org.units["admin"],
                                   org.sites["helsinki"], "Customer service advisor")
    return people


def seed_teams(org):
    staff = [p for key, p in org.people.items() if not key.startswith("manager-")]
    teams = {}
    for index, (slug, names, unit_codes, site_codes) in enumerate(TEAMS):
        texts = _names(names)
        texts.update({f"{text}_{language}": template.format(name=name)
                      for text, templates in CHARTER.items()
                      for language, template, name in zip(LANGUAGES, templates, names, strict=True)})
        team, created = Team.objects.get_or_create(
            slug=slug, defaults={**texts, "email": f"{slug}@agency.example.fi", "calendar": org.calendar},
        )
        teams[slug] = team
        if not created:
            continue
        team.units.add(*(org.units[code] for code in unit_codes))
        team.sites.add(*(org.sites[code] for code in site_codes))
        # Three people per team; every second person also helps a neighbouring team.
        members = [staff[(index * 3 + k) % len(staff)] for k in range(3)]
        for position, person in enumerate(members):
            role = Membership.Role.LEAD if position == 0 else Membership.Role.MEMBER
            Membership.objects.create(team=team, user=person, role=role)
        helper = staff[(index * 3 + 3) % len(staff)]
        Membership.objects.get_or_create(team=team, user=helper)
        team.escalation_contact = members[0]
        team.save(update_fields=["escalation_contact"])
    return teams

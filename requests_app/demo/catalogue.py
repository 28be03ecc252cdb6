"""The demo's catalogue: customer groups, service areas, services with their promises, unit tasks, and who
maintains it."""

from catalogue.models import CustomerGroup, Service, ServiceArea, UnitTask
from catalogue.permissions import maintainers_group

from ..models import access
from .organisation import Organisation

GROUPS = [
    ("staff", "Henkilöstö", "Personal", "Staff"),
    ("citizens", "Kansalaiset", "Medborgare", "Citizens"),
    ("companies", "Yritykset", "Företag", "Companies"),
    ("authorities", "Muut viranomaiset", "Andra myndigheter", "Other authorities"),
]
AREAS = [
    ("pay", "Palkat ja palkkiot", "Löner och arvoden", "Pay and fees"),
    ("travel", "Matkat ja kulut", "Resor och kostnader", "Travel and expenses"),
    ("hr", "Henkilöstöasiat", "Personalärenden", "Human resources"),
    ("finance", "Talous ja laskut", "Ekonomi och fakturor", "Finance and invoices"),
    ("it", "Tietotekniikka", "Informationsteknik", "IT and digital"),
    ("premises", "Tilat ja turvallisuus", "Lokaler och säkerhet", "Premises and security"),
    ("procurement", "Hankinnat", "Upphandling", "Procurement"),
    ("registry", "Kirjaamo ja arkisto", "Registratur och arkiv", "Registry and archives"),
    ("comms", "Viestintä", "Kommunikation", "Communications"),
    ("legal", "Oikeudelliset asiat", "Juridiska ärenden", "Legal affairs"),
    ("permits", "Luvat ja ilmoitukset", "Tillstånd och anmälningar", "Permits and notifications"),
]
SERVICES = [
    ("salary-payment", "pay", "payroll", "Palkanmaksu", "Löneutbetalning", "Salary payment",
     "palkka, tilinauha, palkkakuitti, salary, payslip, lön", ["staff"], "We answer within one working day."),
    ("salary-correction", "pay", "payroll", "Palkan korjaus", "Lönekorrigering", "Salary correction",
     "virheellinen palkka, ylityö, lisät, overtime, correction", ["staff"], "We correct wrong pay by the next pay day."),
    ("tax-card", "pay", "payroll", "Verokortin päivitys", "Uppdatering av skattekort", "Tax card update",
     "verokortti, vero, tax card, skattekort", ["staff"], "A new tax card applies from the next pay day."),
    ("fees", "pay", "payroll", "Palkkiot ja luottamustoimet", "Arvoden", "Fees for elected officials",
     "kokouspalkkio, palkkio, fee, arvode", ["citizens", "staff"], "Fees are paid within two weeks of the meeting."),
    ("travel-claim", "travel", "travel", "Matkalasku", "Reseräkning", "Travel claim",
     "matkalasku, päiväraha, kilometrikorvaus, per diem, mileage, resa", ["staff"], "Claims are paid within ten working days."),
    ("travel-booking", "travel", "travel", "Matkavaraus", "Resebokning", "Travel booking",
     "lento, hotelli, juna, flight, hotel, train", ["staff"], "We confirm bookings within one working day."),
    ("expense-claim", "travel", "travel", "Kululasku", "Kostnadsersättning", "Expense claim",
     "kuitti, kulut, receipt, expenses", ["staff"], "Expenses are paid within ten working days."),
    ("employment-certificate", "hr", "hr-services", "Työtodistus", "Arbetsintyg", "Employment certificate",
     "työtodistus, todistus, certificate, intyg", ["staff"], "Certificates are ready within five working days."),
    ("leave", "hr", "hr-services", "Vuosiloma ja poissaolot", "Semester och frånvaro", "Leave and absences",
     "loma, sairausloma, vapaa, holiday, sick leave, ledighet", ["staff"], "We answer within two working days."),
    ("recruitment", "hr", "hr-services", "Rekrytointituki", "Rekryteringsstöd", "Recruitment support",
     "rekrytointi, työpaikkailmoitus, recruitment, job ad", ["staff"], "We publish job adverts within three working days."),
    ("onboarding", "hr", "hr-services", "Perehdytys", "Introduktion", "Onboarding",
     "uusi työntekijä, perehdytys, new employee, introduktion", ["staff"], "Everything is ready on the first day."),
    ("occupational-health", "hr", "hr-services", "Työterveyshuolto", "Företagshälsovård", "Occupational health",
     "työterveys, lääkäri, occupational health, doctor", ["staff"], "We answer within two working days."),
    ("invoice-payment", "finance", "accounting", "Ostolaskun maksu", "Betalning av inköpsfaktura", "Invoice payment",
     "lasku, maksu, eräpäivä, invoice, due date, faktura", ["companies", "authorities"], "Invoices are paid by their due date."),
    ("sales-invoice", "finance", "accounting", "Myyntilasku", "Försäljningsfaktura", "Sales invoice",
     "laskutus, myyntilasku, billing, fakturering", ["companies", "citizens"], "We answer invoice questions within two working days."),
    ("budget", "finance", "accounting", "Talousarvioneuvonta", "Budgetrådgivning", "Budget advice",
     "budjetti, talousarvio, budget", ["staff"], "We answer within three working days."),
    ("cost-centre", "finance", "accounting", "Kustannuspaikat", "Kostnadsställen", "Cost centres",
     "kustannuspaikka, tiliöinti, cost centre, account", ["staff"], "Changes are made within two working days."),
    ("user-account", "it", "it-accounts", "Käyttäjätunnus", "Användarkonto", "User account",
     "tunnus, salasana, kirjautuminen, password, login, lösenord", ["staff"], "New accounts within one working day."),
    ("password-reset", "it", "it-accounts", "Salasanan vaihto", "Byte av lösenord", "Password reset",
     "salasana unohtui, lukittu, password, locked, lösenord", ["staff"], "We reset passwords within one hour."),
    ("access-rights", "it", "it-accounts", "Käyttöoikeudet", "Behörigheter", "Access rights",
     "käyttöoikeus, järjestelmä, access, permission, behörighet", ["staff"], "Access is granted within two working days."),
    ("laptop", "it", "workstations", "Kannettava tietokone", "Bärbar dator", "Laptop",
     "kone, läppäri, tietokone, laptop, computer, dator", ["staff"], "A replacement within three working days."),
    ("phone", "it", "workstations", "Matkapuhelin", "Mobiltelefon", "Mobile phone",
     "puhelin, kännykkä, phone, mobile, telefon", ["staff"], "A replacement within three working days."),
    ("printer", "it", "workstations", "Tulostus", "Utskrift", "Printing",
     "tulostin, tulostus, printer, skrivare", ["staff"], "We fix printers within one working day."),
    ("software", "it", "workstations", "Ohjelmiston asennus", "Programinstallation", "Software installation",
     "ohjelma, asennus, software, install, program", ["staff"], "Installations within two working days."),
    ("vpn", "it", "network", "Etäyhteys", "Distansanslutning", "Remote access (VPN)",
     "vpn, etätyö, etäyhteys, remote, distans", ["staff"], "We answer within four working hours."),
    ("wifi", "it", "network", "Langaton verkko", "Trådlöst nätverk", "Wireless network",
     "wlan, wifi, verkko, network, nätverk", ["staff", "citizens"], "We answer within four working hours."),
    ("telephony", "it", "network", "Puhelinvaihde", "Telefonväxel", "Telephone exchange",
     "vaihde, soitonsiirto, switchboard, växel", ["staff"], "We answer within one working day."),
    ("keys", "premises", "facilities", "Avaimet ja kulkukortit", "Nycklar och passerkort", "Keys and access cards",
     "avain, kulkukortti, kulkuoikeus, key, access card, nyckel", ["staff"], "Cards are ready within two working days."),
    ("repairs", "premises", "facilities", "Kiinteistön vikailmoitus", "Felanmälan", "Building fault report",
     "vika, vuoto, lämpötila, fault, leak, fel", ["staff", "citizens"], "Urgent faults are handled the same day."),
    ("meeting-rooms", "premises", "facilities", "Kokoustilat", "Mötesrum", "Meeting rooms",
     "kokoushuone, varaus, meeting room, booking", ["staff", "authorities"], "We confirm within one working day."),
    ("workplace", "premises", "facilities", "Työpiste ja kalusteet", "Arbetsplats och möbler", "Workstation and furniture",
     "työpiste, tuoli, pöytä, desk, chair, skrivbord", ["staff"], "We answer within three working days."),
    ("security", "premises", "facilities", "Turvallisuus", "Säkerhet", "Security",
     "turvallisuus, vartija, hälytys, security, alarm", ["staff", "citizens"], "Security incidents are handled at once."),
    ("procurement-advice", "procurement", "procurement", "Hankintaneuvonta", "Upphandlingsrådgivning", "Procurement advice",
     "hankinta, kilpailutus, tarjous, tender, anbud", ["staff", "companies"], "We answer within three working days."),
    ("purchase-order", "procurement", "procurement", "Ostotilaus", "Inköpsorder", "Purchase order",
     "tilaus, ostaa, order, beställning", ["staff"], "Orders are placed within two working days."),
    ("supplier", "procurement", "procurement", "Toimittajarekisteri", "Leverantörsregister", "Supplier register",
     "toimittaja, y-tunnus, supplier, leverantör", ["companies"], "Changes are made within five working days."),
    ("registration", "registry", "registry", "Asiakirjan kirjaaminen", "Registrering av handlingar", "Document registration",
     "kirjaamo, asiakirja, diaari, registry, document", ["citizens", "companies", "authorities"], "Documents are registered the same day."),
    ("information-request", "registry", "registry", "Tietopyyntö", "Begäran om handlingar", "Request for information",
     "tietopyyntö, julkisuus, asiakirjapyyntö, freedom of information", ["citizens", "companies", "authorities"],
     "We answer within two weeks, as the law requires."),
    ("archive", "registry", "registry", "Arkistopalvelut", "Arkivtjänster", "Archive services",
     "arkisto, säilytys, archive, arkiv", ["staff", "citizens"], "We answer within five working days."),
    ("mail", "registry", "registry", "Postipalvelut", "Posttjänster", "Mail services",
     "posti, kirje, lähetys, mail, post", ["staff"], "Mail is handled the same day."),
    ("web-content", "comms", "comms", "Verkkosivujen päivitys", "Uppdatering av webbsidor", "Web page update",
     "verkkosivu, intranet, web, webbplats", ["staff"], "Updates are published within two working days."),
    ("press", "comms", "comms", "Mediapalvelut", "Medietjänster", "Media services",
     "media, toimittaja, tiedote, press, journalist", ["companies", "citizens"], "Journalists get an answer the same day."),
    ("graphics", "comms", "comms", "Graafinen suunnittelu", "Grafisk design", "Graphic design",
     "logo, esite, design, broschyr", ["staff"], "We agree a schedule within three working days."),
    ("translation", "comms", "comms", "Käännöspalvelut", "Översättningstjänster", "Translation",
     "käännös, ruotsi, englanti, translation, översättning", ["staff"], "Short texts are translated within five working days."),
    ("contract-review", "legal", "legal", "Sopimusten tarkastus", "Granskning av avtal", "Contract review",
     "sopimus, juristi, contract, avtal", ["staff"], "We review contracts within five working days."),
    ("data-protection", "legal", "legal", "Tietosuoja", "Dataskydd", "Data protection",
     "tietosuoja, gdpr, henkilötiedot, privacy, dataskydd", ["citizens", "staff"], "We answer within two weeks."),
    ("complaints", "legal", "legal", "Muistutukset ja kantelut", "Anmärkningar och klagomål", "Complaints",
     "valitus, kantelu, muistutus, complaint, klagomål", ["citizens", "companies"], "We answer within 30 days."),
    # Citizen-facing: from the Finnish Service Catalogue's general descriptions (see PUBLIC_DESCRIPTIONS).
    ("building-permit", "permits", "permits", "Rakennuslupa", "Bygglov", "Building permit",
     "rakentaminen, talo, laajennus, building, house, extension, bygga", ["citizens", "companies"],
     "We tell you within five working days whether the application is complete."),
    ("demolition-permit", "permits", "permits", "Purkamislupa", "Rivningstillstånd", "Permit to demolish a building",
     "purkaminen, purku, demolish, demolition, riva", ["citizens", "companies"],
     "We tell you within five working days whether the application is complete."),
    ("landscape-permit", "permits", "permits", "Maisematyölupa", "Tillstånd för miljöåtgärder", "Permit for landscape work",
     "puiden kaataminen, puu, maansiirto, tree felling, trees, earth works, träd", ["citizens", "companies"],
     "We answer questions within two working days."),
    ("noise-notification", "permits", "permits", "Ilmoitus melusta ja tärinästä", "Anmälan om buller och skakningar",
     "Notification of noise and vibration", "melu, tärinä, tapahtuma, konsertti, noise, event, concert, buller",
     ["citizens", "companies"], "We confirm the notification within five working days."),
    ("food-premises", "permits", "permits", "Ilmoitus elintarvikehuoneistosta", "Anmälan om livsmedelslokal",
     "Notification of food premises", "ravintola, kahvila, elintarvike, restaurant, café, food, livsmedel",
     ["companies"], "We confirm the notification within ten working days."),
]
PROMISES = {
    'salary-payment': ('Vastaamme yhden työpäivän kuluessa.', 'Vi svarar inom en arbetsdag.'),
    'building-permit': ('Kerromme viidessä työpäivässä, onko hakemus täydellinen.', 'Vi meddelar inom fem arbetsdagar om ansökan är fullständig.'),
    'demolition-permit': ('Kerromme viidessä työpäivässä, onko hakemus täydellinen.', 'Vi meddelar inom fem arbetsdagar om ansökan är fullständig.'),
    'landscape-permit': ('Vastaamme kysymyksiin kahden työpäivän kuluessa.', 'Vi svarar på frågor inom två arbetsdagar.'),
    'noise-notification': ('Vahvistamme ilmoituksen viiden työpäivän kuluessa.', 'Vi bekräftar anmälan inom fem arbetsdagar.'),
    'food-premises': ('Vahvistamme ilmoituksen kymmenen työpäivän kuluessa.', 'Vi bekräftar anmälan inom tio arbetsdagar.'),
    'salary-correction': ('Korjaamme virheellisen palkan seuraavaan palkanmaksupäivään mennessä.', 'Vi rättar fel lön senast till nästa lönedag.'),
    'tax-card': ('Uusi verokortti otetaan käyttöön seuraavasta palkanmaksusta.', 'Ett nytt skattekort tillämpas från nästa lönedag.'),
    'fees': ('Palkkiot maksetaan kahden viikon kuluessa kokouksesta.', 'Arvoden betalas inom två veckor efter mötet.'),
    'travel-claim': ('Matkalaskut maksetaan kymmenen työpäivän kuluessa.', 'Reseräkningar betalas inom tio arbetsdagar.'),
    'travel-booking': ('Vahvistamme varaukset yhden työpäivän kuluessa.', 'Vi bekräftar bokningar inom en arbetsdag.'),
    'expense-claim': ('Kulut korvataan kymmenen työpäivän kuluessa.', 'Kostnader ersätts inom tio arbetsdagar.'),
    'employment-certificate': ('Todistukset ovat valmiina viiden työpäivän kuluessa.', 'Intyg är klara inom fem arbetsdagar.'),
    'leave': ('Vastaamme kahden työpäivän kuluessa.', 'Vi svarar inom två arbetsdagar.'),
    'recruitment': ('Julkaisemme työpaikkailmoitukset kolmen työpäivän kuluessa.', 'Vi publicerar platsannonser inom tre arbetsdagar.'),
    'onboarding': ('Kaikki on valmiina ensimmäisenä työpäivänä.', 'Allt är klart den första arbetsdagen.'),
    'occupational-health': ('Vastaamme kahden työpäivän kuluessa.', 'Vi svarar inom två arbetsdagar.'),
    'invoice-payment': ('Laskut maksetaan eräpäivään mennessä.', 'Fakturor betalas senast på förfallodagen.'),
    'sales-invoice': ('Vastaamme laskukysymyksiin kahden työpäivän kuluessa.', 'Vi svarar på fakturafrågor inom två arbetsdagar.'),
    'budget': ('Vastaamme kolmen työpäivän kuluessa.', 'Vi svarar inom tre arbetsdagar.'),
    'cost-centre': ('Muutokset tehdään kahden työpäivän kuluessa.', 'Ändringar görs inom två arbetsdagar.'),
    'user-account': ('Uudet tunnukset yhden työpäivän kuluessa.', 'Nya konton inom en arbetsdag.'),
    'password-reset': ('Vaihdamme salasanan tunnin kuluessa.', 'Vi byter lösenordet inom en timme.'),
    'access-rights': ('Käyttöoikeudet annetaan kahden työpäivän kuluessa.', 'Behörigheter ges inom två arbetsdagar.'),
    'laptop': ('Korvaava kone kolmen työpäivän kuluessa.', 'En ersättande dator inom tre arbetsdagar.'),
    'phone': ('Korvaava puhelin kolmen työpäivän kuluessa.', 'En ersättande telefon inom tre arbetsdagar.'),
    'printer': ('Korjaamme tulostimet yhden työpäivän kuluessa.', 'Vi reparerar skrivare inom en arbetsdag.'),
    'software': ('Asennukset kahden työpäivän kuluessa.', 'Installationer inom två arbetsdagar.'),
    'vpn': ('Vastaamme neljän työtunnin kuluessa.', 'Vi svarar inom fyra arbetstimmar.'),
    'wifi': ('Vastaamme neljän työtunnin kuluessa.', 'Vi svarar inom fyra arbetstimmar.'),
    'telephony': ('Vastaamme yhden työpäivän kuluessa.', 'Vi svarar inom en arbetsdag.'),
    'keys': ('Kulkukortit ovat valmiina kahden työpäivän kuluessa.', 'Passerkort är klara inom två arbetsdagar.'),
    'repairs': ('Kiireelliset viat hoidetaan samana päivänä.', 'Brådskande fel åtgärdas samma dag.'),
    'meeting-rooms': ('Vahvistamme yhden työpäivän kuluessa.', 'Vi bekräftar inom en arbetsdag.'),
    'workplace': ('Vastaamme kolmen työpäivän kuluessa.', 'Vi svarar inom tre arbetsdagar.'),
    'security': ('Turvallisuuspoikkeamat hoidetaan heti.', 'Säkerhetsincidenter åtgärdas genast.'),
    'procurement-advice': ('Vastaamme kolmen työpäivän kuluessa.', 'Vi svarar inom tre arbetsdagar.'),
    'purchase-order': ('Tilaukset tehdään kahden työpäivän kuluessa.', 'Beställningar görs inom två arbetsdagar.'),
    'supplier': ('Muutokset tehdään viiden työpäivän kuluessa.', 'Ändringar görs inom fem arbetsdagar.'),
    'registration': ('Asiakirjat kirjataan samana päivänä.', 'Handlingar registreras samma dag.'),
    'information-request': ('Vastaamme kahden viikon kuluessa, kuten laki edellyttää.', 'Vi svarar inom två veckor, som lagen kräver.'),
    'archive': ('Vastaamme viiden työpäivän kuluessa.', 'Vi svarar inom fem arbetsdagar.'),
    'mail': ('Posti käsitellään samana päivänä.', 'Posten hanteras samma dag.'),
    'web-content': ('Päivitykset julkaistaan kahden työpäivän kuluessa.', 'Uppdateringar publiceras inom två arbetsdagar.'),
    'press': ('Toimittajat saavat vastauksen samana päivänä.', 'Journalister får svar samma dag.'),
    'graphics': ('Sovimme aikataulusta kolmen työpäivän kuluessa.', 'Vi kommer överens om en tidtabell inom tre arbetsdagar.'),
    'translation': ('Lyhyet tekstit käännetään viiden työpäivän kuluessa.', 'Korta texter översätts inom fem arbetsdagar.'),
    'contract-review': ('Tarkastamme sopimukset viiden työpäivän kuluessa.', 'Vi granskar avtal inom fem arbetsdagar.'),
    'data-protection': ('Vastaamme kahden viikon kuluessa.', 'Vi svarar inom två veckor.'),
    'complaints': ('Vastaamme 30 päivän kuluessa.', 'Vi svarar inom 30 dagar.'),
}
UNIT_TASKS = [
    ("legal", "Grant permits and take notifications", ["building-permit", "demolition-permit", "landscape-permit",
                                                       "noise-notification", "food-premises"]),
    ("hr", "Pay salaries and fees", ["salary-payment", "fees"]),
    ("hr", "Correct pay and tax cards", ["salary-correction", "tax-card"]),
    ("hr", "Write employment certificates", ["employment-certificate"]),
    ("hr", "Approve leave", ["leave"]),
    ("hr", "Recruit and welcome new staff", ["recruitment", "onboarding"]),
    ("hr", "Plan staff training", []),
    ("finance", "Check and pay travel claims", ["travel-claim", "expense-claim"]),
    ("finance", "Pay supplier invoices", ["invoice-payment"]),
    ("finance", "Send invoices", ["sales-invoice"]),
    ("finance", "Prepare the budget", ["budget", "cost-centre"]),
    ("admin", "Book travel", ["travel-booking"]),
    ("support", "Create user accounts", ["user-account", "password-reset"]),
    ("support", "Hand out and repair laptops and phones", ["laptop", "phone", "printer"]),
    ("support", "Install software", ["software"]),
    ("infra", "Run the network and remote access", ["vpn", "wifi"]),
    ("infra", "Run the telephone exchange", ["telephony"]),
    ("infra", "Manage access rights", ["access-rights"]),
    ("infra", "Back up servers", []),
    ("premises", "Issue keys and access cards", ["keys"]),
    ("premises", "Report and repair building faults", ["repairs"]),
    ("premises", "Manage meeting rooms and workstations", ["meeting-rooms", "workplace"]),
    ("premises", "Guard the premises", ["security"]),
    ("procurement", "Advise on tenders", ["procurement-advice"]),
    ("procurement", "Place orders", ["purchase-order", "supplier"]),
    ("legal", "Register documents", ["registration", "mail"]),
    ("legal", "Answer requests for information", ["information-request"]),
    ("legal", "Keep the archive", ["archive"]),
    ("legal", "Review contracts", ["contract-review"]),
    ("legal", "Handle complaints and data protection", ["complaints", "data-protection"]),
    ("comms", "Publish web pages", ["web-content"]),
    ("comms", "Answer the media", ["press"]),
    ("comms", "Design and translate material", ["graphics", "translation"]),
    ("comms", "Monitor social media", []),
]


# The public services' descriptions, as the Finnish Service Catalogue gives them (its general descriptions,
# MIT licence, catalogue/data/ptv): fi, sv, en.
PUBLIC_DESCRIPTIONS = {
    "building-permit": (
        "Lähes kaikkeen rakentamiseen tarvitaan rakennuslupa tai muu viranomaisen hyväksyntä.",
        "Nästan allt byggande kräver bygglov eller annat myndighetsgodkännande.",
        "A building permit or other official approval is required for nearly all construction work."),
    "demolition-permit": (
        "Asemakaava-alueella sijaitsevan rakennuksen tai sen osan purkamiseen tarvitaan purkamislupa. Luvasta "
        "päättää kunnan rakennusvalvonta.",
        "För att riva en byggnad eller en del av en byggnad inom ett detaljplansområde behövs ett "
        "rivningstillstånd. Kommunens byggnadstillsyn beslutar om tillståndet.",
        "In an area covered by a local detailed plan, a building or its part may not be demolished without a "
        "permit. The permit is granted by the municipal building supervisory authority."),
    "landscape-permit": (
        "Maa-alueen omistajan tai haltijan on haettava lupa maisemaa muuttavaan maanrakennustyöhön, puiden "
        "kaatamiseen ym. toimiin asemakaava-alueella.",
        "Markområdets ägare eller innehavare ska ansöka om tillstånd för sådant jordbyggnadsarbete och sådan "
        "trädfällning eller motsvarande åtgärd som förändrar landskapet på ett detaljplaneområde.",
        "The owner or holder of a land area intending to carry out earth works, tree-felling or similar action "
        "altering the landscape in areas covered by a local detailed plan must obtain a permit for the work."),
    "noise-notification": (
        "Melu- ja tärinäilmoitus tehdään esimerkiksi isoista yleisötapahtumista ja rakennushankkeista.",
        "En anmälan om buller och skakningar ska göras till exempel för stora publikevenemang och byggprojekt.",
        "A noise and vibration notification is required e.g. for large public events and construction projects."),
    "food-premises": (
        "Elintarvikehuoneistosta on tehtävä ilmoitus sijaintikunnan elintarvikevalvontaviranomaiselle.",
        "En anmälan om livsmedelslokal ska lämnas in till livsmedelstillsynsmyndigheten i lokaliseringskommunen.",
        "A notification of food premises must be made to the municipality's food control authority."),
}


def seed_catalogue(org: Organisation) -> None:
    org.groups = seed_customer_groups(org)
    org.areas = seed_areas(org)
    org.services = seed_services(org)
    seed_unit_tasks(org)
    seed_maintainers(org)


def seed_customer_groups(org):
    return {
        code: CustomerGroup.objects.get_or_create(
            code=code, defaults={"name_fi": fi, "name_sv": sv, "name_en": en, "position": index}
        )[0]
        for index, (code, fi, sv, en) in enumerate(GROUPS)
    }


def seed_areas(org):
    return {
        code: ServiceArea.objects.get_or_create(
            code=code, defaults={"name_fi": fi, "name_sv": sv, "name_en": en, "position": index}
        )[0]
        for index, (code, fi, sv, en) in enumerate(AREAS)
    }


def seed_services(org):
    services = {}
    for code, area, team, fi, sv, en, keywords, groups, promise in SERVICES:
        service, created = Service.objects.get_or_create(
            code=code,
            defaults={
                "area": org.areas[area], "owning_team": org.teams[team],
                "name_fi": fi, "name_sv": sv, "name_en": en, "keywords": keywords,
                **_descriptions(code, en, org.teams[team]),
                "promise_en": promise, "promise_fi": PROMISES[code][0], "promise_sv": PROMISES[code][1],
                "channels": ["desk", "phone", "email", "web"],
                "public_web_form": "citizens" in groups or "companies" in groups,
            },
        )
        if created:
            service.customer_groups.set(org.groups[g] for g in groups)
            service.contributing_units.set(org.teams[team].units.all())
        services[code] = service
    return services


def _descriptions(code: str, name_en: str, team) -> dict:
    if code in PUBLIC_DESCRIPTIONS:
        return dict(zip(("description_fi", "description_sv", "description_en"), PUBLIC_DESCRIPTIONS[code], strict=True))
    return {"description_en": f"{name_en}: ask {team.name_en.lower()} for help."}


def seed_unit_tasks(org):
    for index, (unit, name, service_codes) in enumerate(UNIT_TASKS):
        task, created = UnitTask.objects.get_or_create(
            code=f"task-{index + 1:02d}", defaults={"unit": org.units[unit], "name": name}
        )
        if created:
            task.services.set(org.services[code] for code in service_codes)


def seed_maintainers(org):
    group = maintainers_group()
    group.user_set.add(org.people["manager-comms"], org.front_desk)
    access.role_group(access.FRONT_DESK).user_set.add(org.front_desk)
    access.role_group(access.DATA_PROTECTION).user_set.add(org.people["manager-comms"])

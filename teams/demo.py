"""A realistic demo organisation: a Finnish public agency with eleven sites and its shared support services.

Structure is matched by codes and usernames, so seeding again changes nothing; requests are logged through
the domain operations (so timelines and commitment clocks are real) only while the demo has none yet.
"""

import datetime as dt
import random

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from catalogue.models import CustomerGroup, Service, ServiceArea, UnitTask
from catalogue.permissions import maintainers_group
from requests_app import dashboards
from requests_app import services as desk
from requests_app.models import Commitment, Customer, Message, ServiceRequest

from .models import Calendar, Membership, Site, Team, Unit, User, WorkingHours

PASSWORD = "demo-desk-2026"

SITES = [
    ("helsinki", "Helsinki head office", "Helsinki", "Mannerheimintie 10"),
    ("espoo", "Espoo office", "Espoo", "Keilaranta 5"),
    ("tampere", "Tampere office", "Tampere", "Hämeenkatu 20"),
    ("turku", "Turku office", "Turku", "Aurakatu 8"),
    ("oulu", "Oulu office", "Oulu", "Kirkkokatu 12"),
    ("jyvaskyla", "Jyväskylä office", "Jyväskylä", "Kauppakatu 3"),
    ("kuopio", "Kuopio office", "Kuopio", "Puijonkatu 15"),
    ("lahti", "Lahti office", "Lahti", "Aleksanterinkatu 9"),
    ("pori", "Pori office", "Pori", "Yrjönkatu 4"),
    ("vaasa", "Vaasa office", "Vaasa", "Hovioikeudenpuistikko 11"),
    ("rovaniemi", "Rovaniemi office", "Rovaniemi", "Koskikatu 25"),
]

# code, name, parent code
UNITS = [
    ("admin", "Administration", None),
    ("hr", "Human Resources", "admin"),
    ("finance", "Financial Services", "admin"),
    ("digital", "Digital Services", None),
    ("infra", "Infrastructure", "digital"),
    ("support", "User Support", "digital"),
    ("premises", "Premises and Logistics", None),
    ("comms", "Communications", None),
    ("legal", "Legal Affairs and Registry", None),
    ("procurement", "Procurement", None),
]

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
]

# slug, name, units, sites, e-mail
TEAMS = [
    ("payroll", "Payroll team", ["finance", "hr"], ["helsinki", "oulu"]),
    ("travel", "Travel and expenses team", ["finance"], ["tampere", "turku"]),
    ("hr-services", "HR services team", ["hr"], ["helsinki", "jyvaskyla"]),
    ("accounting", "Accounting and invoices team", ["finance"], ["helsinki", "kuopio"]),
    ("it-accounts", "IT accounts and access team", ["support", "infra"], ["espoo", "oulu", "vaasa"]),
    ("workstations", "Workstations and devices team", ["support"], ["espoo", "tampere", "lahti", "rovaniemi"]),
    ("network", "Network and telephony team", ["infra"], ["espoo", "pori"]),
    ("facilities", "Premises and facilities team", ["premises"], ["helsinki", "turku", "kuopio"]),
    ("procurement", "Procurement support team", ["procurement", "finance"], ["helsinki", "jyvaskyla"]),
    ("registry", "Registry and archives team", ["legal"], ["helsinki", "vaasa"]),
    ("comms", "Communications and web team", ["comms"], ["helsinki", "tampere"]),
    ("legal", "Legal advice team", ["legal"], ["helsinki", "turku"]),
]

# code, area, team, fi, sv, en, keywords, groups, promise (en)
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
]

# The service promise in Finnish and Swedish, as read to the customer (English is in SERVICES).
PROMISES = {
    'salary-payment': ('Vastaamme yhden työpäivän kuluessa.', 'Vi svarar inom en arbetsdag.'),
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
ORGANISATIONS = [
    ("Rakennus Oy Kivi", "1234567-8"), ("Konsultointi Lahtinen Oy", "2345678-9"), ("Kuljetus Nieminen Ky", "3456789-1"),
    ("Pohjolan Tarvike Oy", "4567890-2"), ("Toimisto Tuote Ab", "5678901-3"), ("Siivouspalvelu Puhdas Oy", "6789012-4"),
    ("Oulun kaupunki", "0187690-1"), ("Verohallinto", "0245458-3"),
]
SUBJECTS = {
    "salary-payment": ["Salary not received", "Payslip missing from the portal", "Question about holiday pay"],
    "salary-correction": ["Overtime missing from salary", "Wrong evening supplement", "Deduction twice"],
    "travel-claim": ["Travel claim for the Oulu trip", "Per diem calculated wrong", "Mileage allowance question"],
    "user-account": ["Account for a new employee", "Account locked after holiday", "Name change in account"],
    "password-reset": ["Forgot my password", "Password expired abroad"],
    "laptop": ["Laptop will not start", "Laptop screen broken", "New laptop for a trainee"],
    "repairs": ["Water leak in meeting room", "Office too cold", "Lift out of order"],
    "information-request": ["Request for meeting minutes", "Request for a decision document", "Copies of contracts"],
    "keys": ["Access card stopped working", "Key for storage room", "Lost access card"],
}

WEEKDAY_HOURS = [(day, dt.time(8), dt.time(16)) for day in range(5)]


class Seeder:
    def __init__(self, out):
        self.out = out
        self.random = random.Random(2026)

    def run(self) -> dict:
        self.seed_organisation()
        made = self.seed_requests()
        payroll = self.teams["payroll"]
        return {
            "requests": made,
            "front_desk": self.front_desk,
            "lead": payroll.leads[0],
            "member": payroll.members.exclude(pk=payroll.leads[0].pk).order_by("username")[0],
        }

    def seed_organisation(self) -> None:
        """Everything but the requests: sites, units, catalogue, people, teams and their commitments."""
        with transaction.atomic():
            self.calendar = self.seed_calendar()
            self.sites = self.seed_sites()
            self.units = self.seed_units()
            self.groups = self.seed_customer_groups()
            self.areas = self.seed_areas()
            self.people = self.seed_people()
            self.teams = self.seed_teams()
            self.services = self.seed_services()
            self.seed_unit_tasks()
            self.seed_maintainers()
        # Each domain operation is its own (durable) transaction.
        self.seed_commitments()

    def seed_calendar(self):
        calendar, created = Calendar.objects.get_or_create(
            name="Office hours", defaults={"holiday_country": "FI", "is_default": True}
        )
        if created:
            WorkingHours.objects.bulk_create(
                WorkingHours(calendar=calendar, weekday=day, opens=opens, closes=closes)
                for day, opens, closes in WEEKDAY_HOURS
            )
        return calendar

    def seed_sites(self):
        return {
            code: Site.objects.get_or_create(
                code=code, defaults={"name": name, "city": city, "address": address, "calendar": self.calendar}
            )[0]
            for code, name, city, address in SITES
        }

    def seed_units(self):
        units = {}
        for code, name, parent in UNITS:
            units[code], _ = Unit.objects.get_or_create(
                code=code, defaults={"name": name, "parent": units.get(parent)}
            )
        site_codes = list(self.sites)
        for index, unit in enumerate(units.values()):
            unit.sites.add(*(self.sites[site_codes[(index + k) % len(site_codes)]] for k in range(3)))
        return units

    def seed_customer_groups(self):
        return {
            code: CustomerGroup.objects.get_or_create(
                code=code, defaults={"name_fi": fi, "name_sv": sv, "name_en": en, "position": index}
            )[0]
            for index, (code, fi, sv, en) in enumerate(GROUPS)
        }

    def seed_areas(self):
        return {
            code: ServiceArea.objects.get_or_create(
                code=code, defaults={"name_fi": fi, "name_sv": sv, "name_en": en, "position": index}
            )[0]
            for index, (code, fi, sv, en) in enumerate(AREAS)
        }

    def _person(self, username, first, last, unit, site, title):
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

    def seed_people(self):
        names = iter((first, last) for last, first in zip(LAST_NAMES, FIRST_NAMES, strict=False))
        site_list = list(self.sites.values())
        people = {}
        # Unit managers first: escalation reaches them.
        for code, unit in self.units.items():
            if unit.parent_id is None:
                first, last = next(names)
                manager = self._person(f"{first}.{last}".lower().replace("ä", "a").replace("ö", "o"), first, last,
                                       unit, self.sites["helsinki"], "Head of unit")
                if unit.manager_id is None:
                    unit.manager = manager
                    unit.save(update_fields=["manager"])
                people[f"manager-{code}"] = manager
        for index, (first, last) in enumerate(names):
            username = f"{first}.{last}".lower().replace("ä", "a").replace("ö", "o")
            unit = list(self.units.values())[index % len(self.units)]
            people[username] = self._person(username, first, last, unit, site_list[index % len(site_list)],
                                            "Specialist")
        # The front desk: staff in no service team who take requests in for customers.
        self.front_desk = self._person("reception", "Reetta", "Vastaanotto", self.units["admin"],
                                       self.sites["helsinki"], "Customer service advisor")
        return people

    def seed_teams(self):
        staff = [p for key, p in self.people.items() if not key.startswith("manager-")]
        teams = {}
        for index, (slug, name, unit_codes, site_codes) in enumerate(TEAMS):
            team, created = Team.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": name, "email": f"{slug}@agency.example.fi", "calendar": self.calendar,
                    "description": f"{name} serves every unit and site of the agency.",
                    "charter_roles": "The lead keeps the queue moving and the commitments current; every member "
                                     "claims, answers and resolves requests.",
                    "charter_rules": "Unclaimed requests are taken in order of their deadline. A request that is "
                                     "not ours is handed off with a note, never sent back.",
                    "charter_decisions": "Any member may answer, resolve, reopen and hand off on their own.",
                },
            )
            teams[slug] = team
            if not created:
                continue
            team.units.add(*(self.units[code] for code in unit_codes))
            team.sites.add(*(self.sites[code] for code in site_codes))
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

    def seed_services(self):
        services = {}
        for code, area, team, fi, sv, en, keywords, groups, promise in SERVICES:
            service, created = Service.objects.get_or_create(
                code=code,
                defaults={
                    "area": self.areas[area], "owning_team": self.teams[team],
                    "name_fi": fi, "name_sv": sv, "name_en": en, "keywords": keywords,
                    "description_en": f"{en}: ask {self.teams[team].name.lower()} for help.",
                    "promise_en": promise, "promise_fi": PROMISES[code][0], "promise_sv": PROMISES[code][1],
                    "channels": ["desk", "phone", "email", "web"],
                    "public_web_form": "citizens" in groups or "companies" in groups,
                },
            )
            if created:
                service.customer_groups.set(self.groups[g] for g in groups)
                service.contributing_units.set(self.teams[team].units.all())
            services[code] = service
        return services

    def seed_unit_tasks(self):
        for index, (unit, name, service_codes) in enumerate(UNIT_TASKS):
            task, created = UnitTask.objects.get_or_create(
                code=f"task-{index + 1:02d}", defaults={"unit": self.units[unit], "name": name}
            )
            if created:
                task.services.set(self.services[code] for code in service_codes)

    def seed_maintainers(self):
        group = maintainers_group()
        group.user_set.add(self.people["manager-comms"], self.front_desk)

    def seed_commitments(self):
        for team in self.teams.values():
            if Commitment.objects.filter(team=team).exists():
                continue
            lead = team.leads[0]
            desk.save_commitment(
                by=lead, team_id=team.pk, kind="first_reply", target_minutes=8 * 60, hours="working",
                warn_percent=75, notify_on_warning=["assignee"], notify_on_breach=["assignee", "team_lead"],
                escalate_after_minutes=8 * 60,
            )
            desk.save_commitment(
                by=lead, team_id=team.pk, kind="resolution", target_minutes=5 * 8 * 60, hours="working",
                warn_percent=80, notify_on_warning=["assignee"], notify_on_breach=["team_lead"],
            )
            desk.save_commitment(
                by=lead, team_id=team.pk, kind="next_reply", target_minutes=16 * 60, hours="working",
                warn_percent=75, notify_on_breach=["assignee"],
            )

    def seed_requests(self, count: int = 320) -> int:
        demo_services = list(self.services.values())
        if ServiceRequest.objects.filter(service__in=demo_services).exists():
            return 0
        rng = self.random
        now = timezone.now()
        customers = self._customers()
        made = 0
        for n in range(count):
            service = rng.choice(demo_services)
            team = self.teams[next(t for c, _a, t, *_ in SERVICES if c == service.code)]
            members = list(team.members.all())
            logged_at = now - dt.timedelta(days=rng.betavariate(1.2, 3) * 90, minutes=rng.randint(0, 600))
            # Mostly colleagues at the front desk or in other teams take requests in.
            intake = self.front_desk if rng.random() < 0.4 else rng.choice(list(self.people.values()))
            subject = rng.choice(SUBJECTS.get(service.code, [f"Question about {service.name_en.lower()}"]))
            req = desk.log_request(
                by=intake, service_id=service.pk, channel=rng.choice(["desk", "phone", "email", "email", "web"]),
                subject=subject, description=f"The customer asks about: {subject.lower()}.",
                customer_id=rng.choice(customers).pk, now=logged_at,
            )
            made += 1
            if rng.random() < 0.08 or (now - logged_at < dt.timedelta(hours=6) and rng.random() < 0.7):
                continue  # still new and unclaimed
            worker = rng.choice(members)
            at = logged_at + dt.timedelta(minutes=rng.randint(5, 240))
            desk.claim(request_id=req.pk, by=worker, now=at)
            if rng.random() < 0.1:
                # Taken in under a service that does not fit: passed on with a note, never a bare "not ours".
                other = rng.choice([s for s in demo_services if s.owning_team_id != team.pk])
                at += dt.timedelta(minutes=rng.randint(5, 90))
                if at >= now:
                    continue
                desk.hand_off(request_id=req.pk, by=worker, to_service_id=other.pk, now=at,
                              note=f"This is a matter of {other.name_en.lower()}: passing it on with the details "
                                   "the customer gave.")
                worker = rng.choice(list(other.owning_team.members.all()))
                at += dt.timedelta(minutes=rng.randint(5, 240))
                if at >= now:
                    continue
                desk.claim(request_id=req.pk, by=worker, now=at)
            if rng.random() < 0.15:
                continue  # claimed, nothing said yet
            at += dt.timedelta(minutes=rng.randint(10, 60 * 30))
            if at >= now:
                continue
            desk.reply(request_id=req.pk, by=worker, body="Thank you, we are looking into this.", now=at)
            if rng.random() < 0.2:
                at += dt.timedelta(minutes=rng.randint(5, 120))
                if at < now:
                    desk.add_note(request_id=req.pk, by=worker, text="Checked the details from the system.", now=at)
            if rng.random() < 0.12:
                at += dt.timedelta(minutes=rng.randint(5, 60))
                if at < now:
                    desk.wait_for_customer(request_id=req.pk, by=worker, note="Asked the customer for details.",
                                           now=at)
                continue
            at += dt.timedelta(hours=rng.randint(1, 24 * 8))
            if at >= now or rng.random() < 0.15:
                continue  # still being worked on
            desk.resolve(request_id=req.pk, by=worker, resolution="Done; the customer has been told.", now=at)
            if rng.random() < 0.04:
                at += dt.timedelta(days=rng.randint(1, 5))
                if at < now:
                    desk.reopen(request_id=req.pk, by=req.intake_owner, reason="The customer says it is not fixed.",
                                now=at)
        # The demo's history was mailed long ago: no reply of it goes out again.
        Message.objects.filter(request__service__in=demo_services, sent_at__isnull=True).update(sent_at=F("created_at"))
        # The dashboards show the demo's history at once, without waiting for the first refresh.
        dashboards.refresh_all()
        return made

    def _customers(self):
        customers = list(Customer.objects.filter(email__endswith="@customer.example.fi"))
        if customers:
            return customers
        people = [
            Customer(kind=Customer.Kind.PERSON, name=f"{first} {last}",
                     email=f"{first}.{last}@customer.example.fi".lower().replace("ä", "a").replace("ö", "o"),
                     phone=f"+358 40 {self.random.randint(1000000, 9999999)}", language="fi")
            for first in FIRST_NAMES[:20] for last in LAST_NAMES[:4]
        ]
        organisations = [
            Customer(kind=Customer.Kind.ORGANISATION, name=name, business_id=business_id,
                     email=f"info{index}@customer.example.fi", phone=f"+358 9 {1000000 + index}", language="fi")
            for index, (name, business_id) in enumerate(ORGANISATIONS)
        ]
        return Customer.objects.bulk_create(people + organisations)


def seed(out) -> dict:
    return Seeder(out).run()

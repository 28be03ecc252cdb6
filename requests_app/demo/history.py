"""The demo's history: customers, and three months of requests logged and worked through the domain
operations, so timelines and commitment clocks are real."""

import datetime as dt

from django.db.models import F

from ..dashboards import figures
from ..intake.services import log_request
from ..models import Customer, Message, ServiceRequest
from ..requests import services as desk
from .catalogue import SERVICES
from .organisation import FIRST_NAMES, LAST_NAMES, Organisation

ORGANISATIONS = [
    ("Rakennus Oy Kivi", "1234567-8"), ("Konsultointi Lahtinen Oy", "2345678-9"), ("Kuljetus Nieminen Ky", "3456789-1"),
    ("Pohjolan Tarvike Oy", "4567890-2"), ("Toimisto Tuote Ab", "5678901-3"), ("Siivouspalvelu Puhdas Oy", "6789012-4"),
    ("Oulun kaupunki", "0187690-1"), ("Verohallinto", "0245458-3"),
]
SUBJECTS = {
    "building-permit": ["Extension to our house", "Is a permit needed for a sauna?", "Missing attachments question"],
    "demolition-permit": ["Demolishing an old barn", "Permit for removing a garage"],
    "landscape-permit": ["Felling three birches in the yard", "Levelling the garden"],
    "noise-notification": ["Summer concert in the park", "Pile driving at the building site"],
    "food-premises": ["Opening a café", "New food truck"],
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


def seed_requests(org: Organisation, *, now: dt.datetime, count: int = 320) -> int:
    demo_services = list(org.services.values())
    if ServiceRequest.objects.filter(service__in=demo_services).exists():
        return 0
    rng = org.rng
    customers = _customers(org)
    made = 0
    for n in range(count):
        service = rng.choice(demo_services)
        team = org.teams[next(t for c, _a, t, *_ in SERVICES if c == service.code)]
        members = list(team.members.all())
        logged_at = now - dt.timedelta(days=rng.betavariate(1.2, 3) * 90, minutes=rng.randint(0, 600))
        # Mostly colleagues at the front desk or in other teams take requests in.
        intake = org.front_desk if rng.random() < 0.4 else rng.choice(list(org.people.values()))
        subject = rng.choice(SUBJECTS.get(service.code, [f"Question about {service.name_en.lower()}"]))
        channel = rng.choice(["desk", "phone", "email", "email", "web"])
        if channel == "web" and not service.public_web_form:
            channel = "email"
        if channel == "web":
            intake = None  # sent by the customer on the public web form
        req = log_request(
            by=intake, service_id=service.pk, channel=channel,
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
                desk.reopen(request_id=req.pk, by=req.intake_owner or worker, reason="The customer says it is not fixed.",
                            now=at)
    # The demo's history was mailed long ago: no reply of it goes out again.
    Message.objects.filter(request__service__in=demo_services, sent_at__isnull=True).update(sent_at=F("created_at"))
    # The dashboards show the demo's history at once, without waiting for the first refresh.
    figures.refresh_all(now=now)
    return made


def _customers(org):
    customers = list(Customer.objects.filter(email__endswith="@customer.example.fi"))
    if customers:
        return customers
    people = [
        Customer(kind=Customer.Kind.PERSON, name=f"{first} {last}",
                 email=f"{first}.{last}@customer.example.fi".lower().replace("ä", "a").replace("ö", "o"),
                 phone=f"+358 40 {org.rng.randint(1000000, 9999999)}", language="fi")
        for first in FIRST_NAMES[:20] for last in LAST_NAMES[:4]
    ]
    organisations = [
        Customer(kind=Customer.Kind.ORGANISATION, name=name, business_id=business_id,
                 email=f"info{index}@customer.example.fi", phone=f"+358 9 {1000000 + index}", language="fi")
        for index, (name, business_id) in enumerate(ORGANISATIONS)
    ]
    return Customer.objects.bulk_create(people + organisations)

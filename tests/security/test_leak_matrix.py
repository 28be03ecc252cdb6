"""The need-to-know matrix: six people (owning team, other team, no team, front desk, data protection,
anonymous) against every page, list, search, export, CSV and endpoint that could show one customer's data.
Each cell says whether a marker of that data may appear; any other answer is a leak (or a lockout)."""

import csv
import datetime as dt
import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from requests_app.dashboards import figures
from requests_app.models import Attachment, Message
from tests.factories import CustomerFactory, ServiceRequestFactory, UserFactory

pytestmark = pytest.mark.django_db
EMAIL, SUBJECT, NAME, BODY, FILE = ("aino.virtanen@example.org", "Overtime for October missing", "Aino Virtanen",
                                    "My account is FI99 1234", b"%PDF-payslip-of-aino")
PEOPLE = ["owning team", "other team", "no team", "front desk", "data protection", "anonymous"]
OWN, DP, DESK = "owning team", "data protection", "front desk"


@pytest.fixture
def world(member, other_member, outsider, front_desk, data_protection, service):
    aino = CustomerFactory(name=NAME, email=EMAIL)
    yesterday = timezone.now() - dt.timedelta(days=1)  # inside the dashboard's default period
    req = ServiceRequestFactory(customer=aino, service=service, subject=SUBJECT, intake_owner=UserFactory(),
                                created_at=yesterday)
    Message.objects.create(request=req, direction="in", channel="email", body=BODY, created_at=req.created_at)
    file = Attachment.objects.create(request=req, name="payslip.pdf", content_type="application/pdf",
                                     size=len(FILE), added_at=req.created_at, file=ContentFile(FILE, name="p.pdf"))
    figures.refresh_days(timezone.localdate(yesterday), timezone.localdate())
    people = dict(zip(PEOPLE, [member, other_member, outsider, front_desk, data_protection, None]))
    return {"req": req, "aino": aino, "file": file, "people": people}


def page(path, **query):
    return lambda client, api: client.get(path, query)


def endpoint(path, **query):
    return lambda client, api: api.get(path, query)


def dashboard_csv(client, api):
    """Every table of the organisation's dashboard as CSV, joined: figures only, never a person."""
    board = client.get(reverse("dashboards:org"))
    if board.status_code != 200:
        return board
    tables = board.context["board"].tables if board.context and "board" in board.context else {}
    text = "".join(client.get(reverse("dashboards:org"), {"format": "csv", "table": name}).content.decode()
                   for name in tables)
    assert list(csv.reader(io.StringIO(text))) and "Salary payment" in text  # the request is counted, by service
    return type("Joined", (), {"status_code": 200, "content": text.encode()})


def surfaces(w):
    req, aino, file = w["req"], w["aino"], w["file"]
    detail, customer = reverse("requests:detail", args=[req.reference]), reverse("requests:customer", args=[aino.pk])
    return [
        # (what, how it is asked, the marker that must not leak, who may see it)
        ("request page", page(detail), SUBJECT, {OWN, DP}),
        ("request page: contact", page(detail), EMAIL, {OWN, DP}),
        ("file on the request", page(reverse("requests:file", args=[req.reference, file.pk])), FILE.decode(), {OWN, DP}),
        ("API request", endpoint(reverse("api:request-detail", args=[req.reference])), SUBJECT, {OWN, DP}),
        ("API conversation", endpoint(reverse("api:request-messages", args=[req.reference])), BODY, {OWN, DP}),
        ("API request list", endpoint(reverse("api:request-list")), SUBJECT, {OWN, DP}),
        ("queue of every team", page(reverse("requests:queue"), team="all"), SUBJECT, {OWN, DP}),
        ("queue search by subject", page(reverse("requests:queue"), team="all", q="Overtime for"), SUBJECT, {OWN, DP}),
        ("queue search by name: any row", page(reverse("requests:queue"), team="all", q="Aino Virt"), req.reference,
         {OWN, DP}),
        ("customer page", page(customer), EMAIL, {OWN, DESK, DP}),
        ("customer page: subjects", page(customer), SUBJECT, {OWN, DP}),
        # The page repeats what was typed: the marker is what only a result shows.
        ("customer search", page(reverse("requests:customers"), q=EMAIL), NAME, {OWN, DESK, DP}),
        ("customer search by name", page(reverse("requests:customers"), q="Aino"), EMAIL, {OWN, DESK, DP}),
        ("API customer", endpoint(reverse("api:customer-detail", args=[aino.pk])), EMAIL, {OWN, DESK, DP}),
        ("API customer search", endpoint(reverse("api:customer-list"), q=EMAIL), EMAIL, {OWN, DESK, DP}),
        ("API customer's requests", endpoint(reverse("api:customer-requests", args=[aino.pk])), SUBJECT, {OWN, DP}),
        ("subject-access export", page(reverse("requests:customer_export", args=[aino.pk]), format="json"), EMAIL,
         {DP}),
        ("audit log", page(reverse("requests:audit")), "Audit entries", {DP}),
        ("dashboard CSV", dashboard_csv, NAME, set()),
        ("dashboard CSV: contact", dashboard_csv, EMAIL, set()),
    ]


def test_no_page_list_search_export_csv_or_endpoint_shows_more_than_the_person_may_see(client, world):
    leaks, lockouts = [], []
    for who in PEOPLE:
        person = world["people"][who]
        client.logout()
        api = APIClient()
        if person is not None:
            client.force_login(person)
            api.force_authenticate(person)
        for what, ask, marker, allowed in surfaces(world):
            answer = ask(client, api)
            body = b"".join(answer.streaming_content) if getattr(answer, "streaming", False) else answer.content
            shown = answer.status_code == 200 and marker.encode() in body
            if shown and who not in allowed:
                leaks.append((who, what, answer.status_code))
            if not shown and who in allowed:
                lockouts.append((who, what, answer.status_code))
    assert leaks == [], leaks
    assert lockouts == [], lockouts

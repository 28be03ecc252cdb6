"""Personal data kept no longer than needed: the nightly retention run anonymises resolved requests past
their service's period (and customers left with nothing), every dashboard figure the same before and after;
data protection exports everything about a customer and erases it on request, recorded."""

import datetime as dt
import json

import pytest
from dateutil.relativedelta import relativedelta
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from requests_app.dashboards import figures
from requests_app.models import Attachment, AuditEntry, Customer, Event, Message, ServiceRequest
from requests_app.retention import services as retention
from tests.factories import CustomerFactory, ServiceFactory, ServiceRequestFactory
from tests.requests_app.test_dashboards import SCOPES, TODAY, board_for, cells, world  # noqa: F401

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def resolved(customer, service, *, months_ago, **fields):
    moment = NOW - relativedelta(months=months_ago)
    req = ServiceRequestFactory(customer=customer, service=service, status="resolved", resolved_at=moment,
                                created_at=moment, subject="Salary for Aino Virtanen", description="IBAN FI12 3456",
                                resolution="Paid to FI12 3456", **fields)
    Message.objects.create(request=req, direction="in", channel="email", body="My account is FI12 3456",
                           to_email="", created_at=moment)
    Attachment.objects.create(request=req, name="payslip.pdf", content_type="application/pdf", size=4, added_at=moment,
                              file=ContentFile(b"%PDF", name="payslip.pdf"))
    return req


def test_requests_past_their_services_period_are_anonymised_and_nothing_else(service,
                                                                            django_capture_on_commit_callbacks):
    short = ServiceFactory(owning_team=service.owning_team, retention_months=6)
    aino, bertta = CustomerFactory(name="Aino Virtanen", email="aino@example.org"), CustomerFactory(name="Bertta")
    old = resolved(aino, service, months_ago=25)
    recent = resolved(bertta, service, months_ago=23)           # within the default 24 months
    short_old = resolved(bertta, short, months_ago=7)           # past its service's six months
    still_open = ServiceRequestFactory(customer=CustomerFactory(), service=service, subject="Open one",
                                       created_at=NOW - relativedelta(months=30))
    stored = Attachment.objects.get(request=old).file

    with django_capture_on_commit_callbacks(execute=True):  # the files go once the rows are gone for good
        assert retention.apply_retention(now=NOW) == 2

    old.refresh_from_db()
    assert (old.subject, old.description, old.resolution, old.customer_name) == ("—", "", "", "")
    assert old.anonymised_at == NOW and old.status == "resolved" and old.service_id == service.pk  # what and where
    assert Message.objects.get(request=old).body == "" and not Attachment.objects.filter(request=old).exists()
    assert not stored.storage.exists(stored.name)
    assert old.timeline.filter(kind=Event.PERSONAL_DATA_REMOVED).count() == 1
    assert ServiceRequest.objects.get(pk=short_old.pk).anonymised_at == NOW
    assert ServiceRequest.objects.get(pk=recent.pk).subject == "Salary for Aino Virtanen"
    assert ServiceRequest.objects.get(pk=still_open.pk).subject == "Open one"
    # Aino has nothing left with personal data; Bertta still has a recent request.
    assert Customer.objects.filter(pk=aino.pk, name="—", email="", anonymised_at=NOW).exists()
    assert Customer.objects.get(pk=bertta.pk).name == "Bertta"
    assert retention.apply_retention(now=NOW) == 0  # once
    assert AuditEntry.objects.filter(kind=AuditEntry.Kind.RETENTION).count() == 1


def test_anonymising_every_resolved_request_leaves_every_dashboard_figure_the_same(world):  # noqa: F811
    def all_figures():
        return {(kind, key): {name: cells(table) for name, table in board_for(kind, key).tables.items()}
                for kind, key in SCOPES}

    before = all_figures()
    removed = retention.apply_retention(now=NOW + relativedelta(years=10))
    figures.refresh_days(TODAY - dt.timedelta(days=40), TODAY)

    assert removed == ServiceRequest.objects.filter(status="resolved").count() > 0
    assert all_figures() == before


@pytest.fixture
def aino_history(service):
    aino = CustomerFactory(name="Aino Virtanen", email="aino@example.org")
    return aino, resolved(aino, service, months_ago=1)


def test_data_protection_exports_everything_about_a_customer(client, data_protection, aino_history, member):
    aino, req = aino_history
    AuditEntry.record(AuditEntry.Kind.READ_CUSTOMER, by=member, via="page", customer_id=aino.pk)
    client.force_login(data_protection)

    page = client.get(reverse("requests:customer_export", args=[aino.pk]))
    data = json.loads(client.get(reverse("requests:customer_export", args=[aino.pk]), {"format": "json"}).content)

    assert page.status_code == 200 and "My account is FI12 3456" in page.content.decode()
    assert data["customer"]["email"] == "aino@example.org"
    [exported] = data["requests"]
    assert exported["reference"] == req.reference and exported["messages"][0]["text"] == "My account is FI12 3456"
    assert exported["files"][0]["name"] == "payslip.pdf"
    assert [r["who"] for r in data["read_by"]][:1] == [member.username]
    assert AuditEntry.objects.filter(kind=AuditEntry.Kind.EXPORT, customer_id=aino.pk).count() == 2


@pytest.mark.parametrize("who", ["member", "front_desk", "outsider"])
def test_only_data_protection_exports_and_erases(client, request, who, aino_history):
    aino, req = aino_history
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("requests:customer_export", args=[aino.pk])).status_code == 403
    assert client.post(reverse("requests:customer_erase", args=[aino.pk]), {"reason": "asked"}).status_code == 403
    assert ServiceRequest.objects.get(pk=req.pk).anonymised_at is None


def test_erasure_on_request_removes_the_data_at_once_and_records_why(client, data_protection, aino_history):
    aino, req = aino_history
    client.force_login(data_protection)

    refused = client.post(reverse("requests:customer_erase", args=[aino.pk]), {"reason": "  "})
    assert refused.status_code == 409 and ServiceRequest.objects.get(pk=req.pk).anonymised_at is None

    client.post(reverse("requests:customer_erase", args=[aino.pk]), {"reason": "Asked by e-mail on 1 Dec"})

    assert ServiceRequest.objects.get(pk=req.pk).subject == "—"
    assert Customer.objects.get(pk=aino.pk).email == ""
    entry = AuditEntry.objects.get(kind=AuditEntry.Kind.ERASURE)
    assert (entry.actor, entry.customer_id, entry.detail) == (data_protection.username, aino.pk,
                                                              "Asked by e-mail on 1 Dec")


def test_erasure_waits_while_a_request_is_still_open(client, data_protection, aino_history, service):
    aino, req = aino_history
    ServiceRequestFactory(customer=aino, service=service)
    client.force_login(data_protection)
    answer = client.post(reverse("requests:customer_erase", args=[aino.pk]), {"reason": "Asked"})
    assert answer.status_code == 409 and "still open" in answer.content.decode()
    assert not ServiceRequest.objects.filter(anonymised_at__isnull=False).exists()
    assert Customer.objects.get(pk=aino.pk).email == "aino@example.org"


def test_a_maintainer_sets_a_services_retention_period_and_nonsense_is_refused(client, lead, service):
    from catalogue.permissions import maintainers_group

    maintainers_group().user_set.add(lead)
    client.force_login(lead)
    page = client.get(reverse("catalogue:service_edit", args=[service.code]))
    form = page.context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data |= {"area": service.area_id, "owning_team": service.owning_team_id, "channels": service.channels,
             "customer_groups": [], "contributing_units": []}
    for wrong in ("0", "601", "x"):
        assert client.post(reverse("catalogue:service_edit", args=[service.code]),
                           data | {"retention_months": wrong}).status_code == 400
    assert ServiceFactory._meta.model.objects.get(pk=service.pk).retention_months == 24
    client.post(reverse("catalogue:service_edit", args=[service.code]), data | {"retention_months": "6"})
    assert ServiceFactory._meta.model.objects.get(pk=service.pk).retention_months == 6
    assert "6 months after a request is resolved" in client.get(
        reverse("catalogue:service", args=[service.code])).content.decode()

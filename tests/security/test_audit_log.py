"""The audit log: every reading of a customer's personal data (page, search, API, files) and every change of
roles, teams, the catalogue and commitments, append-only in the database, searched by data protection."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from catalogue import services as catalogue_services
from catalogue.permissions import maintainers_group
from requests_app.models import AuditEntry, access
from teams import services as team_services
from tests.factories import CommitmentFactory, CustomerFactory, ServiceRequestFactory, UserFactory

pytestmark = pytest.mark.django_db
Kind = AuditEntry.Kind


@pytest.fixture
def aino_request(service):
    return ServiceRequestFactory(customer=CustomerFactory(name="Aino Virtanen", email="aino@example.org"),
                                 service=service)


def entries(**where):
    return list(AuditEntry.objects.filter(**where).values_list("actor", "kind", "via", "customer_id", "request_id"))


def test_every_reading_of_a_customer_or_a_request_is_recorded_with_who_and_how(client, member, aino_request):
    req, customer = aino_request, aino_request.customer
    client.force_login(member)
    client.get(reverse("requests:detail", args=[req.reference]))
    client.get(reverse("requests:customer", args=[customer.pk]))
    client.get(reverse("requests:customers"), {"q": "aino@example.org"})
    api = APIClient()
    api.force_authenticate(member)
    api.get(reverse("api:request-detail", args=[req.reference]))
    api.get(reverse("api:customer-detail", args=[customer.pk]))

    name = member.username
    assert entries() == [
        (name, Kind.READ_CUSTOMER, "api", customer.pk, None),
        (name, Kind.READ_REQUEST, "api", customer.pk, req.pk),
        (name, Kind.READ_CUSTOMER, "search", customer.pk, None),
        (name, Kind.READ_CUSTOMER, "page", customer.pk, None),
        (name, Kind.READ_REQUEST, "page", customer.pk, req.pk),
    ]


def test_a_refused_reading_records_nothing(client, other_member, aino_request):
    client.force_login(other_member)
    assert client.get(reverse("requests:customer", args=[aino_request.customer_id])).status_code == 404
    card = client.get(reverse("requests:detail", args=[aino_request.reference]))  # its status card only
    assert aino_request.subject not in card.content.decode()
    assert entries() == []


def test_changes_of_roles_teams_catalogue_and_commitments_are_recorded(client, lead, team, service, data_protection):
    newcomer = UserFactory(username="newcomer")
    team_services.add_member(team_id=team.pk, user_id=newcomer.pk, by=lead)
    access.role_group(access.FRONT_DESK).user_set.add(newcomer)
    maintainers_group().user_set.add(lead)
    catalogue_services.update_service(by=lead, service_id=service.pk, name_en="Salary payment and fees")
    CommitmentFactory(service=service, team=None)

    kinds = set(AuditEntry.objects.values_list("kind", flat=True))
    assert {Kind.TEAM, Kind.ROLE, Kind.CATALOGUE, Kind.COMMITMENT} <= kinds
    assert AuditEntry.objects.get(kind=Kind.CATALOGUE).actor == lead.username
    team_entry = AuditEntry.objects.get(kind=Kind.TEAM)
    assert team_entry.actor == lead.username and "newcomer" in team_entry.detail
    assert "Front desk" in AuditEntry.objects.get(kind=Kind.ROLE, detail__contains="newcomer").detail


def test_the_log_cannot_be_rewritten_by_the_desks_own_database_user(member, aino_request, needs_postgres):
    AuditEntry.record(Kind.READ_CUSTOMER, by=member, via="page", customer_id=aino_request.customer_id)
    for statement in ("UPDATE requests_app_auditentry SET actor = 'someone else'",
                      "DELETE FROM requests_app_auditentry"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(statement)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get().actor == member.username


@pytest.mark.parametrize("who, status", [("data_protection", 200), ("member", 403), ("front_desk", 403),
                                         ("outsider", 403)])
def test_only_data_protection_searches_the_log(client, request, who, status, aino_request, member):
    AuditEntry.record(Kind.READ_CUSTOMER, by=member, via="page", customer_id=aino_request.customer_id)
    client.force_login(request.getfixturevalue(who))
    page = client.get(reverse("requests:audit"), {"person": member.username})
    assert page.status_code == status
    if status == 200:
        assert len(page.context["entries"]) == 1


def test_the_log_is_searched_by_person_customer_reference_kind_and_days(client, data_protection, member, aino_request):
    other = CustomerFactory()
    AuditEntry.record(Kind.READ_CUSTOMER, by=member, via="page", customer_id=aino_request.customer_id)
    AuditEntry.record(Kind.READ_REQUEST, by=member, via="page", customer_id=aino_request.customer_id,
                      request_id=aino_request.pk)
    AuditEntry.record(Kind.READ_CUSTOMER, by=data_protection, via="page", customer_id=other.pk)
    client.force_login(data_protection)

    def found(**query):
        return len(client.get(reverse("requests:audit"), query).context["entries"])

    assert found(person=member.username) == 2
    assert found(customer=aino_request.customer_id) == 2
    assert found(reference=aino_request.reference.lower()) == 1
    assert found(kind=Kind.READ_REQUEST) == 1
    assert found(since="2000-01-01", until="2000-01-02") == 0
    bad = client.get(reverse("requests:audit"), {"customer": "x", "since": "31.31.2026"})
    assert bad.status_code == 400


def test_the_log_pages_back_in_time(client, data_protection, member):
    for number in range(105):
        AuditEntry.record(Kind.READ_CUSTOMER, by=member, via="page", customer_id=number + 1)
    client.force_login(data_protection)
    first = client.get(reverse("requests:audit"), {"kind": Kind.READ_CUSTOMER})
    assert len(first.context["entries"]) == 100
    older = client.get(reverse("requests:audit") + "?" + first.context["next_query"])
    assert [e.customer_id for e in older.context["entries"]] == [5, 4, 3, 2, 1]

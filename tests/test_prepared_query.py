"""A query compiled once gives what its queryset gives, for every run's values."""

import threading

import pytest
from django.db import connection
from django.db.models import Count, F, Prefetch
from django.test.utils import CaptureQueriesContext

from requests_app.models import ServiceRequest
from servicedesk.prepared import PreparedQuery
from tests.factories import ServiceRequestFactory, UserFactory

pytestmark = pytest.mark.django_db


def _requests_of(built):
    def build(team_id, subject):
        built.append((team_id, subject))
        return (ServiceRequest.objects.select_related("service__area", "team", "assignee")
                .annotate(service_code=F("service__code")).filter(team_id=team_id, subject=subject).order_by("pk"))
    return build


def test_each_run_gives_the_querysets_instances_for_its_own_values_from_one_compilation():
    first, second = ServiceRequestFactory(subject="Payslip"), ServiceRequestFactory(subject="Payslip")
    ServiceRequestFactory(team=first.team, subject="Other")
    second.assignee = UserFactory()
    second.save()
    built = []
    prepared = PreparedQuery(_requests_of(built), team_id=-1_000_000_007, subject="\x1fsubject")

    for req in (first, second):
        [got] = prepared(team_id=req.team_id, subject="Payslip")
        [expected] = _requests_of([])(req.team_id, "Payslip")
        assert got.pk == expected.pk and got.subject == expected.subject and got.created_at == expected.created_at
        assert got.service_code == req.service.code
        with CaptureQueriesContext(connection) as reads:
            assert got.service.area.name == expected.service.area.name and got.team.slug == req.team.slug
            assert got.assignee == expected.assignee
        assert len(reads) == 0, "related rows come with the request"
    assert prepared(team_id=first.team_id, subject="Nothing like it") == []
    assert len(built) == 1, "the queryset is built once"


def test_each_thread_compiles_its_own_and_gets_the_same_rows(transactional_db):
    req = ServiceRequestFactory(subject="Payslip")
    built = []
    prepared = PreparedQuery(_requests_of(built), team_id=-1_000_000_007, subject="\x1fsubject")
    found = []

    def run():
        found.extend(r.pk for r in prepared(team_id=req.team_id, subject="Payslip"))
        connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    found.extend(r.pk for r in prepared(team_id=req.team_id, subject="Payslip"))
    assert found == [req.pk, req.pk] and len(built) == 2


def test_a_marker_the_query_does_not_use_is_refused():
    prepared = PreparedQuery(lambda team_id, subject: ServiceRequest.objects.filter(team_id=team_id),
                             team_id=-1_000_000_007, subject="\x1fsubject")
    with pytest.raises(ValueError, match="marker"):
        prepared(team_id=1, subject="x")


@pytest.mark.parametrize("shape", [
    lambda team_id: ServiceRequest.objects.filter(team_id=team_id).prefetch_related(Prefetch("timeline")),
    lambda team_id: ServiceRequest.objects.filter(team_id=team_id).values("team").annotate(n=Count("pk")),
])
def test_a_queryset_that_is_not_plain_instances_is_refused(shape):
    with pytest.raises(ValueError, match="model instances"):
        PreparedQuery(shape, team_id=-1_000_000_007)(team_id=1)

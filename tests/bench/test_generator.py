"""The benchmark data is only worth its figures if it is the data the desk itself would have written."""

import argparse
import datetime as dt
from collections import Counter, defaultdict

import pytest

from bench.generate import Generator
from requests_app.commitments.clocks import summarise
from requests_app.models import Handoff, RequestClock, ServiceRequest, Status, TimelineEvent
from teams.models import Membership

pytestmark = pytest.mark.django_db(transaction=True)

# A Wednesday mid-morning, Helsinki time: the same data whatever day the suite runs.
NOW = dt.datetime.fromisoformat("2026-11-18T10:30+02:00")


@pytest.fixture
def generated(needs_postgres, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # the staff's passwords
    Generator(argparse.Namespace(requests=3000, customers=600, days=730, seed=7, now=NOW)).run()
    return list(ServiceRequest.objects.all())


def test_every_request_carries_the_commitment_summary_of_its_clocks(generated):
    clocks = defaultdict(list)
    for clock in RequestClock.objects.all():
        clocks[clock.request_id].append(clock)
    for req in generated:
        state, deadline = summarise(clocks[req.pk])
        assert req.commitment_state == state, req.reference
        if req.status != Status.RESOLVED:
            assert req.next_deadline_at == deadline, req.reference


def test_states_times_and_people_are_consistent(generated):
    members = defaultdict(set)
    for team_id, user_id in Membership.objects.values_list("team_id", "user_id"):
        members[team_id].add(user_id)
    for req in generated:
        if req.status == Status.RESOLVED:
            assert req.created_at <= req.first_reply_at <= req.resolved_at
        else:
            assert req.resolved_at is None
        if req.status == Status.NEW:
            assert req.assignee_id is None and req.first_reply_at is None
        if req.assignee_id:
            assert req.assignee_id in members[req.team_id]
    statuses = Counter(req.status for req in generated)
    assert set(statuses) == set(Status.values)
    assert statuses[Status.RESOLVED] > 0.9 * len(generated)


def test_hand_offs_lead_to_the_team_that_has_the_request_now(generated):
    moves = defaultdict(list)
    for handoff in Handoff.objects.order_by("created_at", "pk"):
        moves[handoff.request_id].append(handoff)
    for req in generated:
        assert len(moves[req.pk]) == req.handoff_count
        if moves[req.pk]:
            assert moves[req.pk][-1].to_team_id == req.team_id
            assert all(move.from_team_id != move.to_team_id for move in moves[req.pk])


def test_every_request_has_a_timeline_that_starts_with_its_logging(generated):
    first = {}
    for request_id, kind, at in TimelineEvent.objects.order_by("created_at", "pk").values_list(
        "request_id", "kind", "created_at"
    ):
        first.setdefault(request_id, (kind, at))
    assert len(first) == len(generated)
    for req in generated:
        assert first[req.pk] == ("logged", req.created_at)

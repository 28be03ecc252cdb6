"""The demo organisation: what the foundation promises, and seeding twice duplicates nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q

from catalogue.models import Service, ServiceArea, UnitTask
from requests_app.models import (
    Commitment,
    Customer,
    Handoff,
    InboundMail,
    Message,
    ServiceRequest,
    Status,
    TimelineEvent,
)
from teams.models import Membership, Site, Team, Unit, User

pytestmark = pytest.mark.django_db(transaction=True)

# A Wednesday morning: the same demo whatever day the suite runs.
NOW = "2026-11-18T10:30+02:00"


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Site, Unit, User, Team, Membership, ServiceArea, Service, UnitTask, Customer,
                      ServiceRequest, TimelineEvent, Commitment, Message)
    }


def test_the_demo_seeds_a_realistic_organisation_once_and_says_how_to_log_in():
    out = StringIO()
    call_command("seed_demo", "--now", NOW, stdout=out)
    first = counts()
    call_command("seed_demo", "--now", NOW, stdout=StringIO())

    assert counts() == first
    assert first["Site"] == 11
    assert Unit.objects.filter(parent=None).count() == 6
    assert Unit.objects.filter(children__isnull=False).distinct().count() == 2
    assert first["ServiceArea"] >= 8 and first["Service"] >= 40 and first["Team"] >= 10 and first["User"] >= 30
    assert not Service.objects.filter(owning_team=None).exists()
    # Every promise can be read to the customer in Finnish, Swedish and English.
    assert not Service.objects.filter(Q(promise_fi="") | Q(promise_sv="") | Q(promise_en="")).exists()
    # Teams span units and sites.
    assert Team.objects.annotate(units_n=Count("units"), sites_n=Count("sites", distinct=True)).filter(
        sites_n__gte=2).count() >= 10
    assert all(team.leads for team in Team.objects.all())
    # A few hundred requests over every state, each with its timeline.
    assert 200 <= first["ServiceRequest"] <= 1000
    assert set(ServiceRequest.objects.values_list("status", flat=True)) == set(Status.values)
    assert not ServiceRequest.objects.filter(timeline__isnull=True).exists()
    # Some were passed on to another team, with the note that says why.
    assert Handoff.objects.exclude(note="").exclude(from_team=F("to_team")).count() >= 10
    spread = ServiceRequest.objects.order_by("created_at")
    assert (spread.last().created_at - spread.first().created_at).days >= 30
    # The history is not mailed again.
    assert not Message.objects.filter(direction="out", sent_at__isnull=True).exists()
    # Mail came in: customers answered, new mail waits to be sorted, one mail names a request from a stranger.
    outcomes = set(InboundMail.objects.values_list("outcome", flat=True))
    assert {"joined", "to_sort", "flagged", "automatic"} <= outcomes
    assert ServiceRequest.objects.filter(customer_replied_at__isnull=False).exists()

    printed = out.getvalue()
    assert "demo-desk-2026" in printed and "reception" in printed
    lead = Team.objects.get(slug="payroll").leads[0]
    assert lead.username in printed and lead.check_password("demo-desk-2026")


def test_rundesk_refuses_a_port_in_use_before_starting_anything():
    import socket

    from django.core.management.base import CommandError

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(CommandError, match="already in use"):
            call_command("rundesk", f"127.0.0.1:{port}", stdout=StringIO())
    assert not Team.objects.exists()  # nothing migrated or seeded, no worker started


def test_rundesk_explains_a_malformed_address():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="HOST:PORT"):
        call_command("rundesk", "127.0.0.1:http", stdout=StringIO())

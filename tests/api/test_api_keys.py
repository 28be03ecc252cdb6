"""Integrations call the API with a key of their own: kept only as a digest, read-only unless made to write,
limited to teams when named, revocable, rate-limited, and never a password hash on a call."""

import base64
import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from rest_framework.test import APIClient

from requests_app.models import RateCount
from teams import tokens
from teams.models import ApiToken
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    ServiceFactory,
    ServiceRequestFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
HASHED = []


class CountingHasher(MD5PasswordHasher):
    """A real hasher that counts its checks: a call with a key must not make one."""

    def verify(self, password, encoded):
        HASHED.append(1)
        return super().verify(password, encoded)


def with_key(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def url(name, *args):
    return reverse(f"api:{name}", args=args)


@pytest.fixture
def two_teams(member, service):
    other = ServiceFactory(owning_team=TeamFactory(slug="other"))
    MembershipFactory(team=other.owning_team, user=member)
    ours = ServiceRequestFactory(service=service)
    theirs = ServiceRequestFactory(service=other)
    return ours, theirs


def test_a_call_without_credentials_is_told_how_to_bring_a_key():
    answer = APIClient().get(url("request-list"))
    assert answer.status_code == 401 and answer["WWW-Authenticate"] == 'Bearer realm="api"'


def test_a_key_reads_what_its_account_may_read_and_only_its_digest_is_kept(member, two_teams, settings):
    settings.PASSWORD_HASHERS = ["tests.api.test_api_keys.CountingHasher"]
    HASHED.clear()
    token, key = tokens.issue(name="crm", user=member)

    listed = with_key(key).get(url("request-list"))

    assert listed.status_code == 200
    assert {row["reference"] for row in listed.json()["results"]} == {req.reference for req in two_teams}
    assert HASHED == []  # no password hash on a call
    assert token.digest != key and key not in {token.digest, token.prefix}
    assert ApiToken.objects.filter(digest=tokens.digest_of(key)).exists()
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None


def test_a_key_limited_to_a_team_sees_nothing_of_the_others(member, two_teams, service):
    ours, theirs = two_teams
    _, key = tokens.issue(name="payroll-portal", user=member, teams=[service.owning_team], can_write=True)
    client = with_key(key)

    assert [row["reference"] for row in client.get(url("request-list")).json()["results"]] == [ours.reference]
    assert client.get(url("request-detail", ours.reference)).status_code == 200
    assert client.get(url("request-detail", theirs.reference)).status_code == 404
    assert client.post(url("request-claim", theirs.reference)).status_code == 404


def test_a_read_only_key_is_refused_every_change_and_a_writing_key_makes_it(member, two_teams):
    ours, _ = two_teams
    _, reader = tokens.issue(name="reports", user=member)
    _, writer = tokens.issue(name="crm", user=member, can_write=True)

    refused = with_key(reader).post(url("request-claim", ours.reference))
    claimed = with_key(writer).post(url("request-claim", ours.reference))

    assert refused.status_code == 403 and refused.json()["detail"] == "This key may only read."
    assert claimed.status_code == 200 and claimed.json()["assignee"]


@pytest.mark.parametrize("key", ["sdk_made-up", "not even a key", "sdk_\u00e4"])
def test_an_unknown_key_is_refused(member, key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}".encode().decode("latin-1"))
    assert client.get(url("request-list")).status_code == 401


def test_a_revoked_key_stops_at_once(member):
    token, key = tokens.issue(name="crm", user=member)
    assert with_key(key).get(url("request-list")).status_code == 200
    assert tokens.revoke(token.pk)
    assert with_key(key).get(url("request-list")).status_code == 401
    assert not tokens.revoke(token.pk)


def test_a_key_of_a_deactivated_account_stops(member):
    _, key = tokens.issue(name="crm", user=member)
    member.is_active = False
    member.save()
    assert with_key(key).get(url("request-list")).status_code == 401


def test_calls_over_the_rate_are_answered_429_per_key(member, settings):
    settings.API_TOKEN_RATE = "3/min"
    _, first = tokens.issue(name="a", user=member)
    _, second = tokens.issue(name="b", user=member)
    answers = [with_key(first).get(url("service-list")).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    assert with_key(second).get(url("service-list")).status_code == 200


def test_basic_authentication_is_off_unless_turned_on(member, settings):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Basic " + base64.b64encode(f"{member.username}:{PASSWORD}".encode()).decode())
    assert client.get(url("request-list")).status_code == 401
    settings.API_BASIC_AUTH = True
    assert client.get(url("request-list")).status_code == 200


def test_keys_are_made_listed_and_revoked_from_the_command_line(member, service):
    out = StringIO()
    call_command("api_token", "create", "crm", "--user", member.username, "--write", "--team", service.owning_team.slug,
                 stdout=out)
    key = out.getvalue().strip().splitlines()[-1]
    token = ApiToken.objects.get()
    assert key.startswith("sdk_") and token.can_write and list(token.teams.all()) == [service.owning_team]
    assert with_key(key).get(url("request-list")).status_code == 200

    listing = StringIO()
    call_command("api_token", "list", stdout=listing)
    assert "crm" in listing.getvalue() and key not in listing.getvalue()
    call_command("api_token", "revoke", str(token.pk), stdout=StringIO())
    assert with_key(key).get(url("request-list")).status_code == 401

    with pytest.raises(CommandError, match="No active account"):
        call_command("api_token", "create", "x", "--user", "nobody")
    with pytest.raises(CommandError, match="No such team"):
        call_command("api_token", "create", "x", "--user", member.username, "--team", "nope")
    with pytest.raises(CommandError, match="No live key"):
        call_command("api_token", "revoke", str(token.pk))
    UserFactory()  # nothing else changed
    assert ApiToken.objects.count() == 1


def test_a_keys_rate_holds_across_the_edge_of_a_window_and_frees_as_the_last_window_slips_away():
    minute = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)

    def calls(*seconds):
        return [RateCount.sliding_count("api-key:7", seconds=60, now=minute + dt.timedelta(seconds=s)) <= 3
                for s in seconds]

    # Three at the end of a minute: the next just after the edge is still within the last sixty seconds.
    assert calls(59.0, 59.5, 59.9, 60.1) == [True, True, True, False]
    # Near the end of the next minute the last one's calls have almost slipped away (4 made there, counted).
    assert calls(119.5) == [True]
    assert RateCount.sliding_count("api-key:8", seconds=60, now=minute) == 1  # each key its own

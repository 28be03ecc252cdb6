"""When the timers or the mail stop, every member of staff sees it at once; /health/ and `manage.py doctor`
say it in words."""

import datetime as dt
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from requests_app.health.services import record_beat
from requests_app.models import Heartbeat

NOW = dt.datetime(2026, 12, 6, 0, 30, tzinfo=dt.UTC)  # a Sunday night, Independence Day


@pytest.fixture
def beating(db):
    """Both background runs ran a moment ago."""
    record_beat("timers")
    record_beat("mail")


def test_every_staff_page_warns_when_the_timers_have_not_run_for_two_minutes(beating, client, member):
    client.force_login(member)
    for name in ("requests:queue", "requests:new", "dashboards:org", "teams:list"):
        assert "The timers have not run" not in client.get(reverse(name)).content.decode()
    Heartbeat.objects.filter(name="timers").update(last_run_at=timezone.now() - dt.timedelta(minutes=3))
    cache.clear()  # pages read the heartbeats through a ten-second cache
    for name in ("requests:queue", "requests:new", "dashboards:org", "teams:list"):
        page = client.get(reverse(name)).content.decode()
        assert 'role="alert"' in page
        assert "The timers have not run for 3 minutes: warnings and breaches are not being recorded." in page
    record_beat("timers")
    cache.clear()
    assert "The timers have not run" not in client.get(reverse("requests:queue")).content.decode()


def test_a_desk_whose_timers_never_ran_says_so_and_visitors_see_nothing(db, client, member):
    assert "never" not in client.get(reverse("login")).content.decode()
    client.force_login(member)
    page = client.get(reverse("requests:queue")).content.decode()
    assert "The timers have never run" in page and "Mail has never been sent" in page


def test_stalled_mail_is_told_apart_from_stalled_timers(db, client, member):
    record_beat("timers")
    Heartbeat.objects.create(name="mail", last_run_at=timezone.now() - dt.timedelta(minutes=10))
    client.force_login(member)
    page = client.get(reverse("requests:queue")).content.decode()
    assert "Mail has not been sent for 10 minutes" in page and "The timers have" not in page


def test_health_answers_200_when_all_is_well_and_503_with_the_reason_when_timers_stall(beating, client):
    response = client.get("/health/")
    assert response.status_code == 200 and response.json()["ok"] is True
    assert set(response.json()["checks"]) == {"database", "broker", "timers", "mail"}
    assert response["Cache-Control"].startswith("max-age=0")
    Heartbeat.objects.filter(name="timers").update(last_run_at=timezone.now() - dt.timedelta(hours=1))
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["timers"] == {
        "ok": False, "text": "The timers have not run for 60 minutes: warnings and breaches are not being recorded."}


def test_the_staleness_is_counted_from_the_given_moment_on_any_day(db):
    from requests_app.health.selectors import stale_runs

    record_beat("timers", now=NOW - dt.timedelta(seconds=30))
    record_beat("mail", now=NOW - dt.timedelta(seconds=30))
    assert stale_runs(now=NOW) == []
    assert [check.name for check in stale_runs(now=NOW + dt.timedelta(minutes=2))] == ["timers"]


def test_doctor_says_what_is_wrong_in_words_and_fails(beating):
    out = StringIO()
    call_command("doctor", stdout=out)
    assert "All is well." in out.getvalue() and "The timers run." in out.getvalue()
    Heartbeat.objects.filter(name="mail").update(last_run_at=timezone.now() - dt.timedelta(minutes=30))
    out = StringIO()
    with pytest.raises(CommandError, match="Not well: mail"):
        call_command("doctor", stdout=out)
    assert "Mail has not been sent for 30 minutes" in out.getvalue()

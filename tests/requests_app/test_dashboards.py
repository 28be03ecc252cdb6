"""Dashboards: every figure against a count made here, in plain Python, from what the test itself did.

The world: two teams in a unit tree (support under digital; admin elsewhere), two sites, requests over a
fortnight through the real domain operations (so clocks, outcomes and timelines are the desk's own), one
hand-off across units, a request waiting for the customer (paused clocks), breaches recorded by the sweep.
"""

import csv
import datetime as dt
import io
import re
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone

from requests_app.commitments import services as commitment_services
from requests_app.commitments import timers
from requests_app.dashboards import board as dashboards
from requests_app.dashboards import figures, scope
from requests_app.intake import services as intake
from requests_app.models import DURATION_EDGES, ClockState, Handoff, RequestClock, ServiceRequest, Status
from requests_app.requests import services
from tests.factories import (
    CommitmentFactory,
    MembershipFactory,
    ServiceFactory,
    SiteFactory,
    TeamFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
FIRST = TODAY - dt.timedelta(days=13)  # the period: two weeks ending yesterday
LAST = TODAY - dt.timedelta(days=1)
NOW = timezone.now()


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


class World:
    def __init__(self):
        self.digital = UnitFactory(code="digital", name="Digital Services")
        self.support_unit = UnitFactory(code="support", name="User Support", parent=self.digital)
        self.admin_unit = UnitFactory(code="admin", name="Administration")
        self.support = TeamFactory(slug="support", name="Support team")
        self.support.units.add(self.support_unit)
        self.admin = TeamFactory(slug="admin", name="Admin team")
        self.admin.units.add(self.admin_unit)
        for team in (self.support, self.admin):
            CommitmentFactory(team=team, kind="first_reply", target_minutes=8 * 60, hours="calendar",
                              warn_percent=None)
            CommitmentFactory(team=team, kind="resolution", target_minutes=3 * 24 * 60, hours="calendar",
                              warn_percent=None)
        self.laptops = ServiceFactory(code="laptops", name_en="Laptops", owning_team=self.support)
        self.keys = ServiceFactory(code="keys", name_en="Keys", owning_team=self.admin)
        self.helsinki, self.oulu = SiteFactory(code="helsinki", name="Helsinki"), SiteFactory(code="oulu", name="Oulu")
        self.worker = MembershipFactory(team=self.support, user=UserFactory(username="worker")).user
        self.keeper = MembershipFactory(team=self.admin, user=UserFactory(username="keeper")).user
        self.desk = UserFactory(username="desk")
        self.requests = []

    def log(self, service, day, hour, *, channel="email", site=None, reply_after=None, resolve_after=None):
        logged = at(day, hour)
        req = intake.log_request(by=self.desk, service_id=service.pk, channel=channel, subject="Help",
                                   new_customer={"name": "Aino", "email": "aino@example.org"},
                                   site_id=(site or self.helsinki).pk, now=logged)
        worker = self.worker if service.owning_team == self.support else self.keeper
        if reply_after is not None:
            timers.sweep(now=logged + reply_after, batch_size=1000)  # what fell due before, as the beat would
            services.claim(request_id=req.pk, by=worker, now=logged + reply_after)
            services.reply(request_id=req.pk, by=worker, body="On it", now=logged + reply_after)
        if resolve_after is not None:
            timers.sweep(now=logged + resolve_after, batch_size=1000)
            services.resolve(request_id=req.pk, by=worker, resolution="Done", now=logged + resolve_after)
        self.requests.append(req)
        return req


@pytest.fixture
def world():
    w = World()
    h = dt.timedelta(hours=1)
    d = FIRST
    w.log(w.laptops, d, 9, reply_after=2 * h, resolve_after=30 * h)
    w.log(w.laptops, d, 10, channel="phone", site=w.oulu, reply_after=10 * h)  # first reply late: breach
    w.log(w.keys, d + dt.timedelta(days=1), 9, reply_after=30 * dt.timedelta(minutes=1), resolve_after=5 * h)
    w.log(w.keys, d + dt.timedelta(days=2), 11, channel="desk", reply_after=3 * h, resolve_after=100 * h)  # late
    moved = w.log(w.keys, d + dt.timedelta(days=3), 8)  # admin lets the first reply slip, then hands it over
    timers.sweep(now=at(d + dt.timedelta(days=4), 8), batch_size=1000)
    services.hand_off(request_id=moved.pk, by=w.keeper, to_service_id=w.laptops.pk, note="IT owns this",
                      now=at(d + dt.timedelta(days=4), 9))
    waiting = w.log(w.laptops, d + dt.timedelta(days=5), 9, reply_after=h)
    services.wait_for_customer(request_id=waiting.pk, by=w.worker, now=at(d + dt.timedelta(days=5), 11))
    w.log(w.laptops, LAST, 15, channel="web", site=w.oulu, reply_after=20 * dt.timedelta(minutes=1))
    w.log(w.laptops, TODAY - dt.timedelta(days=20), 9, reply_after=h, resolve_after=2 * h)  # the period before
    w.log(w.keys, TODAY, 0)  # today: outside the period
    # The sweep records what fell due (breaches) as it would have, minute by minute; here at once.
    timers.sweep(now=NOW, batch_size=1000)
    figures.refresh_days(TODAY - dt.timedelta(days=40), TODAY)
    return w


def in_scope(w, scope, req):
    req.refresh_from_db()
    return {
        "org": True, "unit": req.team_id == w.support.pk, "team": req.team_id == w.admin.pk,
        "site": req.intake_site_id == w.oulu.pk, "service": req.service_id == w.laptops.pk,
    }[scope]


SCOPES = [("org", None), ("unit", "digital"), ("team", "admin"), ("site", "oulu"), ("service", "laptops")]


def board_for(kind, key, first=FIRST, last=LAST):
    return dashboards.build(scope.scope_for(kind, key), scope.Period("custom", first, last), now=NOW)


def cells(table):
    return [[cell.value for cell in row] for row in table.rows]


@pytest.mark.parametrize("kind, key", SCOPES)
def test_incoming_by_day_and_channel_match_a_count_of_the_requests(world, kind, key):
    board = board_for(kind, key)
    mine = [r for r in world.requests if in_scope(world, kind, r) and FIRST <= timezone.localdate(r.created_at) <= LAST]

    per_day = Counter(timezone.localdate(r.created_at) for r in mine)
    expected = [[(FIRST + dt.timedelta(days=i)).strftime("%d.%m."), per_day[FIRST + dt.timedelta(days=i)]]
                for i in range((LAST - FIRST).days + 1)]
    assert cells(board.tables["incoming"]) == expected
    per_channel = Counter(r.channel for r in mine)
    assert {row[0]: row[1] for row in cells(board.tables["channels"])} == {
        str(label): per_channel[value] for value, label in ServiceRequest._meta.get_field("channel").choices
    }
    assert board.headline[0].now == len(mine)


@pytest.mark.parametrize("kind, key", SCOPES)
def test_commitments_kept_per_clock_match_the_clocks_themselves(world, kind, key):
    board = board_for(kind, key)
    expected = Counter()
    for clock in RequestClock.objects.select_related("request"):
        deadline_day = timezone.localdate(clock.deadline_at)
        if not FIRST <= deadline_day <= LAST:
            continue
        # The team, service and site the request had when the clock was decided.
        req, decided_at = clock.request, clock.breached_at or clock.met_at
        team, service = req.team_id, req.service_id
        move = Handoff.objects.filter(request=req).first()
        if move and decided_at and decided_at < move.created_at:
            team, service = move.from_team_id, move.from_service_id
        scoped = {"org": True, "unit": team == world.support.pk, "team": team == world.admin.pk,
                  "site": req.intake_site_id == world.oulu.pk, "service": service == world.laptops.pk}[kind]
        if not scoped or not decided_at:
            continue
        if clock.breached_at or (clock.met_at and clock.met_at > clock.deadline_at):
            expected[(clock.kind, "missed")] += 1
        elif clock.met_at:
            expected[(clock.kind, "kept")] += 1
    got = {row[0]: (row[2], row[3]) for row in cells(board.tables["commitments"])}
    assert got["First reply"] == (expected[("first_reply", "kept")],
                                  expected[("first_reply", "kept")] + expected[("first_reply", "missed")])
    assert got["Resolution"] == (expected[("resolution", "kept")],
                                 expected[("resolution", "kept")] + expected[("resolution", "missed")])


def test_a_paused_clock_counts_only_once_it_is_decided(world):
    paused = RequestClock.objects.filter(state=ClockState.PAUSED)
    assert paused.exists()
    board = board_for("org", None)
    decided = sum(row[3] for row in cells(board.tables["commitments"]))
    undecided_in_period = [c for c in paused if FIRST <= timezone.localdate(c.deadline_at) <= LAST]
    all_in_period = [c for c in RequestClock.objects.all() if FIRST <= timezone.localdate(c.deadline_at) <= LAST]
    assert decided == len(all_in_period) - len(undecided_in_period) - sum(
        1 for c in all_in_period if c.state == ClockState.RUNNING)


def band(hours):
    return figures.band_of(hours * 60)


def exact_percentile(values, fraction):
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@pytest.mark.parametrize("kind, key", SCOPES)
def test_medians_and_90th_percentiles_fall_in_the_band_of_the_exact_value(world, kind, key):
    board = board_for(kind, key)
    rows = {row[0]: row for row in cells(board.tables["times"])}
    mine = [r for r in world.requests if in_scope(world, kind, r)]
    replies = [(r.first_reply_at - r.created_at).total_seconds() / 3600 for r in mine
               if r.first_reply_at and FIRST <= timezone.localdate(r.created_at) <= LAST]
    resolutions = [(r.resolved_at - r.created_at).total_seconds() / 3600 for r in mine
                   if r.resolved_at and FIRST <= timezone.localdate(r.resolved_at) <= LAST]
    for label, values in (("First reply", replies), ("Resolution", resolutions)):
        assert rows[label][3] == len(values)
        for column, fraction in ((1, 0.5), (2, 0.9)):
            if not values:
                assert rows[label][column] is None
                continue
            exact = exact_percentile(values, fraction)
            # Between the bands of the two closest values, since the exact figure interpolates between them.
            ordered = sorted(values)
            position = (len(ordered) - 1) * fraction
            lowest, highest = band(ordered[int(position)]), band(ordered[min(int(position) + 1, len(ordered) - 1)])
            assert lowest <= band(rows[label][column] + 1e-9) <= highest + 1, (label, fraction, exact)


def test_the_backlog_by_age_and_the_unclaimed_match_the_open_requests(world):
    board = board_for("org", None)
    open_requests = [r for r in ServiceRequest.objects.exclude(status=Status.RESOLVED)]
    ages = [(NOW - r.created_at).total_seconds() / 86400 for r in open_requests]
    expected = [sum(1 for a in ages if low <= a and (high is None or a < high))
                for _label, low, high in dashboards.AGE_BANDS]
    assert [row[1] for row in cells(board.tables["backlog"])] == expected
    unclaimed = [r for r in open_requests if r.assignee_id is None and (NOW - r.created_at) > dt.timedelta(days=5)]
    assert board.headline[-1].now == len(unclaimed) == 1  # the hand-off, never claimed; today's one is new


def test_hand_offs_are_counted_from_and_to_and_in_both_teams_dashboards(world):
    for kind, key in (("org", None), ("team", "admin"), ("unit", "digital"), ("site", "helsinki")):
        board = board_for(kind, key)
        assert cells(board.tables["handoffs"]) == [["Admin team", "Support team", 1]]
    assert cells(board_for("site", "oulu").tables["handoffs"]) == []


def test_a_request_that_moved_counts_for_its_new_team_and_its_breach_stays_with_the_old(world):
    support = board_for("team", "support")
    admin = board_for("team", "admin")
    moved = ServiceRequest.objects.get(handoff_count=1)
    day = timezone.localdate(moved.created_at).strftime("%d.%m.")
    assert (dict(cells(support.tables["incoming"]))[day], dict(cells(admin.tables["incoming"]))[day]) == (1, 0)
    # Admin let the first reply slip before the hand-off; the resolution clock ran out with support.
    assert [moved.reference, "First reply"] in [row[:2] for row in cells(admin.tables["breaches"])]
    assert [moved.reference, "Resolution"] not in [row[:2] for row in cells(admin.tables["breaches"])]
    assert [moved.reference, "Resolution"] in [row[:2] for row in cells(support.tables["breaches"])]


def test_top_services_count_what_was_logged(world):
    board = board_for("org", None)
    logged = Counter(ServiceRequest.objects.get(pk=r.pk).service.name for r in world.requests
                     if FIRST <= timezone.localdate(r.created_at) <= LAST)
    assert cells(board.tables["services"]) == sorted(([name, n] for name, n in logged.items()),
                                                     key=lambda row: (-row[1], row[0] != "Laptops"))


def test_the_previous_period_is_compared(world):
    board = board_for("org", None, FIRST, LAST)
    before = [r for r in world.requests
              if FIRST - dt.timedelta(days=14) <= timezone.localdate(r.created_at) < FIRST]
    assert board.headline[0].before == len(before) == 1


def test_an_empty_period_shows_zeros_and_no_times(world):
    long_ago = TODAY - dt.timedelta(days=400)
    board = board_for("org", None, long_ago, long_ago + dt.timedelta(days=6))
    assert sum(row[1] for row in cells(board.tables["incoming"])) == 0
    assert all(row[1] is None and row[3] == 0 for row in cells(board.tables["times"]))
    assert all(row[1] is None for row in cells(board.tables["commitments"]))
    assert cells(board.tables["handoffs"]) == [] and cells(board.tables["breaches"]) == []


def test_breaches_are_listed_with_their_review(world):
    late = next(r for r in ServiceRequest.objects.filter(team=world.support, first_reply_at__isnull=False)
                if r.first_reply_at - r.created_at > dt.timedelta(hours=8))
    commitment_services.write_breach_review(by=world.worker, request_id=late.pk, what_happened="Queue too long",
                                 what_we_change="Morning check")
    board = board_for("unit", "digital")
    rows = cells(board.tables["breaches"])
    assert [late.reference, "First reply"] in [row[:2] for row in rows]
    assert all(row[4:] == ["Queue too long", "Morning check"] for row in rows if row[0] == late.reference)


def test_figures_wait_for_the_refresh_and_the_page_says_when_they_were_counted(world, client):
    before = board_for("org", None)
    world.log(world.laptops, LAST, 16)
    assert board_for("org", None).headline[0].now == before.headline[0].now
    figures.refresh_days(LAST, LAST)
    assert board_for("org", None).headline[0].now == before.headline[0].now + 1
    client.force_login(world.desk)
    page = client.get(reverse("dashboards:org"), {"period": "custom", "from": FIRST.isoformat(),
                                                  "to": LAST.isoformat()}).content.decode()
    assert "Counts over the period as of" in page


# --- pages --------------------------------------------------------------------------------------------------


def test_every_member_of_staff_opens_every_dashboard(world, client):
    client.force_login(UserFactory())  # in no team at all
    for kind, key in SCOPES + [("area", world.laptops.area.code)]:
        url = reverse("dashboards:org") if kind == "org" else reverse("dashboards:scope", args=[kind, key])
        for period in ("week", "30d", "quarter"):
            assert client.get(url, {"period": period}).status_code == 200, (kind, period)


def test_anonymous_people_are_sent_to_log_in(client):
    assert client.get(reverse("dashboards:org")).status_code == 302


@pytest.mark.parametrize("params, message", [
    ({"period": "decade"}, "Choose the period"),
    ({"period": "custom", "from": "2026-13-01", "to": "2026-12-01"}, "two dates"),
    ({"period": "custom", "from": "2026-05-01", "to": "2026-04-01"}, "must end on or after"),
    ({"period": "custom", "from": "2020-01-01", "to": "2026-01-01"}, "at most two years"),
])
def test_a_bad_period_is_a_400_with_the_reason(world, client, params, message):
    client.force_login(world.desk)
    response = client.get(reverse("dashboards:org"), params)
    assert response.status_code == 400 and message in response.content.decode()


def test_unknown_scopes_are_404(world, client):
    client.force_login(world.desk)
    for kind, key in (("unit", "nope"), ("planet", "earth"), ("team", "nobody")):
        assert client.get(reverse("dashboards:scope", args=[kind, key])).status_code == 404


def test_each_csv_holds_the_numbers_the_page_shows(world, client):
    client.force_login(world.desk)
    params = {"period": "custom", "from": FIRST.isoformat(), "to": LAST.isoformat()}
    url = reverse("dashboards:scope", args=["unit", "digital"])
    # The page counts ages from the moment it is asked: so does the board it is compared with.
    scope_, period = scope.scope_for("unit", "digital"), scope.Period("custom", FIRST, LAST)
    for name in dashboards.build(scope_, period, now=timezone.now()).tables:
        table = dashboards.build(scope_, period, now=timezone.now()).tables[name]
        response = client.get(url, params | {"format": "csv", "table": name})
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert rows == [[str(v) for v in row] for row in table.csv_rows()]
    assert client.get(url, params | {"format": "csv", "table": "nope"}).status_code == 400


def test_a_figure_leads_to_the_queue_that_lists_its_requests(world, client):
    client.force_login(UserFactory())  # sees the list, but not other teams' customers
    board = board_for("unit", "digital")
    by_channel = {row[0].value: row[1] for row in board.tables["channels"].rows}
    link = by_channel["E-mail"].link
    response = client.get(link)
    assert response.status_code == 200
    listed = [req.reference for req in response.context["page"]]
    assert len(listed) == by_channel["E-mail"].value
    assert "(another team&#x27;s request)" in response.content.decode() or "another team" in response.content.decode()
    assert "Aino" not in response.content.decode()


def test_dashboard_links_band_edges_match_the_stored_bands():
    assert DURATION_EDGES == sorted(DURATION_EDGES) and figures.band_of(0) == 0
    assert figures.band_of(DURATION_EDGES[-1] * 10) == len(DURATION_EDGES) - 1


def test_a_name_a_spreadsheet_would_run_as_a_formula_is_quoted_in_the_csv(world, client):
    world.laptops.name_en = '=HYPERLINK("http://evil.example","Laptops")'
    world.laptops.save()
    client.force_login(world.desk)
    params = {"period": "custom", "from": FIRST.isoformat(), "to": LAST.isoformat(), "format": "csv"}
    url = reverse("dashboards:scope", args=["unit", "digital"])
    scope_, period = scope.scope_for("unit", "digital"), scope.Period("custom", FIRST, LAST)
    cells = []
    for name in dashboards.build(scope_, period, now=timezone.now()).tables:
        cells += [cell for row in csv.reader(io.StringIO(client.get(url, params | {"table": name}).content.decode()))
                  for cell in row]
    assert "'" + world.laptops.name_en in cells
    assert not [cell for cell in cells if cell.startswith(("=", "+", "@"))]


def test_dates_in_the_csv_are_iso_8601_whatever_the_page_shows(world, client):
    client.force_login(world.desk)
    url = reverse("dashboards:scope", args=["unit", "digital"])

    def first_column(params, table):
        response = client.get(url, params | {"format": "csv", "table": table})
        return [row[0] for row in csv.reader(io.StringIO(response.content.decode()))][1:]

    daily = first_column({"period": "custom", "from": FIRST.isoformat(), "to": LAST.isoformat()}, "incoming")
    assert daily and all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", day) for day in daily), daily
    long = {"period": "custom", "from": (LAST - dt.timedelta(days=120)).isoformat(), "to": LAST.isoformat()}
    weekly = first_column(long, "incoming")
    assert weekly and all(re.fullmatch(r"\d{4}-W\d{2}", week) for week in weekly), weekly
    response = client.get(url, long | {"format": "csv", "table": "breaches"})
    deadlines = [row[2] for row in csv.reader(io.StringIO(response.content.decode()))][1:]
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}[+-]\d{2}:\d{2}", at) for at in deadlines), deadlines

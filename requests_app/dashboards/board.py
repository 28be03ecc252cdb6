"""Dashboards: the figures of one scope (the organisation, a unit with its sub-units, a site, a service area,
a service or a team) over one period, with the period before it for comparison.

Counts over a period come from `DailyFigures`: per day, per team and service (and per site and service),
the requests logged by channel, replied to and resolved with their times in bands, and the clocks kept and
missed. A Celery beat task recounts the recent days every few minutes and every day once a night
(`refresh_days`), so a dashboard adds up a few thousand small rows instead of reading a million requests;
the page says when the figures were counted. Medians and 90th percentiles are estimated from the time
bands (an estimate falls in the band of the exact value). What is open now (the backlog by age, the
unclaimed, the latest breaches) is read live through indexes.

What each scope means:
- a unit: requests whose current team belongs to the unit or any unit below it;
- a site: requests taken in at the site (where the customer came to us);
- a service area, a service: the request's current service; a team: its current team;
- commitments and breaches count for the team, service and site the request had when the clock decided
  (a breach stays with the team that held the request then, even after a hand-off);
- hand-offs count when they happened, in the scope of the team (or service) they left or reached.

Every figure links to the queue that lists its requests (`queue_link`).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, F, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue.models import Channel, Service
from teams.models import Team

from ..commitments import deadlines
from ..commitments.calendars import load_calendar
from ..models import (
    DURATION_EDGES,
    BreachReview,
    ClockKind,
    DailyFigures,
    Handoff,
    OutcomeKind,
    ServiceRequest,
    TimerOutcome,
)
from .figures import BANDS, CHANNELS, CLOCKS, refreshed_at
from .scope import Period, Scope

AGE_BANDS = [  # (label, from days, until days)
    (gettext_lazy("under a day"), 0, 1),
    (gettext_lazy("1–3 days"), 1, 3),
    (gettext_lazy("3–7 days"), 3, 7),
    (gettext_lazy("1–4 weeks"), 7, 28),
    (gettext_lazy("over 4 weeks"), 28, None),
]
TOP_SERVICES = 10
LATEST_BREACHES = 20

# --- figures --------------------------------------------------------------------------------------------------


@dataclass
class Cell:
    value: object
    link: str | None = None
    # What a CSV holds instead of what the page shows: ISO 8601 for dates and times, for any spreadsheet.
    csv: object = None


@dataclass
class Table:
    """One figure's numbers: shown under its chart, and the same rows are its CSV."""

    name: str
    caption: str
    columns: list
    rows: list = field(default_factory=list)  # lists of Cell

    def csv_rows(self):
        yield [str(column) for column in self.columns]
        for row in self.rows:
            yield ["" if value is None else value for value in (cell.value if cell.csv is None else cell.csv
                                                                  for cell in row)]


@dataclass
class Comparison:
    label: str
    now: object
    before: object
    unit: str = ""
    link: str | None = None

    @property
    def change(self):
        if self.now is None or self.before is None:
            return None
        return round(self.now - self.before, 1)


@dataclass
class Dashboard:
    scope: Scope
    period: Period
    headline: list  # Comparison
    tables: dict  # name -> Table
    series: list  # (label, count, link) per day or week, for the chart
    age_bands: list  # (label, count, link)
    kept: list  # (clock label, percent or None, kept, decided, link)
    refreshed_at: dt.datetime | None = None


class Queue:
    """Links into the organisation-wide queue, with the scope's filters and a figure's own."""

    def __init__(self, scope: Scope):
        self.base = reverse("requests:queue")
        self.scope = {k: v for k, v in scope.queue_params().items() if v is not None}

    def __call__(self, **params) -> str:
        query = {"team": "all", **self.scope, **{k: v for k, v in params.items() if v is not None}}
        return f"{self.base}?{urlencode(query)}"


def _dates(period: Period) -> dict:
    return {"created_after": period.first.isoformat(), "created_before": period.last.isoformat()}


def _figures(scope: Scope, first: dt.date, last: dt.date):
    grain = DailyFigures.Grain.SITE if scope.kind == "site" else DailyFigures.Grain.TEAM
    qs = DailyFigures.objects.filter(grain=grain, day__gte=first, day__lte=last).order_by()
    return qs.filter(**scope._filter(team="team_id", service="service_id", site="site_id"))


LOGGED = sum((F(f"logged_{channel}") for channel in CHANNELS[1:]), F(f"logged_{CHANNELS[0]}"))


def _totals(figures) -> dict:
    sums = {f"logged_{c}": Sum(f"logged_{c}") for c in CHANNELS}
    sums |= {name: Sum(name) for name in ("replied", "resolved")}
    sums |= {f"{k}_{c}": Sum(f"{k}_{c}") for k in ("kept", "missed") for c in CLOCKS}
    sums |= {f"{m}_b{b}": Sum(f"{m}_b{b}") for m in ("reply", "resolution") for b in BANDS}
    return {key: value or 0 for key, value in figures.aggregate(**sums).items()}


def estimate(totals: dict, measure: str, fraction: float) -> float | None:
    """A percentile (in hours) from banded counts: find the band of the rank, interpolate inside it."""
    counts = [totals[f"{measure}_b{b}"] for b in BANDS]
    n = sum(counts)
    if not n:
        return None
    rank = (n - 1) * fraction
    seen = 0
    for band, count in enumerate(counts):
        if count and seen + count > rank:
            low = DURATION_EDGES[band]
            high = DURATION_EDGES[band + 1] if band + 1 < len(DURATION_EDGES) else low * 1.5
            return (low + (high - low) * (rank - seen + 0.5) / count) / 60
        seen += count
    return DURATION_EDGES[-1] / 60


def _round(value):
    return None if value is None else round(value, 1)


def _share(part, whole):
    return round(100 * part / whole, 1) if whole else None


# --- one dashboard --------------------------------------------------------------------------------------------


def build(scope: Scope, period: Period, *, now: dt.datetime | None = None) -> Dashboard:
    now = now or timezone.now()
    link = Queue(scope)
    tables = {}
    figures = _figures(scope, period.first, period.last)
    totals = _totals(figures)
    previous = period.previous()
    before = _totals(_figures(scope, previous.first, previous.last))

    # Incoming, by day (or ISO week for long periods) and by channel.
    per_day = {day: n for day, n in figures.values_list("day").annotate(n=Sum(LOGGED))}
    series = []
    if period.daily():
        day = period.first
        while day <= period.last:
            series.append((day.strftime("%d.%m."), day.isoformat(), per_day.get(day, 0),
                           link(status="all", created_after=day.isoformat(), created_before=day.isoformat())))
            day += dt.timedelta(days=1)
        bucket_caption = _("Day")
    else:
        weeks = defaultdict(int)
        for day, n in per_day.items():
            weeks[day - dt.timedelta(days=day.weekday())] += n
        monday = period.first - dt.timedelta(days=period.first.weekday())
        while monday <= period.last:
            first, last = max(monday, period.first), min(monday + dt.timedelta(days=6), period.last)
            series.append((_("week %(week)s") % {"week": monday.isocalendar()[1]},
                           "%d-W%02d" % monday.isocalendar()[:2], weeks[monday],
                           link(status="all", created_after=first.isoformat(), created_before=last.isoformat())))
            monday += dt.timedelta(days=7)
        bucket_caption = _("Week")
    tables["incoming"] = Table("incoming", _("Requests logged"), [bucket_caption, _("Requests")],
                               [[Cell(label, csv=iso), Cell(n, url)] for label, iso, n, url in series])
    tables["channels"] = Table("channels", _("Requests logged by channel"), [_("Channel"), _("Requests")], [
        [Cell(label), Cell(totals[f"logged_{value}"], link(status="all", channel=value, **_dates(period)))]
        for value, label in Channel.choices
    ])

    # Open backlog by age, now (live: what is open is a small part of all requests).
    requests = scope.requests(ServiceRequest.objects.order_by())
    open_now = requests.exclude(status="resolved")
    band_counts = open_now.aggregate(**{
        f"band{i}": Count("pk", filter=Q(created_at__lte=now - dt.timedelta(days=low))
                          & (Q(created_at__gt=now - dt.timedelta(days=high)) if high else Q()))
        for i, (_label, low, high) in enumerate(AGE_BANDS)
    })
    age_bands = [
        (str(label), band_counts[f"band{i}"], link(older_than=low or None, newer_than=high))
        for i, (label, low, high) in enumerate(AGE_BANDS)
    ]
    tables["backlog"] = Table("backlog", _("Open requests by age, now"), [_("Age"), _("Open requests")],
                              [[Cell(label), Cell(n, url)] for label, n, url in age_bands])

    # Commitments kept, per clock: clocks whose deadline fell in the period, kept or missed.
    kept = []
    for kind, label in ClockKind.choices:
        ok, missed = totals[f"kept_{kind}"], totals[f"missed_{kind}"]
        kept.append((str(label), _share(ok, ok + missed), ok, ok + missed,
                     link(status="all", breached_after=period.first.isoformat(),
                          breached_before=period.last.isoformat(), clock=kind)))
    tables["commitments"] = Table("commitments", _("Commitments kept, per clock"),
                                  [_("Clock"), _("Kept %"), _("Kept"), _("Decided")], [
        [Cell(label), Cell(pct), Cell(ok), Cell(total, url)] for label, pct, ok, total, url in kept
    ])

    # Time to first reply (requests logged in the period) and to resolution (resolved in the period).
    tables["times"] = Table("times", _("Time taken, in hours"), [_("Measure"), _("Median"), _("90th percentile"),
                                                                _("Requests")], [
        [Cell(_("First reply")), Cell(_round(estimate(totals, "reply", 0.5))),
         Cell(_round(estimate(totals, "reply", 0.9))),
         Cell(totals["replied"], link(status="all", replied=True, **_dates(period)))],
        [Cell(_("Resolution")), Cell(_round(estimate(totals, "resolution", 0.5))),
         Cell(_round(estimate(totals, "resolution", 0.9))),
         Cell(totals["resolved"], link(status="resolved", resolved_after=period.first.isoformat(),
                                       resolved_before=period.last.isoformat()))],
    ])

    # The latest breaches of the period, with the team's review (live, through the deadline index).
    breach_rows = list(
        scope.outcomes(TimerOutcome.objects.filter(kind=OutcomeKind.BREACH, deadline_at__gte=period.start,
                                                   deadline_at__lt=period.end))
        .select_related("request", "team").order_by("-deadline_at", "-pk")[:LATEST_BREACHES]
    )
    reviews = {r.request_id: r for r in BreachReview.objects.filter(request_id__in=[b.request_id for b in breach_rows])}
    detail = reverse("requests:detail", args=["REFERENCE"])
    tables["breaches"] = Table("breaches", _("Latest breaches and their reviews"),
                               [_("Request"), _("Clock"), _("Deadline"), _("Team"), _("What happened"),
                                _("What we change")], [
        [Cell(b.request.reference, detail.replace("REFERENCE", b.request.reference)),
         Cell(ClockKind(b.clock_kind).label),
         Cell(date_format(timezone.localtime(b.deadline_at), "SHORT_DATETIME_FORMAT"),
              csv=timezone.localtime(b.deadline_at).isoformat(timespec="minutes")),
         Cell(b.team.name), Cell(getattr(reviews.get(b.request_id), "what_happened", "")),
         Cell(getattr(reviews.get(b.request_id), "what_we_change", ""))]
        for b in breach_rows
    ])

    # Hand-offs between teams: where requests bounce (live, through the hand-off indexes).
    moves = scope.handoffs(Handoff.objects.order_by())
    counted = list(moves.filter(created_at__gte=period.start, created_at__lt=period.end)
                   .values_list("from_team", "to_team").annotate(n=Count("pk")).order_by())
    teams = Team.objects.in_bulk({team for pair in counted for team in pair[:2]})
    pairs = sorted(((teams[a].slug, teams[a].name, teams[b].slug, teams[b].name, n) for a, b, n in counted),
                   key=lambda pair: (-pair[4], pair[1], pair[3]))
    tables["handoffs"] = Table("handoffs", _("Hand-offs between teams"), [_("From"), _("To"), _("Hand-offs")], [
        [Cell(from_name), Cell(to_name),
         Cell(n, link(status="all", handoff_from=from_slug, handoff_to=to_slug,
                      handed_off_after=period.first.isoformat(), handed_off_before=period.last.isoformat()))]
        for from_slug, from_name, to_slug, to_name, n in pairs
    ])

    # Top services by volume.
    top = list(figures.values_list("service").annotate(n=Sum(LOGGED)).order_by("-n", "service")[:TOP_SERVICES])
    names = {s.pk: s.name for s in Service.objects.filter(pk__in=[pk for pk, _n in top])}
    tables["services"] = Table("services", _("Most requested services"), [_("Service"), _("Requests")], [
        [Cell(names[pk]), Cell(n, link(status="all", service=pk, **_dates(period)))] for pk, n in top if n
    ])

    # Unclaimed for more than a working day, now (the shared default calendar).
    cutoff = deadlines.working_days_before(now, 1, load_calendar())
    unclaimed = open_now.filter(assignee__isnull=True, created_at__lt=cutoff).count()

    def logged(t):
        return sum(t[f"logged_{c}"] for c in CHANNELS)

    def kept_share(t):
        ok = sum(t[f"kept_{c}"] for c in CLOCKS)
        return _share(ok, ok + sum(t[f"missed_{c}"] for c in CLOCKS))

    headline = [
        Comparison(_("Requests logged"), logged(totals), logged(before), link=link(status="all", **_dates(period))),
        Comparison(_("Commitments kept"), kept_share(totals), kept_share(before), unit="%"),
        Comparison(_("Median first reply"), _round(estimate(totals, "reply", 0.5)),
                   _round(estimate(before, "reply", 0.5)), unit="h"),
        Comparison(_("Median resolution"), _round(estimate(totals, "resolution", 0.5)),
                   _round(estimate(before, "resolution", 0.5)), unit="h"),
        Comparison(_("Breaches"), sum(totals[f"missed_{c}"] for c in CLOCKS),
                   sum(before[f"missed_{c}"] for c in CLOCKS),
                   link=link(status="all", breached_after=period.first.isoformat(),
                             breached_before=period.last.isoformat())),
        Comparison(_("Hand-offs"), sum(n for *_names, n in pairs),
                   moves.filter(created_at__gte=previous.start, created_at__lt=previous.end).count()),
        Comparison(_("Unclaimed over a working day, now"), unclaimed, None,
                   link=link(assignee="none", older_than_working_days=1)),
    ]
    chart = [(label, n, url) for label, _iso, n, url in series]
    return Dashboard(scope, period, headline, tables, chart, age_bands, kept, refreshed_at())

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

import bisect
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, DurationField, Exists, ExpressionWrapper, F, OuterRef, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue.models import Channel, Service, ServiceArea
from teams.models import Site, Team, Unit

from . import deadlines
from .models import (
    DURATION_EDGES,
    BreachReview,
    ClockKind,
    DailyFigures,
    FiguresRefresh,
    Handoff,
    OutcomeKind,
    ServiceRequest,
    TimerOutcome,
)

AGE_BANDS = [  # (label, from days, until days)
    (gettext_lazy("under a day"), 0, 1),
    (gettext_lazy("1–3 days"), 1, 3),
    (gettext_lazy("3–7 days"), 3, 7),
    (gettext_lazy("1–4 weeks"), 7, 28),
    (gettext_lazy("over 4 weeks"), 28, None),
]
PERIODS = {
    "week": gettext_lazy("This week"),
    "30d": gettext_lazy("Last 30 days"),
    "quarter": gettext_lazy("This quarter"),
    "custom": gettext_lazy("Custom"),
}
MAX_CUSTOM_DAYS = 731
TOP_SERVICES = 10
LATEST_BREACHES = 20


class BadPeriod(ValueError):
    pass


# --- period ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Whole local days: from the start of `first` to the end of `last` (or to now, when that is sooner)."""

    key: str
    first: dt.date
    last: dt.date

    @property
    def start(self) -> dt.datetime:
        return _midnight(self.first)

    @property
    def end(self) -> dt.datetime:
        return _midnight(self.last + dt.timedelta(days=1))

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def previous(self) -> "Period":
        return Period(self.key, self.first - dt.timedelta(days=self.days), self.first - dt.timedelta(days=1))

    @property
    def label(self) -> str:
        return f"{self.first:%d.%m.%Y}–{self.last:%d.%m.%Y}"

    def daily(self) -> bool:
        return self.days <= 45


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def parse_period(params, *, today: dt.date) -> Period:
    key = params.get("period") or "30d"
    if key == "week":
        return Period(key, today - dt.timedelta(days=today.weekday()), today)
    if key == "30d":
        return Period(key, today - dt.timedelta(days=29), today)
    if key == "quarter":
        return Period(key, dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), today)
    if key != "custom":
        raise BadPeriod(_("Choose the period: this week, last 30 days, this quarter or custom."))
    try:
        first = dt.date.fromisoformat(params.get("from", ""))
        last = dt.date.fromisoformat(params.get("to", ""))
    except ValueError:
        raise BadPeriod(_("Give a custom period as two dates, from and to (YYYY-MM-DD).")) from None
    if last < first:
        raise BadPeriod(_("The period must end on or after the day it starts."))
    if (last - first).days + 1 > MAX_CUSTOM_DAYS:
        raise BadPeriod(_("A custom period can be at most two years."))
    if first > today:
        raise BadPeriod(_("The period cannot start in the future."))
    return Period(key, first, min(last, today))


# --- scope ----------------------------------------------------------------------------------------------------


@dataclass
class Scope:
    kind: str  # org, unit, site, area, service, team
    obj: object = None
    team_ids: list | None = None  # unit: its teams and those of its sub-units
    service_ids: list | None = None  # area: its services

    @property
    def title(self) -> str:
        return _("Whole organisation") if self.obj is None else str(self.obj)

    def requests(self, qs):
        return qs.filter(**self._filter(team="team_id", service="service_id", site="intake_site_id"))

    def outcomes(self, qs):
        return qs.filter(**self._filter(team="team_id", service="service_id", site="intake_site_id"))

    def _filter(self, *, team, service, site) -> dict:
        if self.kind == "unit":
            return {f"{team}__in": self.team_ids}
        if self.kind == "team":
            return {team: self.obj.pk}
        if self.kind == "area":
            return {f"{service}__in": self.service_ids}
        if self.kind == "service":
            return {service: self.obj.pk}
        if self.kind == "site":
            return {site: self.obj.pk}
        return {}

    def handoffs(self, qs):
        if self.kind in ("unit", "team"):
            teams = self.team_ids if self.kind == "unit" else [self.obj.pk]
            return qs.filter(Q(from_team_id__in=teams) | Q(to_team_id__in=teams))
        if self.kind in ("area", "service"):
            services = self.service_ids if self.kind == "area" else [self.obj.pk]
            return qs.filter(Q(from_service_id__in=services) | Q(to_service_id__in=services))
        if self.kind == "site":
            return qs.filter(intake_site_id=self.obj.pk)
        return qs

    def queue_params(self) -> dict:
        """The queue filters that select this scope's requests."""
        return {
            "unit": {"unit": getattr(self.obj, "pk", None)},
            "team": {"in_team": getattr(self.obj, "slug", None)},
            "area": {"area": getattr(self.obj, "pk", None)},
            "service": {"service": getattr(self.obj, "pk", None)},
            "site": {"site": getattr(self.obj, "pk", None)},
        }.get(self.kind, {})


def scope_for(kind: str, key: str | None) -> Scope:
    """The scope named in the URL; raises LookupError when there is no such unit, site, area, service or team."""
    if kind == "org":
        return Scope("org")
    if kind == "unit":
        unit = Unit.objects.get(code=key)
        teams = list(Team.objects.filter(units__in=unit.descendant_ids()).distinct().values_list("pk", flat=True))
        return Scope("unit", unit, team_ids=teams)
    if kind == "site":
        return Scope("site", Site.objects.get(code=key))
    if kind == "area":
        area = ServiceArea.objects.get(code=key)
        return Scope("area", area, service_ids=list(area.services.values_list("pk", flat=True)))
    if kind == "service":
        return Scope("service", Service.objects.get(code=key))
    if kind == "team":
        return Scope("team", Team.objects.get(slug=key))
    raise LookupError(kind)


# --- figures --------------------------------------------------------------------------------------------------


@dataclass
class Cell:
    value: object
    link: str | None = None


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
            yield ["" if cell.value is None else cell.value for cell in row]


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


# --- the daily figures ----------------------------------------------------------------------------------------

CHANNELS = [value for value, _label in Channel.choices]
CLOCKS = [value for value, _label in ClockKind.choices]
BANDS = range(len(DURATION_EDGES))


def band_of(minutes: float) -> int:
    return max(bisect.bisect_right(DURATION_EDGES, minutes) - 1, 0)


def refresh_days(first: dt.date, last: dt.date, *, now: dt.datetime | None = None) -> int:
    """Recount the daily figures of these days from the requests and outcomes; each day in one
    transaction, so a dashboard never adds up half a day. Returns the number of rows written."""
    now = now or timezone.now()
    written, day = 0, first
    while day <= last:
        written += _refresh_day(day)
        day += dt.timedelta(days=1)
    FiguresRefresh.objects.update_or_create(pk=1, defaults={"refreshed_at": now, "first_day": first, "last_day": last})
    return written


def _band_counts(measure: str) -> dict:
    """`<measure>_b<n>`: how many of the rows took (the `took` alias) a time in band n, as `band_of` bands
    minutes: from its edge up to the next, the first band open below and the last open above."""
    counts = {}
    for band in BANDS:
        within = Q(took__isnull=False)
        if band > 0:
            within &= Q(took__gte=dt.timedelta(minutes=DURATION_EDGES[band]))
        if band < len(DURATION_EDGES) - 1:
            within &= Q(took__lt=dt.timedelta(minutes=DURATION_EDGES[band + 1]))
        counts[f"{measure}_b{band}"] = Count("pk", filter=within)
    return counts


# What a day's figures count, per source: the same expressions every day, built once.
LOGGED_COUNTS = {
    **{f"logged_{channel}": Count("pk", filter=Q(channel=channel)) for channel in CHANNELS},
    "replied": Count("pk", filter=Q(first_reply_at__isnull=False)),
    **_band_counts("reply"),
}
RESOLVED_COUNTS = {"resolved": Count("pk"), **_band_counts("resolution")}
_KEPT = Q(kind=OutcomeKind.MET, created_at__lte=F("deadline_at"))
DECIDED_COUNTS = {
    f"{verdict}_{clock}": Count("pk", filter=(_KEPT if verdict == "kept" else ~_KEPT) & Q(clock_kind=clock))
    for clock in CLOCKS for verdict in ("kept", "missed")
}


@transaction.atomic
def _refresh_day(day: dt.date) -> int:
    """One day's figures, counted by the database: per team and service, and per site and service."""
    start, end = _midnight(day), _midnight(day + dt.timedelta(days=1))
    logged = ServiceRequest.objects.filter(created_at__gte=start, created_at__lt=end).alias(
        took=_duration("created_at", "first_reply_at"))
    resolved = ServiceRequest.objects.filter(resolved_at__gte=start, resolved_at__lt=end).alias(
        took=_duration("created_at", "resolved_at"))
    # A clock is decided by its first outcome: a breach (missed), or met by the deadline (kept), or met
    # after it without a breach on record (missed too: the reply beat the sweep to it).
    considered = TimerOutcome.objects.filter(deadline_at__gte=start, deadline_at__lt=end, service__isnull=False,
                                             kind__in=[OutcomeKind.MET, OutcomeKind.BREACH])
    earlier = considered.filter(clock_id=OuterRef("clock_id")).filter(
        Q(created_at__lt=OuterRef("created_at")) | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk")))
    decided = considered.filter(~Exists(earlier))

    rows = defaultdict(dict)
    for grain, holder in ((DailyFigures.Grain.TEAM, "team_id"), (DailyFigures.Grain.SITE, "intake_site_id")):
        for queryset, counts in ((logged, LOGGED_COUNTS), (resolved, RESOLVED_COUNTS), (decided, DECIDED_COUNTS)):
            for found in queryset.order_by().values(holder, "service_id").annotate(**counts):
                team = found.pop("team_id", None)
                site = found.pop("intake_site_id", None)
                rows[(grain, team, site, found.pop("service_id"))].update(found)
    DailyFigures.objects.filter(day=day).delete()
    _insert_figures([
        {"day": day, "grain": grain, "team_id": team, "site_id": site, "service_id": service, **counts}
        for (grain, team, site, service), counts in rows.items()
    ])
    return len(rows)


def _insert_figures(rows: list[dict]) -> None:
    """On PostgreSQL through COPY: a month is ~15,000 rows of a hundred columns, and Django preparing each value
    for bulk_create took three times as long as counting them."""
    if connection.vendor != "postgresql":
        DailyFigures.objects.bulk_create(DailyFigures(**row) for row in rows)
        return
    fields = [field for field in DailyFigures._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    table, columns = quote(DailyFigures._meta.db_table), ", ".join(quote(field.column) for field in fields)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row.get(field.attname, 0) for field in fields])


def _duration(start: str, end: str):
    return ExpressionWrapper(F(end) - F(start), output_field=DurationField())


def refreshed_at():
    return FiguresRefresh.objects.filter(pk=1).values_list("refreshed_at", flat=True).first()


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
            series.append((day.strftime("%d.%m."), per_day.get(day, 0),
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
            series.append((_("week %(week)s") % {"week": monday.isocalendar()[1]}, weeks[monday],
                           link(status="all", created_after=first.isoformat(), created_before=last.isoformat())))
            monday += dt.timedelta(days=7)
        bucket_caption = _("Week")
    tables["incoming"] = Table("incoming", _("Requests logged"), [bucket_caption, _("Requests")],
                               [[Cell(label), Cell(n, url)] for label, n, url in series])
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
         Cell(ClockKind(b.clock_kind).label), Cell(timezone.localtime(b.deadline_at).strftime("%d.%m.%Y %H:%M")),
         Cell(b.team.name), Cell(getattr(reviews.get(b.request_id), "what_happened", "")),
         Cell(getattr(reviews.get(b.request_id), "what_we_change", ""))]
        for b in breach_rows
    ])

    # Hand-offs between teams: where requests bounce (live, through the hand-off indexes).
    moves = scope.handoffs(Handoff.objects.order_by())
    pairs = list(moves.filter(created_at__gte=period.start, created_at__lt=period.end)
                 .values_list("from_team__slug", "from_team__name", "to_team__slug", "to_team__name")
                 .annotate(n=Count("pk")).order_by("-n", "from_team__name", "to_team__name"))
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
    from .clocks import load_calendar

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
    return Dashboard(scope, period, headline, tables, series, age_bands, kept, refreshed_at())


def refresh_recent(*, now: dt.datetime | None = None) -> int:
    """The days whose figures can still change in the normal course (late first replies, hand-offs)."""
    today = timezone.localdate(now) if now else timezone.localdate()
    return refresh_days(today - dt.timedelta(days=settings.DASHBOARD_RECENT_DAYS), today, now=now)


def refresh_all(*, now: dt.datetime | None = None) -> int:
    """Every day with a request or an outcome: the nightly rebuild, and after a bulk load."""
    first = ServiceRequest.objects.order_by("created_at").values_list("created_at", flat=True).first()
    if first is None:
        return 0
    today = timezone.localdate(now) if now else timezone.localdate()
    return refresh_days(timezone.localdate(first), today + dt.timedelta(days=1), now=now)

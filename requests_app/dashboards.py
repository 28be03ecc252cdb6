"""Dashboards: the figures of one scope (the organisation, a unit with its sub-units, a site, a service area,
a service or a team) over one period, with the period before it for comparison.

Every figure is a live query, answered from indexes built for it (migrations 0005 and 0006): requests by
the time they were logged or resolved, with team, service, site and channel in the index itself; timer
outcomes by their deadline, carrying the team, service and site they were recorded for. So the figures are
exact and current, and a dashboard over a million requests reads only the rows of its period.

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
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db import connection
from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue.models import Channel, Service, ServiceArea
from teams.models import Site, Team, Unit

from . import deadlines
from .models import BreachReview, ClockKind, Handoff, OutcomeKind, ServiceRequest, TimerOutcome

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
            return qs.filter(request__intake_site_id=self.obj.pk)
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
    kept: list  # (clock label, percent or None, kept, decided)


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


def percentile(values, fraction):
    """Linear interpolation between the closest ranks (PostgreSQL's percentile_cont)."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _hours_percentiles(qs, start_field, end_field) -> tuple[float | None, float | None]:
    """Median and 90th percentile of end - start in hours, computed by the database where it can."""
    if connection.vendor == "postgresql":
        from django.db.models import Aggregate, FloatField
        from django.db.models.functions import Extract

        class PercentileCont(Aggregate):
            function = "percentile_cont"
            template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
            output_field = FloatField()

        seconds = Extract(F(end_field) - F(start_field), "epoch")
        found = qs.aggregate(median=PercentileCont(seconds, fraction=0.5), p90=PercentileCont(seconds, fraction=0.9))
        return tuple(None if found[k] is None else found[k] / 3600 for k in ("median", "p90"))
    seconds = [(end - start).total_seconds() for start, end in qs.values_list(start_field, end_field)]
    return tuple(None if v is None else v / 3600 for v in (percentile(seconds, 0.5), percentile(seconds, 0.9)))


def _round(value):
    return None if value is None else round(value, 1)


def build(scope: Scope, period: Period, *, now: dt.datetime | None = None) -> Dashboard:
    now = now or timezone.now()
    link = Queue(scope)
    requests = scope.requests(ServiceRequest.objects.order_by())
    logged = requests.filter(created_at__gte=period.start, created_at__lt=period.end)
    tables = {}

    # Incoming, by day (or ISO week for long periods) and by channel.
    per_day = Counter()
    per_channel = Counter()
    for day, channel, n in logged.annotate(day=TruncDate("created_at")).values_list("day", "channel").annotate(
        n=Count("pk")
    ):
        per_day[day] += n
        per_channel[channel] += n
    series = []
    if period.daily():
        day = period.first
        while day <= period.last:
            series.append((day.strftime("%d.%m."), per_day[day],
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
        [Cell(label), Cell(per_channel[value], link(status="all", channel=value, **_dates(period)))]
        for value, label in Channel.choices
    ])

    # Open backlog by age, now.
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

    # Commitments kept, per clock: clocks whose deadline fell in the period and that are decided.
    outcomes = scope.outcomes(TimerOutcome.objects.order_by()).filter(
        deadline_at__gte=period.start, deadline_at__lt=min(period.end, now))
    decided = {
        kind: (kept, missed)
        for kind, kept, missed in outcomes.values_list("clock_kind").annotate(
            kept=Count("pk", filter=Q(kind=OutcomeKind.MET, created_at__lte=F("deadline_at"))),
            missed=Count("pk", filter=Q(kind=OutcomeKind.BREACH)),
        )
    }
    kept = []
    for kind, label in ClockKind.choices:
        ok, missed = decided.get(kind, (0, 0))
        kept.append((str(label), round(100 * ok / (ok + missed), 1) if ok + missed else None, ok, ok + missed,
                     link(status="all", breached_after=period.first.isoformat(),
                          breached_before=period.last.isoformat(), clock=kind)))
    tables["commitments"] = Table("commitments", _("Commitments kept, per clock"),
                                  [_("Clock"), _("Kept %"), _("Kept"), _("Decided")], [
        [Cell(label), Cell(pct), Cell(ok), Cell(total, url)] for label, pct, ok, total, url in kept
    ])

    # Time to first reply (requests logged in the period) and to resolution (resolved in the period).
    replied = logged.filter(first_reply_at__isnull=False)
    resolved = requests.filter(resolved_at__gte=period.start, resolved_at__lt=period.end)
    first_reply = _hours_percentiles(replied, "created_at", "first_reply_at")
    resolution = _hours_percentiles(resolved, "created_at", "resolved_at")
    tables["times"] = Table("times", _("Time taken, in hours"), [_("Measure"), _("Median"), _("90th percentile"),
                                                                _("Requests")], [
        [Cell(_("First reply")), Cell(_round(first_reply[0])), Cell(_round(first_reply[1])),
         Cell(replied.count(), link(status="all", replied=1, **_dates(period)))],
        [Cell(_("Resolution")), Cell(_round(resolution[0])), Cell(_round(resolution[1])),
         Cell(resolved.count(), link(status="resolved", resolved_after=period.first.isoformat(),
                                     resolved_before=period.last.isoformat()))],
    ])

    # Breaches in the period, with the team's review.
    breaches = outcomes.filter(kind=OutcomeKind.BREACH)
    breach_rows = list(
        breaches.select_related("request", "team").order_by("-deadline_at", "-pk")[:LATEST_BREACHES]
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

    # Hand-offs between teams: where requests bounce.
    moves = scope.handoffs(Handoff.objects.order_by()).filter(created_at__gte=period.start,
                                                              created_at__lt=period.end)
    pairs = list(moves.values_list("from_team__slug", "from_team__name", "to_team__slug", "to_team__name")
                 .annotate(n=Count("pk")).order_by("-n", "from_team__name", "to_team__name"))
    tables["handoffs"] = Table("handoffs", _("Hand-offs between teams"), [_("From"), _("To"), _("Hand-offs")], [
        [Cell(from_name), Cell(to_name),
         Cell(n, link(status="all", handoff_from=from_slug, handoff_to=to_slug,
                      handed_off_after=period.first.isoformat(), handed_off_before=period.last.isoformat()))]
        for from_slug, from_name, to_slug, to_name, n in pairs
    ])

    # Top services by volume.
    top = list(logged.values_list("service").annotate(n=Count("pk")).order_by("-n", "service")[:TOP_SERVICES])
    names = {s.pk: s.name for s in Service.objects.filter(pk__in=[pk for pk, _n in top])}
    tables["services"] = Table("services", _("Most requested services"), [_("Service"), _("Requests")], [
        [Cell(names[pk]), Cell(n, link(status="all", service=pk, **_dates(period)))] for pk, n in top
    ])

    # Unclaimed for more than a working day, now (the shared default calendar).
    from .clocks import load_calendar

    cutoff = deadlines.working_days_before(now, 1, load_calendar())
    unclaimed = open_now.filter(assignee__isnull=True, created_at__lt=cutoff).count()

    previous = period.previous()
    before_logged = requests.filter(created_at__gte=previous.start, created_at__lt=previous.end)
    before_resolved = requests.filter(resolved_at__gte=previous.start, resolved_at__lt=previous.end)
    before_outcomes = scope.outcomes(TimerOutcome.objects.order_by()).filter(
        deadline_at__gte=previous.start, deadline_at__lt=previous.end)
    before_kept = before_outcomes.aggregate(
        kept=Count("pk", filter=Q(kind=OutcomeKind.MET, created_at__lte=F("deadline_at"))),
        missed=Count("pk", filter=Q(kind=OutcomeKind.BREACH)),
    )
    total_kept = sum(k for _l, _p, k, _t, _u in kept)
    total_decided = sum(t for _l, _p, _k, t, _u in kept)
    headline = [
        Comparison(_("Requests logged"), sum(per_day.values()), before_logged.count(),
                   link=link(status="all", **_dates(period))),
        Comparison(_("Commitments kept"), round(100 * total_kept / total_decided, 1) if total_decided else None,
                   _share(before_kept["kept"], before_kept["kept"] + before_kept["missed"]), unit="%"),
        Comparison(_("Median first reply"), _round(first_reply[0]),
                   _round(_hours_percentiles(before_logged.filter(first_reply_at__isnull=False), "created_at",
                                             "first_reply_at")[0]), unit="h"),
        Comparison(_("Median resolution"), _round(resolution[0]),
                   _round(_hours_percentiles(before_resolved, "created_at", "resolved_at")[0]), unit="h"),
        Comparison(_("Breaches"), breaches.count(), before_outcomes.filter(kind=OutcomeKind.BREACH).count(),
                   link=link(status="all", breached_after=period.first.isoformat(),
                             breached_before=period.last.isoformat())),
        Comparison(_("Hand-offs"), sum(n for *_names, n in pairs), scope.handoffs(Handoff.objects.order_by()).filter(
            created_at__gte=previous.start, created_at__lt=previous.end).count()),
        Comparison(_("Unclaimed over a working day, now"), unclaimed, None,
                   link=link(assignee="none", older_than_working_days=1)),
    ]
    return Dashboard(scope, period, headline, tables, series, age_bands, kept)


def _share(part, whole):
    return round(100 * part / whole, 1) if whole else None

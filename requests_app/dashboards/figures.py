"""The dashboards' daily figures: per day, per team and service (and per site and service), counted by the
database from the requests and clock outcomes and written in one transaction a day, so a dashboard adds up
a few thousand small rows instead of reading a million requests."""

import bisect
import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, DurationField, Exists, ExpressionWrapper, F, OuterRef, Q
from django.utils import timezone

from catalogue.models import Channel

from ..models import (
    DURATION_EDGES,
    ClockKind,
    DailyFigures,
    FiguresRefresh,
    OutcomeKind,
    ServiceRequest,
    TimerOutcome,
)


def midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


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
    start, end = midnight(day), midnight(day + dt.timedelta(days=1))
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

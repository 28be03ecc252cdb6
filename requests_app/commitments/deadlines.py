"""Deadline arithmetic: pure functions on aware datetimes and a plain calendar object.

No ORM and no clock reads here: callers pass `now` and a `WorkCalendar` (see `load_calendar` in
`requests_app/clocks.py`), so every rule is a row in a table of tests.

All arithmetic is done in UTC: adding a timedelta to a datetime in a zoneinfo zone adds wall-clock time,
which is wrong across a DST change. Working hours are wall-clock times in the calendar's zone, turned into
real instants day by day, so an opening hour of 8:00 is 8:00 on both sides of a DST change.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import holidays

HELSINKI = ZoneInfo("Europe/Helsinki")
UTC = dt.timezone.utc
# A calendar with no working hours at all would never reach a deadline; give up after this many days.
MAX_SEARCH_DAYS = 3 * 366


@functools.lru_cache(maxsize=64)
def public_holidays(country: str, year: int) -> frozenset[dt.date]:
    """Public holidays from the `holidays` library (kept current by its maintainers, not by us)."""
    return frozenset(holidays.country_holidays(country, years=year).keys())


@dataclass(frozen=True)
class WorkCalendar:
    """Working hours per weekday (0 = Monday) as (opens, closes) pairs, public holidays and closure days."""

    hours: dict[int, tuple[tuple[dt.time, dt.time], ...]]
    closures: frozenset[dt.date] = field(default_factory=frozenset)
    holiday_country: str | None = "FI"
    tz: ZoneInfo = HELSINKI

    def is_closed(self, day: dt.date) -> bool:
        if day in self.closures:
            return True
        return bool(self.holiday_country) and day in public_holidays(self.holiday_country, day.year)

    def intervals(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        """The day's working intervals as UTC instants (empty on weekends, holidays and closure days)."""
        if self.is_closed(day):
            return []
        return [
            (_instant(day, opens, self.tz), _instant(day, closes, self.tz))
            for opens, closes in sorted(self.hours.get(day.weekday(), ()))
        ]

    def has_working_hours(self) -> bool:
        return any(self.hours.values())


OFFICE_HOURS = WorkCalendar(hours={d: ((dt.time(8), dt.time(16)),) for d in range(5)})
"""Used when no calendar is configured at all: weekdays 8-16, Finnish public holidays."""


def _instant(day: dt.date, wall: dt.time, tz: ZoneInfo) -> dt.datetime:
    """A wall-clock time on a day in `tz`, as UTC. A time skipped by DST moves forward past the gap."""
    local = dt.datetime.combine(day, wall, tzinfo=tz)
    # Round-tripping through UTC normalises times inside the spring-forward gap (fold=0 picks the earlier offset).
    return local.astimezone(UTC)


def _utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        raise ValueError("deadline arithmetic needs aware datetimes")
    return moment.astimezone(UTC)


def add_calendar_minutes(start: dt.datetime, minutes: float) -> dt.datetime:
    """Real elapsed time: 24 calendar hours across a DST change is still 24 hours on the clock of physics."""
    return _utc(start) + dt.timedelta(minutes=minutes)


def add_working_minutes(start: dt.datetime, minutes: float, calendar: WorkCalendar) -> dt.datetime:
    """The moment `minutes` of working time after `start`. Outside working hours the count starts at the
    next opening; zero minutes from a closed moment is the next opening too (a clock cannot run out
    while the office is shut)."""
    start = _utc(start)
    if minutes < 0:
        raise ValueError("minutes must not be negative")
    remaining = dt.timedelta(minutes=minutes)
    day = start.astimezone(calendar.tz).date()
    for _ in range(MAX_SEARCH_DAYS):
        for opens, closes in calendar.intervals(day):
            begin = max(opens, start)
            if closes <= begin:
                continue
            if remaining <= closes - begin:
                return begin + remaining
            remaining -= closes - begin
        day += dt.timedelta(days=1)
    raise ValueError("the calendar has no working hours within three years")


def working_minutes_between(start: dt.datetime, end: dt.datetime, calendar: WorkCalendar) -> float:
    """Working minutes from `start` to `end` (negative when `end` is earlier)."""
    start, end = _utc(start), _utc(end)
    if end < start:
        return -working_minutes_between(end, start, calendar)
    total = dt.timedelta()
    day = start.astimezone(calendar.tz).date()
    last = end.astimezone(calendar.tz).date()
    while day <= last:
        for opens, closes in calendar.intervals(day):
            begin, finish = max(opens, start), min(closes, end)
            if finish > begin:
                total += finish - begin
        day += dt.timedelta(days=1)
    return total.total_seconds() / 60


def working_days_before(moment: dt.datetime, days: int, calendar: WorkCalendar) -> dt.datetime:
    """The same local time `days` working days earlier: Monday 10:00 less one working day is Friday 10:00
    (Thursday 10:00 if Friday was a public holiday). What "waiting for more than a working day" means."""
    local = _utc(moment).astimezone(calendar.tz)
    day, counted = local.date(), 0
    for _ in range(MAX_SEARCH_DAYS):
        if counted == days:
            return _instant(day, local.time(), calendar.tz)
        day -= dt.timedelta(days=1)
        if calendar.intervals(day):
            counted += 1
    raise ValueError("the calendar has no working hours within three years")


def add_minutes(start: dt.datetime, minutes: float, calendar: WorkCalendar, *, working: bool) -> dt.datetime:
    if working:
        return add_working_minutes(start, minutes, calendar)
    return add_calendar_minutes(start, minutes)


def minutes_between(start: dt.datetime, end: dt.datetime, calendar: WorkCalendar, *, working: bool) -> float:
    if working:
        return working_minutes_between(start, end, calendar)
    return (_utc(end) - _utc(start)).total_seconds() / 60


@dataclass(frozen=True)
class ClockPlan:
    deadline_at: dt.datetime
    warn_at: dt.datetime | None
    escalate_at: dt.datetime | None


def warning_offset(target_minutes: float, *, warn_percent: int | None, warn_minutes_before: int | None) -> float | None:
    """Minutes of counted time after the start at which to warn, or None for no warning."""
    if warn_percent:
        return target_minutes * warn_percent / 100
    if warn_minutes_before:
        return max(target_minutes - warn_minutes_before, 0)
    return None


def plan_clock(
    start: dt.datetime,
    target_minutes: float,
    calendar: WorkCalendar,
    *,
    working: bool,
    warn_percent: int | None = None,
    warn_minutes_before: int | None = None,
    escalate_after_minutes: int | None = None,
) -> ClockPlan:
    """Deadline, warning point and escalation point of a clock that starts at `start`."""
    deadline = add_minutes(start, target_minutes, calendar, working=working)
    offset = warning_offset(target_minutes, warn_percent=warn_percent, warn_minutes_before=warn_minutes_before)
    warn_at = add_minutes(start, offset, calendar, working=working) if offset is not None else None
    if warn_at is not None and warn_at >= deadline:
        warn_at = None
    escalate_at = (
        add_minutes(deadline, escalate_after_minutes, calendar, working=working)
        if escalate_after_minutes
        else None
    )
    return ClockPlan(deadline, warn_at, escalate_at)


def shift_after_pause(
    point: dt.datetime | None,
    paused_at: dt.datetime,
    resumed_at: dt.datetime,
    calendar: WorkCalendar,
    *,
    working: bool,
) -> dt.datetime | None:
    """Where a deadline (or warning point) lands after a pause: what was left at `paused_at` is counted
    again from `resumed_at`. A pause over a night or weekend costs nothing on a working-hours clock,
    because no working time passes there anyway; on a calendar clock the whole pause is added."""
    if point is None:
        return None
    if _utc(point) <= _utc(paused_at):
        # Already due when the pause began: it stays where it was (and due).
        return _utc(point)
    left = minutes_between(paused_at, point, calendar, working=working)
    return add_minutes(resumed_at, left, calendar, working=working)


def describe_minutes(minutes: float) -> tuple[int, int, int]:
    """(days, hours, minutes) of a duration, for plain-words rendering."""
    whole = int(round(abs(minutes)))
    return whole // 1440, (whole % 1440) // 60, whole % 60

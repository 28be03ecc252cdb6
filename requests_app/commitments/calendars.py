"""The working-hours calendar a request's deadlines count on (and the commitments), read through the cache.

A team's calendar, else the intake site's, else the shared default, else office hours. Calendars change
seldom and every intake reads one, so the loaded calendar, each site's choice and the default are cached: a
warm intake reads none of them from the database. Saving or deleting a calendar, its hours, its closure
days or a site clears them (in every process when the cache is shared, as Redis is; otherwise in this
process at once and in the others within CALENDAR_CACHE_SECONDS). Commitments are kept the same way, and
saving or deleting one clears them too.
"""

from django.conf import settings
from django.core.cache import cache

from teams.models import Calendar, Site

from . import deadlines
from .deadlines import WorkCalendar

GENERATION = "calendars:generation"


def _key(name: str) -> str:
    return f"calendars:{cache.get_or_set(GENERATION, 1, None)}:{name}"


def cached(name: str, load):
    key = _key(name)
    value = cache.get(key)
    if value is None:
        value = load()
        cache.set(key, value, settings.CALENDAR_CACHE_SECONDS)
    return value


def forget_calendars(**_signal) -> None:
    """Every cached calendar and commitment is stale from now on (connected to their models' save and delete)."""
    try:
        cache.incr(GENERATION)
    except ValueError:
        cache.set(GENERATION, 2, None)


def _site_calendar_id(site_id: int | None) -> int:
    if site_id is None:
        return 0
    return cached(f"site:{site_id}", lambda: Site.objects.filter(pk=site_id).values_list(
        "calendar_id", flat=True).first() or 0)


def _default_calendar_id() -> int:
    return cached("default", lambda: Calendar.objects.filter(is_default=True).values_list(
        "pk", flat=True).first() or 0)


def _read(calendar_id: int) -> WorkCalendar:
    calendar = Calendar.objects.prefetch_related("working_hours", "closure_days").get(pk=calendar_id)
    hours: dict[int, list] = {}
    for row in calendar.working_hours.all():
        hours.setdefault(row.weekday, []).append((row.opens, row.closes))
    return WorkCalendar(
        hours={day: tuple(pairs) for day, pairs in hours.items()},
        closures=frozenset(row.date for row in calendar.closure_days.all()),
        holiday_country=calendar.holiday_country or None,
    )


def load_calendar(*, team=None, site_id: int | None = None) -> WorkCalendar:
    calendar_id = (team.calendar_id if team else None) or _site_calendar_id(site_id) or _default_calendar_id()
    if not calendar_id:
        return deadlines.OFFICE_HOURS
    return cached(f"calendar:{calendar_id}", lambda: _read(calendar_id))


def calendar_for(req) -> WorkCalendar:
    return load_calendar(team=req.team, site_id=req.intake_site_id)

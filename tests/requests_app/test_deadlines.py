"""Deadline arithmetic, as tables: weekends, Finnish public holidays, closure days, DST, pauses."""

import datetime as dt

import pytest

from requests_app.commitments.deadlines import (
    HELSINKI,
    OFFICE_HOURS,
    WorkCalendar,
    add_calendar_minutes,
    add_working_minutes,
    plan_clock,
    shift_after_pause,
    working_days_before,
    working_minutes_between,
)


def hki(y, m, d, hh=0, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=HELSINKI)


WITH_CLOSURE = WorkCalendar(hours=OFFICE_HOURS.hours, closures=frozenset({dt.date(2026, 3, 10)}))
NIGHT_SHIFT = WorkCalendar(hours={d: ((dt.time(0), dt.time(6)),) for d in range(7)}, holiday_country=None)


@pytest.mark.parametrize(
    "case, calendar, start, minutes, expected",
    [
        ("within one day", OFFICE_HOURS, hki(2026, 3, 2, 9), 60, hki(2026, 3, 2, 10)),
        ("runs over the night", OFFICE_HOURS, hki(2026, 3, 2, 9), 480, hki(2026, 3, 3, 9)),
        ("ends exactly at closing", OFFICE_HOURS, hki(2026, 3, 2, 8), 480, hki(2026, 3, 2, 16)),
        ("friday afternoon runs over the weekend", OFFICE_HOURS, hki(2026, 3, 6, 15), 120, hki(2026, 3, 9, 9)),
        ("logged friday evening", OFFICE_HOURS, hki(2026, 3, 6, 18), 240, hki(2026, 3, 9, 12)),
        ("logged on a saturday", OFFICE_HOURS, hki(2026, 3, 7, 10), 60, hki(2026, 3, 9, 9)),
        ("logged before opening", OFFICE_HOURS, hki(2026, 3, 2, 6, 30), 30, hki(2026, 3, 2, 8, 30)),
        ("zero minutes while closed is the next opening", OFFICE_HOURS, hki(2026, 3, 7, 10), 0, hki(2026, 3, 9, 8)),
        ("easter: good friday and easter monday", OFFICE_HOURS, hki(2026, 4, 2, 15), 120, hki(2026, 4, 7, 9)),
        ("christmas eve and christmas day", OFFICE_HOURS, hki(2026, 12, 23, 15), 120, hki(2026, 12, 28, 9)),
        ("midsummer eve", OFFICE_HOURS, hki(2026, 6, 18, 15), 120, hki(2026, 6, 22, 9)),
        ("a site's own closure day", WITH_CLOSURE, hki(2026, 3, 9, 15), 120, hki(2026, 3, 11, 9)),
        ("over the spring DST change", OFFICE_HOURS, hki(2026, 3, 27, 15), 120, hki(2026, 3, 30, 9)),
        ("over the autumn DST change", OFFICE_HOURS, hki(2026, 10, 23, 15), 120, hki(2026, 10, 26, 9)),
        ("spring-forward night has an hour less", NIGHT_SHIFT, hki(2026, 3, 29, 0), 300, hki(2026, 3, 29, 6)),
        ("fall-back night has an hour more", NIGHT_SHIFT, hki(2026, 10, 25, 0), 420, hki(2026, 10, 25, 6)),
        ("a minute past the short night", NIGHT_SHIFT, hki(2026, 3, 29, 0), 301, hki(2026, 3, 30, 0, 1)),
    ],
)
def test_adding_working_minutes(case, calendar, start, minutes, expected):
    assert add_working_minutes(start, minutes, calendar) == expected


@pytest.mark.parametrize(
    "case, start, minutes, expected",
    [
        ("plain day", hki(2026, 3, 2, 9), 60, hki(2026, 3, 2, 10)),
        ("24 h over spring DST is 13:00 next day", hki(2026, 3, 28, 12), 1440, hki(2026, 3, 29, 13)),
        ("24 h over autumn DST is 11:00 next day", hki(2026, 10, 24, 12), 1440, hki(2026, 10, 25, 11)),
        ("weekends count", hki(2026, 3, 6, 15), 120, hki(2026, 3, 6, 17)),
    ],
)
def test_adding_calendar_minutes(case, start, minutes, expected):
    assert add_calendar_minutes(start, minutes) == expected


@pytest.mark.parametrize(
    "case, start, end, expected",
    [
        ("over a weekend", hki(2026, 3, 6, 15), hki(2026, 3, 9, 9), 120),
        ("a whole day from before opening to after closing", hki(2026, 3, 2, 7), hki(2026, 3, 2, 17), 480),
        ("backwards is negative", hki(2026, 3, 9, 9), hki(2026, 3, 6, 15), -120),
        ("easter leaves two working days", hki(2026, 4, 2, 8), hki(2026, 4, 7, 16), 960),
        ("nothing at night", hki(2026, 3, 2, 17), hki(2026, 3, 3, 7), 0),
    ],
)
def test_counting_working_minutes(case, start, end, expected):
    assert working_minutes_between(start, end, OFFICE_HOURS) == expected


@pytest.mark.parametrize(
    "case, kwargs, expected",
    [
        (
            "24 working hours, warn 6 h before, escalate 8 h after",
            dict(target_minutes=1440, working=True, warn_minutes_before=360, escalate_after_minutes=480),
            (hki(2026, 3, 5, 9), hki(2026, 3, 4, 11), hki(2026, 3, 6, 9)),
        ),
        (
            "24 calendar hours, warn at 75 %",
            dict(target_minutes=1440, working=False, warn_percent=75),
            (hki(2026, 3, 3, 9), hki(2026, 3, 3, 3), None),
        ),
        ("no warning rule", dict(target_minutes=60, working=False), (hki(2026, 3, 2, 10), None, None)),
    ],
)
def test_planning_a_clock(case, kwargs, expected):
    plan = plan_clock(hki(2026, 3, 2, 9), calendar=OFFICE_HOURS, **kwargs)
    assert (plan.deadline_at, plan.warn_at, plan.escalate_at) == expected


@pytest.mark.parametrize(
    "case, working, point, paused_at, resumed_at, expected",
    [
        ("working clock: the hour left counts from resumption", True,
         hki(2026, 3, 2, 15), hki(2026, 3, 2, 14), hki(2026, 3, 3, 10), hki(2026, 3, 3, 11)),
        ("working clock: a pause over the night costs only the working half hour", True,
         hki(2026, 3, 3, 9), hki(2026, 3, 2, 15, 30), hki(2026, 3, 3, 8), hki(2026, 3, 3, 9, 30)),
        ("working clock: paused friday, resumed monday", True,
         hki(2026, 3, 9, 10), hki(2026, 3, 6, 15), hki(2026, 3, 9, 8), hki(2026, 3, 9, 11)),
        ("calendar clock: the whole night is added", False,
         hki(2026, 3, 3, 9), hki(2026, 3, 2, 21), hki(2026, 3, 3, 7), hki(2026, 3, 3, 19)),
        ("already due when paused: stays due", True,
         hki(2026, 3, 2, 10), hki(2026, 3, 2, 11), hki(2026, 3, 3, 9), hki(2026, 3, 2, 10)),
        ("no point stays no point", True, None, hki(2026, 3, 2, 11), hki(2026, 3, 3, 9), None),
    ],
)
def test_shifting_a_deadline_after_a_pause(case, working, point, paused_at, resumed_at, expected):
    assert shift_after_pause(point, paused_at, resumed_at, OFFICE_HOURS, working=working) == expected


def test_a_calendar_without_working_hours_is_refused():
    with pytest.raises(ValueError):
        add_working_minutes(hki(2026, 3, 2, 9), 60, WorkCalendar(hours={}))


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        add_working_minutes(dt.datetime(2026, 3, 2, 9), 60, OFFICE_HOURS)


@pytest.mark.parametrize(
    "case, moment, days, expected",
    [
        ("tuesday to monday", hki(2026, 3, 3, 10), 1, hki(2026, 3, 2, 10)),
        ("monday to friday, over the weekend", hki(2026, 3, 9, 10), 1, hki(2026, 3, 6, 10)),
        ("sunday to friday", hki(2026, 3, 8, 12), 1, hki(2026, 3, 6, 12)),
        ("two working days from monday", hki(2026, 3, 9, 10), 2, hki(2026, 3, 5, 10)),
        ("tuesday after easter: easter monday and good friday skipped", hki(2026, 4, 7, 9), 1, hki(2026, 4, 2, 9)),
        ("zero days is now", hki(2026, 3, 9, 10), 0, hki(2026, 3, 9, 10)),
    ],
)
def test_stepping_back_working_days(case, moment, days, expected):
    assert working_days_before(moment, days, OFFICE_HOURS) == expected

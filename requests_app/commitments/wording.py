"""Commitments and time in plain words, for pages, notifications and the charter."""

import datetime as dt
from functools import lru_cache

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from ..models import NotifyRole
from .deadlines import describe_minutes


def duration_in_words(minutes: float, *, working: bool = False) -> str:
    """'2 days 3 hours', '45 minutes'; 'working' adds the word so nobody reads it as calendar time."""
    days, hours, mins = describe_minutes(minutes)
    return _duration_words(get_language(), days, hours, 0 if days else mins, working)


@lru_cache(maxsize=4096)
def _duration_words(language: str, days: int, hours: int, mins: int, working: bool) -> str:
    # Kept per language: a queue page words a hundred durations, and the same ones again 30 seconds later.
    if working:
        # Working time reads best in hours: '24 working hours', not '1 day' (which would mean 3 office days).
        hours, days = hours + days * 24, 0
    parts = []
    if days:
        parts.append(ngettext("%(n)d day", "%(n)d days", days) % {"n": days})
    if hours:
        if working:
            parts.append(ngettext("%(n)d working hour", "%(n)d working hours", hours) % {"n": hours})
        else:
            parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    if mins and not days:
        if working:
            parts.append(ngettext("%(n)d working minute", "%(n)d working minutes", mins) % {"n": mins})
        else:
            parts.append(ngettext("%(n)d minute", "%(n)d minutes", mins) % {"n": mins})
    if not parts:
        return _("less than a minute")
    return " ".join(parts)


def time_left_in_words(deadline: dt.datetime | None, now: dt.datetime) -> str:
    if deadline is None:
        return ""
    minutes = (deadline - now).total_seconds() / 60
    if minutes >= 0:
        return _("%(duration)s left") % {"duration": duration_in_words(minutes)}
    return _("%(duration)s overdue") % {"duration": duration_in_words(-minutes)}


def roles_in_words(roles) -> str:
    labels = [str(NotifyRole(role).label) for role in roles if role in NotifyRole.values]
    if not labels:
        return _("nobody")
    if len(labels) == 1:
        return labels[0]
    return _("%(first)s and %(last)s") % {"first": ", ".join(labels[:-1]), "last": labels[-1]}


def commitment_in_words(commitment) -> str:
    """'First reply within 24 working hours; warning 6 hours before; breach is told to the assignee and
    the team lead, then the unit manager after 8 hours; waiting for the customer pauses the clock.'"""
    working = commitment.is_working_hours
    parts = [
        _("%(clock)s within %(duration)s")
        % {"clock": commitment.get_kind_display(), "duration": duration_in_words(commitment.target_minutes, working=working)}
    ]
    if commitment.warn_percent:
        parts.append(_("warning when %(percent)d %% of the time is used, to %(who)s") % {
            "percent": commitment.warn_percent, "who": roles_in_words(commitment.notify_on_warning)})
    elif commitment.warn_minutes_before:
        parts.append(_("warning %(duration)s before, to %(who)s") % {
            "duration": duration_in_words(commitment.warn_minutes_before, working=working),
            "who": roles_in_words(commitment.notify_on_warning)})
    else:
        parts.append(_("no warning"))
    breach = _("a breach is told to %(who)s") % {"who": roles_in_words(commitment.notify_on_breach)}
    if commitment.escalate_after_minutes:
        breach = _("%(breach)s, then to the unit manager after %(duration)s") % {
            "breach": breach, "duration": duration_in_words(commitment.escalate_after_minutes, working=working)}
    parts.append(breach)
    parts.append(_("waiting for the customer pauses the clock") if commitment.pauses_when_waiting
                 else _("the clock runs while waiting for the customer"))
    return "; ".join(parts) + "."

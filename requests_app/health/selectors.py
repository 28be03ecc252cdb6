"""Is the desk keeping its promises in the background? Read from the heartbeats, the database and the broker."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.celery import app

from ..models import Heartbeat, InboundMail, Mailbox

TIMERS, MAIL = "timers", "mail"


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    text: str  # in words, for people


def _age_in_words(seconds: float) -> str:
    minutes = int(seconds // 60)
    if minutes < 1:
        return _("%(seconds)d seconds") % {"seconds": seconds}
    return _("%(minutes)d minutes") % {"minutes": minutes}


def last_runs(*, cached: bool = False) -> dict:
    """When each background run last ran. Pages read it through the cache (ten seconds old at most, against
    thresholds of minutes), so the banner costs them no query."""
    if cached:
        return cache.get_or_set("desk-last-runs", last_runs, 10)
    return dict(Heartbeat.objects.values_list("name", "last_run_at"))


def stale_runs(*, now: dt.datetime | None = None, beats: dict | None = None) -> list[Check]:
    """The background runs that have not run for longer than they may (or never ran): what every staff page
    warns about."""
    now = now or timezone.now()
    beats = last_runs() if beats is None else beats
    limits = {TIMERS: settings.TIMERS_STALE_SECONDS, MAIL: settings.MAIL_STALE_SECONDS}
    stale = []
    for name, limit in limits.items():
        last = beats.get(name)
        if last is None:
            text = (_("The timers have never run: no warning or breach is recorded and no mail is sent.")
                    if name == TIMERS else _("Mail has never been sent: replies and notifications wait."))
        elif (now - last).total_seconds() > limit:
            age = _age_in_words((now - last).total_seconds())
            text = (_("The timers have not run for %(age)s: warnings and breaches are not being recorded.")
                    if name == TIMERS else _("Mail has not been sent for %(age)s: replies and notifications wait.")
                    ) % {"age": age}
        else:
            continue
        stale.append(Check(name, False, text))
    return stale


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # noqa: BLE001 - whatever it is, it is the answer
        return Check("database", False, _("The database does not answer: %(error)s") % {"error": error})
    return Check("database", True, _("The database answers."))


def check_broker() -> Check:
    try:
        with app.connection_for_write() as broker:
            broker.ensure_connection(max_retries=1, timeout=3)
    except Exception as error:  # noqa: BLE001
        return Check("broker", False, _("The message broker does not answer: %(error)s") % {"error": error})
    return Check("broker", True, _("The message broker answers."))


def desk_health(*, now: dt.datetime | None = None) -> list[Check]:
    """Every check, in order; a database that does not answer makes the heartbeats unreadable."""
    database = check_database()
    checks = [database, check_broker()]
    if database.ok:
        stale = {check.name: check for check in stale_runs(now=now)}
        for name, fine in ((TIMERS, _("The timers run.")), (MAIL, _("Mail is being sent."))):
            checks.append(stale.get(name) or Check(name, True, fine))
    return checks


def mailbox_checks(*, now: dt.datetime | None = None) -> list[Check]:
    """Each mailbox the desk reads, and the mail it set aside: for `manage.py doctor` (a mailbox with a wrong
    password is an administrator's matter, not a reason for a load balancer to drop the desk)."""
    now = now or timezone.now()
    late = dt.timedelta(seconds=max(3 * settings.MAIL_FETCH_SECONDS, 300))
    checks = []
    for mailbox in Mailbox.objects.filter(is_active=True).exclude(host=""):
        name = f"mailbox {mailbox.address}"
        if mailbox.last_error:
            checks.append(Check(name, False, _("Cannot be read: %(error)s") % {"error": mailbox.last_error}))
        elif mailbox.last_fetched_at is None or now - mailbox.last_fetched_at > late:
            checks.append(Check(name, False, _("Not read lately: is the mail worker running?")))
        else:
            checks.append(Check(name, True, _("Read %(age)s ago.") % {
                "age": _age_in_words((now - mailbox.last_fetched_at).total_seconds())}))
    set_aside = InboundMail.objects.filter(outcome=InboundMail.Outcome.SET_ASIDE).count()
    if set_aside:
        checks.append(Check("mail set aside", True, _("%(count)d message(s) could not be taken in; see the "
                                                      "“Mail set aside” page.") % {"count": set_aside}))
    return checks

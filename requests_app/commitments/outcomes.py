"""What a clock came to (warning, breach, escalation, met): recorded once under the unique rule, with its
timeline event and the notifications of the people the commitment names; their e-mail leaves after commit."""

import datetime as dt
from collections import defaultdict

from django.db import connection, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from servicedesk.languages import LANGUAGES, in_reading_order
from teams.models import Membership, Team

from ..models import Event, Notification, NotifyRole, OutcomeKind, TimelineEvent, TimerOutcome
from ..notifications.tasks import mail_soon
from .wording import duration_in_words

EVENT_FOR_OUTCOME = {
    OutcomeKind.WARNING: Event.COMMITMENT_WARNING,
    OutcomeKind.BREACH: Event.COMMITMENT_BREACHED,
    OutcomeKind.ESCALATION: Event.ESCALATED,
    OutcomeKind.MET: Event.COMMITMENT_MET,
}


def _insert_outcomes(items, now) -> list[tuple[int, int, str]]:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING: only the outcomes that were not there before."""
    table = connection.ops.quote_name(TimerOutcome._meta.db_table)
    columns = ["request_id", "clock_id", "clock_kind", "deadline_at", "kind", "team_id", "service_id",
               "intake_site_id", "created_at"]
    adapt = connection.ops.adapt_datetimefield_value
    inserted = []
    for start in range(0, len(items), 500):
        chunk = items[start:start + 500]
        params = []
        for clock, kind in chunk:
            params += [clock.request_id, clock.pk, clock.kind, adapt(clock.deadline_at), kind,
                       clock.request.team_id, clock.request.service_id, clock.request.intake_site_id, adapt(now)]
        rows = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(chunk))
        sql = (
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES {rows} "
            "ON CONFLICT DO NOTHING RETURNING id, clock_id, kind"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            inserted += cursor.fetchall()
    return inserted


def record_outcomes(items, *, now: dt.datetime, actor=None, untold=frozenset()) -> int:
    """Record (clock, outcome kind) pairs: outcome row, timeline event, notifications; e-mail after
    commit. Pairs in `untold` (clock id, kind) are recorded late, when their moment passed unseen: their
    timeline event says so, and nobody is notified. Helper: runs inside the caller's transaction, which
    holds the requests' and clocks' locks."""
    inserted = _insert_outcomes(items, now)
    if not inserted:
        return 0
    clocks = {clock.pk: clock for clock, _kind in items}
    new = [(outcome_id, clocks[clock_id], kind) for outcome_id, clock_id, kind in inserted]
    people = _Recipients({clock.request.team_id for _id, clock, _kind in new}, new)
    events, notifications = [], []
    for outcome_id, clock, kind in new:
        req = clock.request
        late = (clock.pk, kind) in untold
        words = _worded(clock, kind, now, late)
        texts = {language: words[f"text_{language}"] for language in LANGUAGES}
        events.append(TimelineEvent(
            request_id=req.pk, kind=EVENT_FOR_OUTCOME[kind], actor=actor, created_at=now, text=in_reading_order(texts),
            data={"clock": clock.kind, "deadline": clock.deadline_at.isoformat(), "outcome": outcome_id,
                  "texts": texts},
        ))
        for user_id in sorted(() if late else people.for_outcome(clock, kind)):
            notifications.append(Notification(
                recipient_id=user_id, request_id=req.pk, outcome_id=outcome_id, created_at=now, **words,
            ))
    TimelineEvent.objects.bulk_create(events, batch_size=1000)
    created = Notification.objects.bulk_create(notifications, batch_size=1000)
    if created:
        transaction.on_commit(mail_soon, robust=True)
    return len(new)


class _Recipients:
    """Who a commitment names, resolved for a whole batch with a handful of queries."""

    def __init__(self, team_ids, new):
        self.members, self.leads, self.managers = defaultdict(set), defaultdict(set), defaultdict(set)
        for team_id, user_id, role in Membership.objects.filter(team_id__in=team_ids).values_list(
            "team_id", "user_id", "role"
        ):
            self.members[team_id].add(user_id)
            if role == Membership.Role.LEAD:
                self.leads[team_id].add(user_id)
        for team_id, contact_id in Team.objects.filter(pk__in=team_ids, escalation_contact__isnull=False).values_list(
            "pk", "escalation_contact_id"
        ):
            self.leads[team_id] = {contact_id}
        for team_id, manager_id in Team.units.through.objects.filter(
            team_id__in=team_ids, unit__manager__isnull=False
        ).values_list("team_id", "unit__manager_id"):
            self.managers[team_id].add(manager_id)
        met_clock_ids = [clock.pk for _id, clock, kind in new if kind == OutcomeKind.MET]
        self.told_before = defaultdict(set)
        if met_clock_ids:
            for clock_id, user_id in Notification.objects.filter(outcome__clock_id__in=met_clock_ids).values_list(
                "outcome__clock_id", "recipient_id"
            ):
                self.told_before[clock_id].add(user_id)

    def for_roles(self, req, roles) -> set[int]:
        team_id, people = req.team_id, set()
        for role in roles:
            if role == NotifyRole.ASSIGNEE:
                # Nobody has claimed it: the whole team hears, so someone does.
                people |= {req.assignee_id} if req.assignee_id else self.members[team_id]
            elif role == NotifyRole.TEAM:
                people |= self.members[team_id]
            elif role == NotifyRole.TEAM_LEAD:
                people |= self.leads[team_id]
            elif role == NotifyRole.UNIT_MANAGER:
                people |= self.managers[team_id]
        return people

    def for_outcome(self, clock, kind) -> set[int]:
        if kind == OutcomeKind.WARNING:
            return self.for_roles(clock.request, clock.notify_on_warning)
        if kind == OutcomeKind.BREACH:
            return self.for_roles(clock.request, clock.notify_on_breach)
        if kind == OutcomeKind.ESCALATION:
            return self.managers[clock.request.team_id] or self.leads[clock.request.team_id]
        # Met: close the loop with whoever was warned or told of the breach; nobody else needs a notice.
        return self.told_before[clock.pk]


def _worded(clock, kind, now, late: bool) -> dict:
    """The outcome's title and text in Finnish, Swedish and English (`Notification.worded`)."""
    def title_and_text():
        return _late_wording(clock) if late else _wording(clock, kind, now)

    return Notification.worded(lambda: title_and_text()[0], lambda: title_and_text()[1])


def _late_wording(clock) -> tuple[str, str]:
    names = {"reference": clock.request.reference, "clock": clock.get_kind_display(),
             "subject": clock.request.subject}
    return (_("%(reference)s: %(clock)s warning recorded late") % names,
            _("The warning for %(clock)s of “%(subject)s” fell due while the timers were not running; "
              "it is recorded now, before the breach, and nobody was told of it.") % names)


def _wording(clock, kind, now) -> tuple[str, str]:
    req = clock.request
    names = {
        "reference": req.reference,
        "clock": clock.get_kind_display(),
        "subject": req.subject,
        "deadline": formats.date_format(timezone.localtime(clock.deadline_at), "DATETIME_FORMAT"),
    }
    if kind == OutcomeKind.WARNING:
        names["left"] = duration_in_words((clock.deadline_at - now).total_seconds() / 60)
        return (_("%(reference)s: %(clock)s due in %(left)s") % names,
                _("%(clock)s for “%(subject)s” is due by %(deadline)s.") % names)
    if kind == OutcomeKind.BREACH:
        return (_("%(reference)s: %(clock)s deadline passed") % names,
                _("%(clock)s for “%(subject)s” was due by %(deadline)s and is not done.") % names)
    if kind == OutcomeKind.ESCALATION:
        names["late"] = duration_in_words((now - clock.deadline_at).total_seconds() / 60)
        return (_("%(reference)s: %(clock)s still not done, %(late)s late") % names,
                _("%(clock)s for “%(subject)s” was due by %(deadline)s; the team lead was told. "
                  "Please make sure it is taken care of.") % names)
    if clock.breached_at:
        return (_("%(reference)s: %(clock)s done, late") % names,
                _("%(clock)s for “%(subject)s” was done after its deadline %(deadline)s.") % names)
    return (_("%(reference)s: %(clock)s done in time") % names,
            _("%(clock)s for “%(subject)s” was done before its deadline %(deadline)s.") % names)

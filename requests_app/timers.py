"""The timer sweep: due clocks are claimed from the database, never remembered by the broker.

A clock row says when it next needs a look (`next_check_at`, under a partial index). The sweep claims a
batch of due rows with `FOR NO KEY UPDATE ... SKIP LOCKED` (clock and request together), so any number of
sweepers run side by side without ever taking the same row or waiting for each other. Each outcome
(warning, breach, escalation, met) is inserted under the unique rule (request, clock, deadline, kind) with
ON CONFLICT DO NOTHING, and only the rows actually inserted get their timeline event and notifications:
a repeat writes nothing. E-mail leaves after commit, by a task that marks each notification as mailed.
"""

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from teams.models import Membership, Team

from .clocks import summarise
from .models import (
    ClockState,
    Event,
    Notification,
    NotifyRole,
    OutcomeKind,
    RequestClock,
    ServiceRequest,
    TimelineEvent,
    TimerOutcome,
)
from .wording import duration_in_words

log = logging.getLogger(__name__)

EVENT_FOR_OUTCOME = {
    OutcomeKind.WARNING: Event.COMMITMENT_WARNING,
    OutcomeKind.BREACH: Event.COMMITMENT_BREACHED,
    OutcomeKind.ESCALATION: Event.ESCALATED,
    OutcomeKind.MET: Event.COMMITMENT_MET,
}


@dataclass
class SweepResult:
    claimed: int
    outcomes: int
    batch_full: bool


def due_outcomes(clock: RequestClock, now: dt.datetime) -> list[str]:
    """What is due on this clock at `now`, moving the clock on. A clock whose deadline has already
    passed (the beat was down) records the breach, not a stale warning."""
    due = []
    if clock.met_at is None and clock.state == ClockState.RUNNING:
        if clock.deadline_at <= now:
            clock.state, clock.breached_at = ClockState.BREACHED, now
            due.append(OutcomeKind.BREACH)
        elif clock.warn_at is not None and clock.warned_at is None and clock.warn_at <= now:
            clock.warned_at = now
            due.append(OutcomeKind.WARNING)
    if (
        clock.met_at is None and clock.state == ClockState.BREACHED and clock.escalated_at is None
        and clock.escalate_at is not None and clock.escalate_at <= now
    ):
        clock.escalated_at = now
        due.append(OutcomeKind.ESCALATION)
    clock.next_check_at = clock.compute_next_check()
    return due


# What the sweep reads: the clock, and of its request only what outcomes, wording and lists need.
CLOCK_FIELDS = [f.attname for f in RequestClock._meta.concrete_fields]
REQUEST_FIELDS = ["request__" + name for name in (
    "team_id", "service_id", "intake_site_id", "assignee_id", "reference", "subject", "commitment_state",
    "next_deadline_at")]


def sweep(*, now: dt.datetime | None = None, batch_size: int | None = None, on_full_batch=None) -> SweepResult:
    """Claim up to `batch_size` due clocks and record what is due on them, in one transaction.

    `on_full_batch` is called as soon as a full batch is claimed, before it is processed: more are due,
    and another sweeper can start on the next batch at once (it skips the rows locked here)."""
    now = now or timezone.now()
    batch_size = batch_size or settings.TIMER_SWEEP_BATCH
    with transaction.atomic(durable=True):
        clocks = list(
            RequestClock.objects.filter(next_check_at__lte=now)
            .order_by("next_check_at")
            .select_related("request")
            .only(*CLOCK_FIELDS, *REQUEST_FIELDS)
            .select_for_update(skip_locked=True, no_key=True, of=("self", "request"))[:batch_size]
        )
        if not clocks:
            return SweepResult(0, 0, False)
        if on_full_batch is not None and len(clocks) == batch_size:
            on_full_batch()
        items = [(clock, kind) for clock in clocks for kind in due_outcomes(clock, now)]
        update_rows(RequestClock, clocks, ["state", "warned_at", "breached_at", "escalated_at", "next_check_at"])
        recorded = record_outcomes(items, now=now) if items else 0
        refresh_summaries({clock.request_id: clock.request for clock in clocks})
    return SweepResult(len(clocks), recorded, len(clocks) == batch_size)


def update_rows(model, objects, fields) -> None:
    """Write `fields` of many rows in one statement. On PostgreSQL an UPDATE ... FROM (VALUES ...): Django's
    bulk_update builds a CASE per field and row, which costs more than the whole rest of a sweep."""
    if not objects:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_update(objects, fields, batch_size=500)
        return
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    casts = [f"%s::{meta.pk.db_type(connection)}"] + [f"%s::{field.db_type(connection)}" for field in columns]
    row = "(" + ", ".join(casts) + ")"
    names = ["pk"] + [field.column for field in columns]
    assignments = ", ".join(f"{connection.ops.quote_name(f.column)} = v.{connection.ops.quote_name(f.column)}"
                            for f in columns)
    table = connection.ops.quote_name(meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(objects), 1000):
            chunk = objects[start:start + 1000]
            params = []
            for obj in chunk:
                params.append(obj.pk)
                params += [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in columns]
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM (VALUES {', '.join([row] * len(chunk))}) "
                f"AS v({', '.join(connection.ops.quote_name(n) for n in names)}) "
                f"WHERE {table}.{connection.ops.quote_name(meta.pk.column)} = v.pk",
                params,
            )


def refresh_summaries(requests: dict[int, ServiceRequest]) -> None:
    """Commitment state and next deadline of many requests: one read of their clocks, one write."""
    by_request = defaultdict(list)
    for clock in RequestClock.objects.filter(request_id__in=list(requests)).only(
        "request_id", "state", "deadline_at", "warned_at", "breached_at", "met_at"
    ):
        by_request[clock.request_id].append(clock)
    changed = []
    for request_id, req in requests.items():
        state, deadline = summarise(by_request[request_id])
        if (req.commitment_state, req.next_deadline_at) != (state, deadline):
            req.commitment_state, req.next_deadline_at = state, deadline
            changed.append(req)
    if changed:
        update_rows(ServiceRequest, changed, ["commitment_state", "next_deadline_at"])


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


def record_outcomes(items, *, now: dt.datetime, actor=None) -> int:
    """Record (clock, outcome kind) pairs: outcome row, timeline event, notifications; e-mail after
    commit. Helper: runs inside the caller's transaction, which holds the requests' and clocks' locks."""
    inserted = _insert_outcomes(items, now)
    if not inserted:
        return 0
    clocks = {clock.pk: clock for clock, _kind in items}
    new = [(outcome_id, clocks[clock_id], kind) for outcome_id, clock_id, kind in inserted]
    people = _Recipients({clock.request.team_id for _id, clock, _kind in new}, new)
    events, notifications = [], []
    for outcome_id, clock, kind in new:
        req = clock.request
        title, text = _wording(clock, kind, now)
        events.append(TimelineEvent(
            request_id=req.pk, kind=EVENT_FOR_OUTCOME[kind], actor=actor, created_at=now, text=text,
            data={"clock": clock.kind, "deadline": clock.deadline_at.isoformat(), "outcome": outcome_id},
        ))
        for user_id in sorted(people.for_outcome(clock, kind)):
            notifications.append(Notification(
                recipient_id=user_id, request_id=req.pk, outcome_id=outcome_id, title=title, text=text,
                created_at=now,
            ))
    TimelineEvent.objects.bulk_create(events, batch_size=1000)
    created = Notification.objects.bulk_create(notifications, batch_size=1000)
    ids = [n.pk for n in created if n.pk is not None]
    if ids:
        transaction.on_commit(lambda: enqueue_emails(ids))
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


# --- E-mail -------------------------------------------------------------------------------------------------

# Small chunks: mail shares the workers with the sweep, which should never wait long behind it.
EMAIL_CHUNK = 50


def enqueue_emails(notification_ids) -> None:
    from .tasks import email_notifications

    for start in range(0, len(notification_ids), EMAIL_CHUNK):
        email_notifications.delay(list(notification_ids[start:start + EMAIL_CHUNK]))


def email_notifications(notification_ids, *, now=None) -> int:
    """Mail each notification once: the row is locked, re-read, sent and marked in one short transaction.
    A notification already marked (or locked by another worker) is skipped. People without an e-mail
    address are marked too, so the catch-up does not look at them again."""
    sent, mail_connection = 0, None
    for notification_id in notification_ids:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # The mark needs no fsync of its own: if the database itself crashed before flushing it,
                # the mail would go again (at least once); a lost worker loses nothing either way.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit = off")
            notification = (
                Notification.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("recipient", "request")
                .only("title", "text", "emailed_at", "recipient__email", "request__reference")
                .filter(pk=notification_id, emailed_at__isnull=True)
                .order_by()
                .first()
            )
            if notification is None:
                continue
            if notification.recipient.email:
                mail_connection = mail_connection or get_connection()
                EmailMessage(
                    subject=notification.title,
                    body=f"{notification.text}\n\n{settings.PUBLIC_BASE_URL.rstrip('/')}/",
                    to=[notification.recipient.email],
                    headers={"X-Service-Request": notification.request.reference},
                    connection=mail_connection,
                ).send()
                sent += 1
            notification.emailed_at = now or timezone.now()
            notification.save(update_fields=["emailed_at"])
    if mail_connection is not None:
        mail_connection.close()
    return sent


def unmailed_notification_ids(*, now: dt.datetime, older_than_seconds: float = 60, limit: int = 1000) -> list[int]:
    """Notifications whose mail task was lost (a worker died after commit): the sweep hands them on."""
    cutoff = now - dt.timedelta(seconds=older_than_seconds)
    return list(
        Notification.objects.filter(emailed_at__isnull=True, created_at__lt=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )

"""The timer sweep: due clocks are claimed from the database, never remembered by the broker.

A clock row says when it next needs a look (`next_check_at`, under a partial index). The sweep claims a
batch of due rows with `FOR NO KEY UPDATE ... SKIP LOCKED` (clock and request together), so any number of
sweepers run side by side without ever taking the same row or waiting for each other. Each outcome
(warning, breach, escalation, met) is inserted under the unique rule (request, clock, deadline, kind) with
ON CONFLICT DO NOTHING, and only the rows actually inserted get their timeline event and notifications:
a repeat writes nothing. E-mail leaves after commit, by a task that marks each notification as mailed.
"""
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from ..models import ClockState, OutcomeKind, RequestClock, ServiceRequest
from .clocks import summarise
from .outcomes import record_outcomes


@dataclass
class SweepResult:
    claimed: int
    outcomes: int
    batch_full: bool


def due_outcomes(clock: RequestClock, now: dt.datetime) -> list[tuple[str, bool]]:
    """What is due on this clock at `now`, as (outcome kind, whether to tell people), moving the clock on.
    A clock whose deadline has already passed (the timers were down) records the warning it missed first,
    so the timeline keeps it, but tells nobody of it: the breach is the news."""
    due = []
    if clock.met_at is None and clock.state == ClockState.RUNNING:
        if clock.deadline_at <= now:
            if clock.warn_at is not None and clock.warned_at is None and clock.warn_at < clock.deadline_at:
                clock.warned_at = now
                due.append((OutcomeKind.WARNING, False))
            clock.state, clock.breached_at = ClockState.BREACHED, now
            due.append((OutcomeKind.BREACH, True))
        elif clock.warn_at is not None and clock.warned_at is None and clock.warn_at <= now:
            clock.warned_at = now
            due.append((OutcomeKind.WARNING, True))
    if (
        clock.met_at is None and clock.state == ClockState.BREACHED and clock.escalated_at is None
        and clock.escalate_at is not None and clock.escalate_at <= now
    ):
        clock.escalated_at = now
        due.append((OutcomeKind.ESCALATION, True))
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
        due = [(clock, kind, told) for clock in clocks for kind, told in due_outcomes(clock, now)]
        items = [(clock, kind) for clock, kind, _told in due]
        missed = {(clock.pk, kind) for clock, kind, told in due if not told}
        update_rows(RequestClock, clocks, ["state", "warned_at", "breached_at", "escalated_at", "next_check_at"])
        recorded = record_outcomes(items, now=now, untold=missed) if items else 0
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

"""The life of a request's clocks: start, meet, pause, resume.

Helpers only: each runs inside the calling service's transaction, which already holds the request's lock
(`select_for_update(no_key=True)` on the ServiceRequest, then its clocks: always in that order; the sweep
never waits for a lock, so the order cannot deadlock).
"""

import datetime as dt

from django.db.models import Q

from catalogue.models import Channel

from ..models import (
    ClockKind,
    ClockState,
    Commitment,
    CommitmentState,
    OutcomeKind,
    RequestClock,
    ServiceRequest,
)
from . import deadlines
from .calendars import cached, calendar_for
from .outcomes import record_outcomes


def commitments_for(req: ServiceRequest, kinds) -> dict[str, Commitment]:
    """Per clock kind, the commitment that applies: the service's own wins over the team's default. Read
    through the cache, as calendars are (every intake and every customer message asks)."""
    found: dict[str, dict[str, Commitment]] = {}
    for commitment in _commitments_of(req.team_id, req.service_id):
        if commitment.kind in kinds:
            found.setdefault(commitment.kind, {})["service" if commitment.service_id else "team"] = commitment
    return {kind: pair.get("service") or pair["team"] for kind, pair in found.items()}


def _commitments_of(team_id: int, service_id: int) -> list[Commitment]:
    return cached(f"commitments:{team_id}:{service_id}", lambda: list(
        Commitment.objects.filter(Q(service_id=service_id) | Q(team_id=team_id))))


def _new_clock(req: ServiceRequest, commitment: Commitment, *, now: dt.datetime, calendar) -> RequestClock:
    """A clock for this commitment, counting from `now`, not saved yet."""
    plan = deadlines.plan_clock(
        now, commitment.target_minutes, calendar, working=commitment.is_working_hours,
        warn_percent=commitment.warn_percent, warn_minutes_before=commitment.warn_minutes_before,
        escalate_after_minutes=commitment.escalate_after_minutes,
    )
    clock = RequestClock(
        request=req, kind=commitment.kind, commitment=commitment, state=ClockState.RUNNING,
        working_hours=commitment.is_working_hours, pauses_when_waiting=commitment.pauses_when_waiting,
        notify_on_warning=list(commitment.notify_on_warning), notify_on_breach=list(commitment.notify_on_breach),
        started_at=now, deadline_at=plan.deadline_at, warn_at=plan.warn_at, escalate_at=plan.escalate_at,
    )
    clock.next_check_at = clock.compute_next_check()
    return clock


def start_clock(req: ServiceRequest, kind: str, *, now: dt.datetime) -> RequestClock | None:
    commitment = commitments_for(req, [kind]).get(kind)
    if commitment is None:
        return None
    clock = _new_clock(req, commitment, now=now, calendar=calendar_for(req))
    clock.save()
    return clock


def plan_intake_clocks(req: ServiceRequest, *, now: dt.datetime, callback_from: dt.datetime | None = None
                       ) -> list[RequestClock]:
    """The clocks a new request starts with, not saved yet, and its summary set from them, so the request
    is written once, whole: from now; for a callback request, every clock from the start of the window the
    customer chose (a call promised within 4 hours, for a customer who asked to be called tomorrow morning,
    is due by noon, and no first reply falls due before the agreed call). The caller saves the request, then
    `RequestClock.objects.bulk_create`."""
    kinds = [ClockKind.FIRST_REPLY, ClockKind.RESOLUTION]
    if req.channel == Channel.CALLBACK:
        kinds.append(ClockKind.CALLBACK)
    commitments = commitments_for(req, kinds)
    clocks = []
    if commitments:
        calendar = calendar_for(req)
        for kind in kinds:
            if kind in commitments:
                start = max(now, callback_from) if callback_from else now
                clocks.append(_new_clock(req, commitments[kind], now=start, calendar=calendar))
    req.commitment_state, req.next_deadline_at = summarise(clocks)
    return clocks


def live_clocks(req: ServiceRequest, kinds=None) -> list[RequestClock]:
    """Clocks still counting or still unmet (a breached clock lives until it is met), locked."""
    qs = RequestClock.objects.select_for_update(no_key=True).filter(request=req, met_at__isnull=True).exclude(
        state=ClockState.MET
    )
    if kinds is not None:
        qs = qs.filter(kind__in=list(kinds))
    return list(qs.order_by("pk"))


def meet_clocks(req: ServiceRequest, kinds, *, now: dt.datetime, actor=None) -> list[RequestClock]:
    """The promise was kept (or kept late): each live clock of these kinds records one 'met' outcome."""
    met = live_clocks(req, kinds)
    for clock in met:
        clock.met_at = now
        if clock.state != ClockState.BREACHED:
            clock.state = ClockState.MET
        clock.paused_at = None
        clock.next_check_at = None
    RequestClock.objects.bulk_update(met, ["met_at", "state", "paused_at", "next_check_at"])
    if met:
        for clock in met:
            clock.request = req
        record_outcomes([(clock, OutcomeKind.MET) for clock in met], now=now, actor=actor)
    return met


def pause_clocks(req: ServiceRequest, *, now: dt.datetime) -> list[RequestClock]:
    paused = [c for c in live_clocks(req) if c.pauses_when_waiting and c.state != ClockState.PAUSED]
    for clock in paused:
        clock.state = ClockState.PAUSED
        clock.paused_at = now
        clock.next_check_at = None
    RequestClock.objects.bulk_update(paused, ["state", "paused_at", "next_check_at"])
    return paused


def resume_clocks(req: ServiceRequest, *, now: dt.datetime) -> list[RequestClock]:
    """What was left at the pause counts again from now (a pause over a night costs a working clock nothing)."""
    paused = [c for c in live_clocks(req) if c.state == ClockState.PAUSED]
    if not paused:
        return []
    calendar = calendar_for(req)
    for clock in paused:
        shift = lambda point: deadlines.shift_after_pause(  # noqa: E731
            point, clock.paused_at, now, calendar, working=clock.working_hours
        )
        if clock.breached_at is None:
            clock.deadline_at = shift(clock.deadline_at)
            if clock.warned_at is None:
                clock.warn_at = shift(clock.warn_at)
        if clock.escalated_at is None:
            clock.escalate_at = shift(clock.escalate_at)
        clock.paused_seconds += max(int((now - clock.paused_at).total_seconds()), 0)
        clock.paused_at = None
        clock.state = ClockState.BREACHED if clock.breached_at else ClockState.RUNNING
        clock.next_check_at = clock.compute_next_check()
    RequestClock.objects.bulk_update(
        paused, ["deadline_at", "warn_at", "escalate_at", "paused_seconds", "paused_at", "state", "next_check_at"]
    )
    return paused


def summarise(clocks) -> tuple[str, dt.datetime | None]:
    """The request's commitment state for lists: the most urgent thing its clocks say."""
    if not clocks:
        return CommitmentState.NONE, None
    live = [c for c in clocks if c.met_at is None and c.state != ClockState.MET]
    breached = [c for c in live if c.state == ClockState.BREACHED]
    running = [c for c in live if c.state == ClockState.RUNNING]
    if breached:
        return CommitmentState.BREACHED, min(c.deadline_at for c in breached)
    if running:
        state = CommitmentState.WARNING if any(c.warned_at for c in running) else CommitmentState.ON_TRACK
        return state, min(c.deadline_at for c in running)
    if live:
        return CommitmentState.PAUSED, None
    if any(c.breached_at for c in clocks):
        return CommitmentState.BREACHED, None
    return CommitmentState.MET, None


def refresh_summary(req: ServiceRequest) -> ServiceRequest:
    """Keep `commitment_state` and `next_deadline_at` current (written here, so callers need not)."""
    clocks = list(RequestClock.objects.filter(request=req))
    state, deadline = summarise(clocks)
    if (req.commitment_state, req.next_deadline_at) != (state, deadline):
        req.commitment_state, req.next_deadline_at = state, deadline
        ServiceRequest.objects.filter(pk=req.pk).update(commitment_state=state, next_deadline_at=deadline)
    return req

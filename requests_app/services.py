"""Every change to a request goes through one of these functions: one transaction, one timeline event."""

import datetime as dt
import re

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import Channel, Service

from . import clocks
from .errors import AlreadyClaimed, InvalidState, NotAllowed
from .models import (
    CallbackRequest,
    ClockKind,
    Customer,
    Event,
    Handoff,
    Message,
    ReferenceCounter,
    ServiceRequest,
    Status,
    TimelineEvent,
)

MAX_SUBJECT = 200
MAX_TEXT = 10_000


def _locked(request_id: int) -> ServiceRequest:
    return ServiceRequest.objects.select_for_update(no_key=True).select_related("team").get(pk=request_id)


def _require_text(text: str, what: str, limit: int = MAX_TEXT) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidState(_("%(what)s cannot be empty.") % {"what": what})
    if len(text) > limit:
        raise InvalidState(_("%(what)s is too long (at most %(limit)d characters).") % {"what": what, "limit": limit})
    return text


def _require_member(req: ServiceRequest, user, action: str) -> None:
    if not req.team.has_member(user):
        raise NotAllowed(
            _("Only members of %(team)s can %(action)s this request.") % {"team": req.team, "action": action}
        )


def _require_open(req: ServiceRequest) -> None:
    if req.status == Status.RESOLVED:
        raise InvalidState(_("Request %(reference)s is already resolved.") % {"reference": req.reference})


def next_reference(now) -> str:
    """SD-2026-000123: numbered per year, never reused (helper: runs inside the caller's transaction)."""
    year = timezone.localtime(now).year
    counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"{settings.DESK_REFERENCE_PREFIX}-{year}-{counter.last_number:06d}"


@transaction.atomic(durable=True)
def log_request(
    *,
    by,
    service_id: int,
    channel: str,
    subject: str,
    description: str = "",
    customer_id: int | None = None,
    new_customer: dict | None = None,
    site_id: int | None = None,
    callback: dict | None = None,
    now=None,
) -> ServiceRequest:
    """'I'll handle this and pass it on': the logger becomes intake owner; the service's team gets the request.

    A phone call can instead leave a callback request (channel "callback"): `callback` then holds the
    number and the window the customer prefers, and the callback clock counts from the window's start."""
    now = now or timezone.now()
    subject = _require_text(subject, _("Subject"), MAX_SUBJECT)
    description = (description or "").strip()
    if len(description) > MAX_TEXT:
        raise InvalidState(_("Description is too long (at most %(limit)d characters).") % {"limit": MAX_TEXT})
    if channel not in Channel.values:
        raise InvalidState(_("Unknown channel: %(channel)s.") % {"channel": channel})
    try:
        service = Service.objects.select_related("owning_team").get(pk=service_id)
    except (Service.DoesNotExist, ValueError, TypeError):
        raise InvalidState(_("Choose a service from the catalogue.")) from None
    if not service.is_offered:
        raise InvalidState(_("%(service)s is retired and takes no new requests.") % {"service": service})
    if service.owning_team is None:
        raise InvalidState(_("%(service)s has no owning team yet; choose another service.") % {"service": service})
    window = _check_callback(channel, callback, now)
    customer = _resolve_customer(customer_id, new_customer)

    req = ServiceRequest.objects.create(
        reference=next_reference(now),
        service=service,
        team=service.owning_team,
        customer=customer,
        customer_name=customer.name,
        channel=channel,
        subject=subject,
        description=description,
        intake_owner=by,
        intake_site_id=site_id if site_id is not None else by.home_site_id,
        created_at=now,
    )
    TimelineEvent.record(
        req, Event.LOGGED, actor=by, at=now, text=description,
        service=service.code, team=service.owning_team.slug, channel=channel,
    )
    if window:
        CallbackRequest.objects.create(request=req, **window)
    clocks.start_intake_clocks(req, now=now, callback_from=window["window_start"] if window else None)
    return req


PHONE = re.compile(r"\+?[0-9][0-9 ()-]{4,30}")
CALLBACK_HORIZON = dt.timedelta(days=14)


def _check_callback(channel: str, callback: dict | None, now) -> dict | None:
    """A callback request needs a number to call and a window that is still to come, within two weeks."""
    if channel != Channel.CALLBACK:
        if callback:
            raise InvalidState(_("Only a callback request takes a number and a time to call back."))
        return None
    callback = callback or {}
    phone = (callback.get("phone") or "").strip()
    start, end = callback.get("window_start"), callback.get("window_end")
    if not PHONE.fullmatch(phone) or not 5 <= sum(ch.isdigit() for ch in phone) <= 20:
        raise InvalidState(_("Give the number to call back, for example +358 40 123 4567."))
    if start is None or end is None:
        raise InvalidState(_("Give the time the customer would like to be called."))
    if end <= start:
        raise InvalidState(_("The time to call back must end after it starts."))
    if end <= now:
        raise InvalidState(_("The time to call back is already over."))
    if start > now + CALLBACK_HORIZON:
        raise InvalidState(_("A callback can be booked at most two weeks ahead."))
    return {"phone": phone, "window_start": start, "window_end": end}


def _resolve_customer(customer_id, new_customer) -> Customer:
    if customer_id is not None:
        customer = Customer.objects.filter(pk=customer_id).first()
        if customer is None:
            raise InvalidState(_("No such customer."))
        # A merged record points to the one that lives on.
        while customer.merged_into_id:
            customer = customer.merged_into
        return customer
    data = new_customer or {}
    name = _require_text(data.get("name", ""), _("Customer name"), 200)
    return Customer.objects.create(
        name=name,
        kind=data.get("kind") or Customer.Kind.PERSON,
        email=(data.get("email") or "").strip()[:254],
        phone=(data.get("phone") or "").strip()[:40],
        business_id=(data.get("business_id") or "").strip()[:20],
        language=data.get("language") or "fi",
    )


@transaction.atomic(durable=True)
def merge_customers(*, by, duplicate_id: int, survivor_id: int, now=None) -> Customer:
    """Two records of one customer become one: the duplicate's requests join the survivor's history, and the
    duplicate stays, pointing at the survivor, so old references still lead somewhere."""
    now = now or timezone.now()
    if duplicate_id == survivor_id:
        raise InvalidState(_("A customer cannot be merged into itself."))
    records = {c.pk: c for c in Customer.objects.select_for_update().filter(pk__in=[duplicate_id, survivor_id])}
    if len(records) != 2:
        raise InvalidState(_("No such customer."))
    duplicate, survivor = records[duplicate_id], records[survivor_id]
    for record in (duplicate, survivor):
        if record.merged_into_id:
            raise InvalidState(_("%(customer)s was already merged into another record.") % {"customer": record})
    moved = list(ServiceRequest.objects.select_for_update(no_key=True).filter(customer=duplicate))
    for req in moved:
        TimelineEvent.record(req, Event.CUSTOMER_MERGED, actor=by, at=now,
                             text=_("%(duplicate)s merged into %(survivor)s") % {"duplicate": duplicate, "survivor": survivor},
                             duplicate=duplicate.pk, survivor=survivor.pk)
    ServiceRequest.objects.filter(pk__in=[r.pk for r in moved]).update(
        customer=survivor, customer_name=survivor.name, updated_at=now)
    Customer.objects.filter(merged_into=duplicate).update(merged_into=survivor)
    duplicate.merged_into = survivor
    duplicate.merged_at = now
    duplicate.merged_by = by
    duplicate.save(update_fields=["merged_into", "merged_at", "merged_by"])
    return survivor


@transaction.atomic(durable=True)
def claim(*, request_id: int, by, now=None) -> ServiceRequest:
    now = now or timezone.now()
    req = _locked(request_id)
    _require_member(req, by, _("claim"))
    _require_open(req)
    if req.assignee_id == by.pk:
        raise AlreadyClaimed(_("you"))
    if req.assignee_id:
        raise AlreadyClaimed(req.assignee)
    req.assignee = by
    if req.status == Status.NEW:
        req.status = Status.OPEN
    req.save(update_fields=["assignee", "status", "updated_at"])
    TimelineEvent.record(req, Event.CLAIMED, actor=by, at=now)
    return req


@transaction.atomic(durable=True)
def unclaim(*, request_id: int, by, now=None) -> ServiceRequest:
    """Give a request back to the team: its assignee, or a lead of the team, can."""
    now = now or timezone.now()
    req = _locked(request_id)
    _require_open(req)
    if req.assignee_id is None:
        raise InvalidState(_("Request %(reference)s is not claimed.") % {"reference": req.reference})
    if req.assignee_id != by.pk and not req.team.is_lead(by):
        raise NotAllowed(_("Only the assignee or a lead of %(team)s can release this request.") % {"team": req.team})
    previous = req.assignee
    req.assignee = None
    req.save(update_fields=["assignee", "updated_at"])
    TimelineEvent.record(req, Event.UNCLAIMED, actor=by, at=now, previous=previous.username)
    return req


@transaction.atomic(durable=True)
def assign(*, request_id: int, by, to_user_id: int, now=None) -> ServiceRequest:
    """A lead gives a request to a member of the team."""
    from teams.models import User

    now = now or timezone.now()
    req = _locked(request_id)
    if not req.team.is_lead(by):
        raise NotAllowed(_("Only a lead of %(team)s can assign its requests.") % {"team": req.team})
    _require_open(req)
    person = User.objects.filter(pk=to_user_id).first()
    if person is None or not req.team.has_member(person):
        raise InvalidState(_("Requests of %(team)s can be assigned only to its members.") % {"team": req.team})
    if req.assignee_id == person.pk:
        raise InvalidState(_("%(person)s already has this request.") % {"person": person})
    req.assignee = person
    if req.status == Status.NEW:
        req.status = Status.OPEN
    req.save(update_fields=["assignee", "status", "updated_at"])
    TimelineEvent.record(req, Event.ASSIGNED, actor=by, at=now, text=str(person), assignee=person.username)
    return req


@transaction.atomic(durable=True)
def hand_off(*, request_id: int, by, to_service_id: int, note: str, now=None) -> Handoff:
    """'Not ours' is never the answer: pass the request to the service (and team) that owns the need, saying why.

    The customer's clocks keep running: the receiving team inherits the time already spent.
    """
    from .models import Notification

    now = now or timezone.now()
    req = _locked(request_id)
    _require_member(req, by, _("hand off"))
    _require_open(req)
    note = _require_text(note, _("The reason for the hand-off"))
    target = Service.objects.select_related("owning_team").filter(pk=to_service_id).first()
    if target is None:
        raise InvalidState(_("Choose a service from the catalogue."))
    if not target.is_offered:
        raise InvalidState(_("%(service)s is retired and takes no new requests.") % {"service": target})
    if target.owning_team is None:
        raise InvalidState(_("%(service)s has no owning team yet; choose another service.") % {"service": target})
    if target.pk == req.service_id:
        raise InvalidState(_("The request is already with %(service)s.") % {"service": target})
    handoff = Handoff.objects.create(
        request=req, from_service_id=req.service_id, to_service=target, from_team=req.team,
        to_team=target.owning_team, by=by, note=note, intake_site_id=req.intake_site_id, created_at=now,
    )
    from_team = req.team
    req.service, req.team, req.assignee = target, target.owning_team, None
    req.status = Status.NEW if req.status == Status.OPEN else req.status
    req.handoff_count += 1
    req.save(update_fields=["service", "team", "assignee", "status", "handoff_count", "updated_at"])
    TimelineEvent.record(
        req, Event.HANDED_OFF, actor=by, at=now, text=note, from_team=from_team.slug, to_team=target.owning_team.slug,
        from_service=handoff.from_service.code if handoff.from_service_id else "", to_service=target.code,
    )
    if req.intake_owner_id != by.pk:
        Notification.objects.create(
            recipient_id=req.intake_owner_id, request=req, created_at=now,
            title=_("%(reference)s moved to %(team)s") % {"reference": req.reference, "team": target.owning_team},
            text=note,
        )
    return handoff


@transaction.atomic(durable=True)
def reply(*, request_id: int, by, body: str, now=None) -> Message:
    """Answer the customer; the e-mail leaves after commit."""
    now = now or timezone.now()
    req = _locked(request_id)
    _require_member(req, by, _("reply to"))
    _require_open(req)
    body = _require_text(body, _("Reply"))
    message = Message.objects.create(
        request=req, direction=Message.Direction.OUTGOING, author=by, body=body,
        to_email=req.customer.email, created_at=now,
        # If the task below is lost, the sweep sends the reply once this has passed.
        next_attempt_at=now + dt.timedelta(seconds=settings.MAIL_RETRY_FIRST_SECONDS) if req.customer.email else None,
    )
    fields = ["updated_at"]
    if req.first_reply_at is None:
        req.first_reply_at = now
        fields.append("first_reply_at")
    req.save(update_fields=fields)
    TimelineEvent.record(req, Event.REPLIED, actor=by, at=now, text=body, message=message.pk)
    clocks.meet_clocks(req, [ClockKind.FIRST_REPLY, ClockKind.NEXT_REPLY], now=now, actor=by)
    clocks.refresh_summary(req)
    if message.to_email:
        from .tasks import deliver_message

        # robust: the reply is saved; a broker hiccup must not turn it into an error page.
        transaction.on_commit(lambda: deliver_message.delay(message.pk), robust=True)
    return message


@transaction.atomic(durable=True)
def add_note(*, request_id: int, by, text: str, now=None) -> TimelineEvent:
    """An internal note: for the team and the intake owner, never sent to the customer."""
    now = now or timezone.now()
    req = _locked(request_id)
    if not (req.team.has_member(by) or req.intake_owner_id == by.pk):
        raise NotAllowed(_("Only the team and the intake owner can add notes."))
    text = _require_text(text, _("Note"))
    req.save(update_fields=["updated_at"])
    return TimelineEvent.record(req, Event.NOTED, actor=by, at=now, text=text)


@transaction.atomic(durable=True)
def resolve(*, request_id: int, by, resolution: str, now=None) -> ServiceRequest:
    now = now or timezone.now()
    req = _locked(request_id)
    _require_member(req, by, _("resolve"))
    _require_open(req)
    req.resolution = _require_text(resolution, _("Resolution"))
    req.status = Status.RESOLVED
    req.resolved_at = now
    if req.assignee_id is None:
        req.assignee = by
    req.save(update_fields=["resolution", "status", "resolved_at", "assignee", "updated_at"])
    TimelineEvent.record(req, Event.RESOLVED, actor=by, at=now, text=req.resolution)
    # A resolution answers the customer: every clock still counting is met here.
    clocks.meet_clocks(req, ClockKind.values, now=now, actor=by)
    clocks.refresh_summary(req)
    return req


@transaction.atomic(durable=True)
def reopen(*, request_id: int, by, reason: str, now=None) -> ServiceRequest:
    """The team, or the intake owner following through for the customer, can reopen."""
    now = now or timezone.now()
    req = _locked(request_id)
    if not (req.team.has_member(by) or req.intake_owner_id == by.pk):
        raise NotAllowed(_("Only the team and the intake owner can reopen this request."))
    if req.status != Status.RESOLVED:
        raise InvalidState(_("Request %(reference)s is not resolved.") % {"reference": req.reference})
    reason = _require_text(reason, _("Reason"))
    req.status = Status.OPEN if req.assignee_id else Status.NEW
    req.resolved_at = None
    req.save(update_fields=["status", "resolved_at", "updated_at"])
    TimelineEvent.record(req, Event.REOPENED, actor=by, at=now, text=reason)
    # The resolution promise starts again from the reopening.
    clocks.start_clock(req, ClockKind.RESOLUTION, now=now)
    clocks.refresh_summary(req)
    return req


@transaction.atomic(durable=True)
def record_customer_message(*, request_id: int, body: str, by=None, now=None) -> Message:
    """The customer wrote (by e-mail, web form, or told a staff member `by`): the reply clock starts.
    A request waiting for the customer goes back to the team, its paused clocks counting again."""
    now = now or timezone.now()
    req = _locked(request_id)
    _require_open(req)
    body = _require_text(body, _("Message"))
    message = Message.objects.create(
        request=req, direction=Message.Direction.INCOMING, author=by, body=body, created_at=now,
    )
    fields = ["updated_at"]
    resumed = req.status == Status.WAITING
    if resumed:
        req.status = Status.OPEN
        fields.append("status")
    req.save(update_fields=fields)
    TimelineEvent.record(req, Event.CUSTOMER_MESSAGE, actor=by, at=now, text=body, message=message.pk, resumed=resumed)
    if resumed:
        clocks.resume_clocks(req, now=now)
    # The oldest unanswered message sets the pace: no new clock while a reply clock is still live.
    if not clocks.live_clocks(req, [ClockKind.FIRST_REPLY, ClockKind.NEXT_REPLY]):
        clocks.start_clock(req, ClockKind.NEXT_REPLY, now=now)
    clocks.refresh_summary(req)
    return message


@transaction.atomic(durable=True)
def wait_for_customer(*, request_id: int, by, note: str = "", now=None) -> ServiceRequest:
    """The ball is with the customer: clocks whose commitment says so stop counting."""
    now = now or timezone.now()
    req = _locked(request_id)
    _require_member(req, by, _("pause"))
    _require_open(req)
    if req.status == Status.WAITING:
        raise InvalidState(_("Request %(reference)s is already waiting for the customer.") % {"reference": req.reference})
    note = (note or "").strip()
    if len(note) > MAX_TEXT:
        raise InvalidState(_("Note is too long (at most %(limit)d characters).") % {"limit": MAX_TEXT})
    req.status = Status.WAITING
    req.save(update_fields=["status", "updated_at"])
    TimelineEvent.record(req, Event.WAITING, actor=by, at=now, text=note)
    clocks.pause_clocks(req, now=now)
    clocks.refresh_summary(req)
    return req


@transaction.atomic(durable=True)
def resume(*, request_id: int, by, now=None) -> ServiceRequest:
    """Back to work without waiting for the customer: paused clocks count on from what was left."""
    now = now or timezone.now()
    req = _locked(request_id)
    _require_member(req, by, _("resume"))
    if req.status != Status.WAITING:
        raise InvalidState(_("Request %(reference)s is not waiting for the customer.") % {"reference": req.reference})
    req.status = Status.OPEN
    req.save(update_fields=["status", "updated_at"])
    TimelineEvent.record(req, Event.RESUMED, actor=by, at=now)
    clocks.resume_clocks(req, now=now)
    clocks.refresh_summary(req)
    return req


@transaction.atomic(durable=True)
def record_callback(*, request_id: int, by, note: str = "", now=None) -> ServiceRequest:
    """The customer was called back: the callback clock (and a first reply still due) is met."""
    now = now or timezone.now()
    req = _locked(request_id)
    _require_member(req, by, _("call back for"))
    _require_open(req)
    note = (note or "").strip()[:MAX_TEXT]
    if req.channel == Channel.CALLBACK and not CallbackRequest.objects.filter(request=req, called_at__isnull=True).exists():
        raise InvalidState(_("The customer has already been called back."))
    CallbackRequest.objects.filter(request=req, called_at__isnull=True).update(called_at=now)
    if req.first_reply_at is None:
        req.first_reply_at = now
    req.save(update_fields=["first_reply_at", "updated_at"])
    TimelineEvent.record(req, Event.CALLED_BACK, actor=by, at=now, text=note)
    clocks.meet_clocks(req, [ClockKind.CALLBACK, ClockKind.FIRST_REPLY, ClockKind.NEXT_REPLY], now=now, actor=by)
    clocks.refresh_summary(req)
    return req


# --- Commitments, breach reviews and notifications ---------------------------------------------------------


def _require_lead(team, user) -> None:
    if not team.is_lead(user):
        raise NotAllowed(_("Only a lead of %(team)s can change its commitments.") % {"team": team})


@transaction.atomic(durable=True)
def save_commitment(
    *,
    by,
    team_id: int,
    kind: str,
    target_minutes: int,
    hours: str,
    commitment_id: int | None = None,
    service_id: int | None = None,
    warn_percent: int | None = None,
    warn_minutes_before: int | None = None,
    notify_on_warning=(),
    notify_on_breach=(),
    pauses_when_waiting: bool = True,
    escalate_after_minutes: int | None = None,
):
    """A team lead sets the team's default commitment on a clock, or a service's own. Requests logged from
    now on use it; clocks already running keep the terms they started with."""
    from django.core.exceptions import ValidationError

    from catalogue.models import Service
    from teams.models import Team

    from .models import ClockKind, Commitment, validate_roles

    team = Team.objects.select_for_update(no_key=True).filter(pk=team_id).first()
    if team is None:
        raise InvalidState(_("No such team."))
    _require_lead(team, by)
    if commitment_id is not None:
        commitment = Commitment.objects.select_for_update(no_key=True, of=("self",)).filter(
            pk=commitment_id).order_by("pk").first()
        if commitment is None or (commitment.team_id or commitment.service.owning_team_id) != team.pk:
            raise InvalidState(_("No such commitment for %(team)s.") % {"team": team})
    else:
        commitment = Commitment()
    service = None
    if service_id is not None:
        service = Service.objects.filter(pk=service_id, owning_team=team).first()
        if service is None:
            raise InvalidState(_("%(team)s can set commitments only for services it owns.") % {"team": team})
    if kind not in ClockKind.values:
        raise InvalidState(_("Unknown clock: %(kind)s.") % {"kind": kind})
    if hours not in Commitment.Hours.values:
        raise InvalidState(_("Count the time in calendar hours or in working hours."))
    if not target_minutes or target_minutes < 1:
        raise InvalidState(_("The target must be at least one minute."))
    if warn_percent is not None and warn_minutes_before is not None:
        raise InvalidState(_("Warn either at a share of the time or some time before the deadline, not both."))
    if warn_percent is not None and not 1 <= warn_percent <= 99:
        raise InvalidState(_("The warning share must be between 1 and 99 %."))
    if warn_minutes_before is not None and not 0 < warn_minutes_before < target_minutes:
        raise InvalidState(_("The warning must come after the clock starts and before the deadline."))
    if escalate_after_minutes is not None and escalate_after_minutes < 1:
        raise InvalidState(_("Escalation must wait at least one minute after the breach."))
    for roles in (notify_on_warning, notify_on_breach):
        try:
            validate_roles(list(roles))
        except ValidationError as error:
            raise InvalidState(" ".join(error.messages)) from None
    clash = Commitment.objects.filter(kind=kind, **({"service": service} if service else {"team": team}))
    if clash.exclude(pk=commitment.pk).exists():
        raise InvalidState(_("There is already a commitment on this clock for %(whom)s; change that one instead.")
                           % {"whom": service or team})
    commitment.team, commitment.service = (None, service) if service else (team, None)
    commitment.kind, commitment.target_minutes, commitment.hours = kind, target_minutes, hours
    commitment.warn_percent, commitment.warn_minutes_before = warn_percent, warn_minutes_before
    commitment.notify_on_warning, commitment.notify_on_breach = list(notify_on_warning), list(notify_on_breach)
    commitment.pauses_when_waiting = pauses_when_waiting
    commitment.escalate_after_minutes = escalate_after_minutes
    commitment.save()
    return commitment


@transaction.atomic(durable=True)
def delete_commitment(*, by, commitment_id: int) -> None:
    from .models import Commitment

    commitment = Commitment.objects.select_for_update(of=("self",)).select_related(
        "team", "service__owning_team").filter(pk=commitment_id).order_by("pk").first()
    if commitment is None:
        raise InvalidState(_("No such commitment."))
    _require_lead(commitment.team or commitment.service.owning_team, by)
    commitment.delete()


@transaction.atomic(durable=True)
def write_breach_review(*, by, request_id: int, what_happened: str, what_we_change: str, now=None):
    """The team that missed the commitment says what happened and what it changes (written once, kept
    current by later edits)."""
    from .models import BreachReview, OutcomeKind, TimerOutcome

    now = now or timezone.now()
    req = _locked(request_id)
    breach = TimerOutcome.objects.filter(request=req, kind=OutcomeKind.BREACH).select_related("team").first()
    if breach is None:
        raise InvalidState(_("Request %(reference)s has no breached commitment to review.") % {"reference": req.reference})
    if not (breach.team.has_member(by) or req.team.has_member(by)):
        raise NotAllowed(_("Only members of %(team)s can review this breach.") % {"team": breach.team})
    what_happened = _require_text(what_happened, _("What happened"), 2000)
    what_we_change = _require_text(what_we_change, _("What we change"), 2000)
    review, created = BreachReview.objects.select_for_update().get_or_create(
        request=req,
        defaults=dict(team=breach.team, what_happened=what_happened, what_we_change=what_we_change,
                      written_by=by, written_at=now, updated_at=now),
    )
    if not created:
        review.what_happened, review.what_we_change, review.updated_at = what_happened, what_we_change, now
        review.save(update_fields=["what_happened", "what_we_change", "updated_at"])
    return review


@transaction.atomic(durable=True)
def mark_notifications_read(*, by, notification_ids=None, now=None) -> int:
    """Mark one's own notifications read (all unread ones when no ids are given)."""
    from .models import Notification

    now = now or timezone.now()
    qs = Notification.objects.filter(recipient=by, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=now)

"""Working a request: every change to it goes through one of these functions, one transaction and one
timeline event each. Intake is `intake.services.log_request`."""

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from catalogue.models import Channel, Service
from servicedesk.errors import MAX_TEXT, AlreadyClaimed, InvalidState, NotAllowed, require_text
from teams.models import User

from ..attachments.services import described as described_files
from ..attachments.services import keep as keep_files
from ..commitments import clocks
from ..mail import letters
from ..mail import services as mail
from ..models import (
    CallbackRequest,
    ClockKind,
    Contact,
    Event,
    Handoff,
    Message,
    Notification,
    ServiceRequest,
    Status,
    TimelineEvent,
)


def _require_member(req: ServiceRequest, user, action: str) -> None:
    if not req.team.has_member(user):
        raise NotAllowed(_("Only members of %(team)s can %(action)s this request.") % {"team": req.team,
                                                                                       "action": action})


def _require_open(req: ServiceRequest) -> None:
    if req.status == Status.RESOLVED:
        raise InvalidState(_("Request %(reference)s is already resolved.") % {"reference": req.reference})


@transaction.atomic(durable=True)
def claim(*, request_id: int, by, now=None) -> ServiceRequest:
    now = now or timezone.now()
    req = ServiceRequest.objects.locked(request_id)
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
    req = ServiceRequest.objects.locked(request_id)
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
    now = now or timezone.now()
    req = ServiceRequest.objects.locked(request_id)
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
    now = now or timezone.now()
    req = ServiceRequest.objects.locked(request_id)
    _require_member(req, by, _("hand off"))
    _require_open(req)
    note = require_text(note, _("The reason for the hand-off"))
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
    if req.intake_owner_id not in (None, by.pk):
        Notification.objects.create(
            recipient_id=req.intake_owner_id, request=req, created_at=now,
            **Notification.worded(lambda: _("%(reference)s moved to %(team)s")
                                  % {"reference": req.reference, "team": target.owning_team}, lambda: note),
        )
    return handoff


@transaction.atomic(durable=True)
def reply(*, request_id: int, by, body: str, files=(), now=None) -> Message:
    """Answer the customer by mail, with any files attached; it leaves after commit. Refused when the
    customer has no address: nothing may say "sent" when nothing was."""
    now = now or timezone.now()
    req = ServiceRequest.objects.locked(request_id)
    _require_member(req, by, _("reply to"))
    _require_open(req)
    body = require_text(body, _("Reply"))
    if not req.reply_to:
        if req.customer.email:
            raise InvalidState(_("The customer record has a new e-mail address: confirm it on the request page "
                                 "before replies go there."))
        raise InvalidState(_("%(customer)s has no e-mail address, so nothing can be mailed. Record an answer "
                             "given by phone or in person instead.") % {"customer": req.customer})
    message = mail.queue_to_customer(req, purpose=Message.Purpose.REPLY, body=body, now=now, author=by)
    kept = keep_files(req, files, message=message, by=by, now=now)
    _answered(req, now=now, by=by)
    TimelineEvent.record(req, Event.REPLIED, actor=by, at=now, text=body, message=message.pk,
                         **({"files": described_files(kept)} if kept else {}))
    clocks.meet_clocks(req, [ClockKind.FIRST_REPLY, ClockKind.NEXT_REPLY], now=now, actor=by)
    clocks.refresh_summary(req)
    return message


ANSWER_CHANNELS = (Contact.PHONE, Contact.VISIT)


@transaction.atomic(durable=True)
def record_answer(*, request_id: int, by, channel: str, body: str, now=None) -> Message:
    """The customer was answered without mail, by phone or in person: recorded as such, never as sent."""
    now = now or timezone.now()
    req = ServiceRequest.objects.locked(request_id)
    _require_member(req, by, _("answer"))
    _require_open(req)
    if channel not in ANSWER_CHANNELS:
        raise InvalidState(_("Say how the customer was answered: by phone or in person."))
    body = require_text(body, _("What the customer was told"))
    message = Message.objects.create(
        request=req, direction=Message.Direction.OUTGOING, channel=channel, author=by, body=body, created_at=now,
    )
    _answered(req, now=now, by=by)
    TimelineEvent.record(req, Event.ANSWERED, actor=by, at=now, text=body, message=message.pk, channel=channel)
    clocks.meet_clocks(req, [ClockKind.FIRST_REPLY, ClockKind.NEXT_REPLY], now=now, actor=by)
    clocks.refresh_summary(req)
    return message


def _answered(req: ServiceRequest, *, now, by) -> None:
    """The customer has their answer: the first reply is recorded and "customer replied" is cleared."""
    fields = ["updated_at", "customer_replied_at"]
    if req.first_reply_at is None:
        req.first_reply_at = now
        fields.append("first_reply_at")
    req.customer_replied_at = None
    req.save(update_fields=fields)


@transaction.atomic(durable=True)
def add_note(*, request_id: int, by, text: str, now=None) -> TimelineEvent:
    """An internal note: for the team and the intake owner, never sent to the customer."""
    now = now or timezone.now()
    req = ServiceRequest.objects.locked(request_id)
    if not (req.team.has_member(by) or req.intake_owner_id == by.pk):
        raise NotAllowed(_("Only the team and the intake owner can add notes."))
    text = require_text(text, _("Note"))
    req.save(update_fields=["updated_at"])
    return TimelineEvent.record(req, Event.NOTED, actor=by, at=now, text=text)


@transaction.atomic(durable=True)
def resolve(*, request_id: int, by, resolution: str, now=None) -> ServiceRequest:
    now = now or timezone.now()
    req = ServiceRequest.objects.locked(request_id)
    _require_member(req, by, _("resolve"))
    _require_open(req)
    req.resolution = require_text(resolution, _("Resolution"))
    req.status = Status.RESOLVED
    req.resolved_at = now
    if req.assignee_id is None:
        req.assignee = by
    req.save(update_fields=["resolution", "status", "resolved_at", "assignee", "updated_at"])
    TimelineEvent.record(req, Event.RESOLVED, actor=by, at=now, text=req.resolution)
    if req.reply_to and req.service.resolution_notice_by_mail:
        mail.queue_to_customer(req, purpose=Message.Purpose.RESOLUTION, body=letters.resolution_notice(req), now=now)
    # A resolution answers the customer: every clock still counting is met here.
    clocks.meet_clocks(req, ClockKind.values, now=now, actor=by)
    clocks.refresh_summary(req)
    return req


@transaction.atomic(durable=True)
def reopen(*, request_id: int, by, reason: str, now=None) -> ServiceRequest:
    """The team, or the intake owner following through for the customer, can reopen."""
    now = now or timezone.now()
    req = ServiceRequest.objects.locked(request_id)
    if not (req.team.has_member(by) or req.intake_owner_id == by.pk):
        raise NotAllowed(_("Only the team and the intake owner can reopen this request."))
    if req.status != Status.RESOLVED:
        raise InvalidState(_("Request %(reference)s is not resolved.") % {"reference": req.reference})
    reason = require_text(reason, _("Reason"))
    req.status = Status.OPEN if req.assignee_id else Status.NEW
    req.resolved_at = None
    req.save(update_fields=["status", "resolved_at", "updated_at"])
    TimelineEvent.record(req, Event.REOPENED, actor=by, at=now, text=reason)
    # The resolution promise starts again from the reopening.
    clocks.start_clock(req, ClockKind.RESOLUTION, now=now)
    clocks.refresh_summary(req)
    return req


CONTACT_CHANNELS = (Contact.PHONE, Contact.VISIT, Contact.LETTER)


@transaction.atomic(savepoint=False)
def add_customer_message(req: ServiceRequest, *, body: str, channel: str, by=None, now, full_text: str = "",
                         html: str = "", attachments=(), mail_id: str | None = None, files=()) -> Message:
    """The customer wrote (by mail or the web form), or told a member of staff `by` (helper: on a locked
    request, inside the caller's transaction; `intake.services.record_customer_message` is the operation).
    The reply clock starts; a request waiting for the customer goes back to the team, its paused clocks
    counting again; a resolved one is reopened (the caller has checked the team's reopen window)."""
    if channel not in Contact.values:
        raise InvalidState(_("Unknown channel: %(channel)s.") % {"channel": channel})
    if by is not None and channel not in CONTACT_CHANNELS:
        raise InvalidState(_("Say how the customer got in touch: by phone, in person or by letter."))
    if by is not None and not (req.team.has_member(by) or req.intake_owner_id == by.pk):
        raise NotAllowed(_("Only the team and the intake owner can record the customer's messages."))
    body = require_text(body, _("Message"))
    if req.status == Status.RESOLVED:
        req.status = Status.OPEN if req.assignee_id else Status.NEW
        req.resolved_at = None
        TimelineEvent.record(req, Event.REOPENED, actor=by, at=now, text=lambda: _("The customer wrote after the resolution."))
        clocks.start_clock(req, ClockKind.RESOLUTION, now=now)
    message = Message.objects.create(
        request=req, direction=Message.Direction.INCOMING, channel=channel, author=by, body=body,
        full_text=full_text, html=html, attachments=list(attachments), mail_id=mail_id, created_at=now,
    )
    kept = keep_files(req, files, message=message, by=by, from_customer=True, now=now)
    resumed = req.status == Status.WAITING
    if resumed:
        req.status = Status.OPEN
    req.customer_replied_at = now
    req.save(update_fields=["status", "resolved_at", "customer_replied_at", "updated_at"])
    TimelineEvent.record(req, Event.CUSTOMER_MESSAGE, actor=by, at=now, text=body, message=message.pk,
                         resumed=resumed, channel=channel, **({"files": described_files(kept)} if kept else {}))
    if resumed:
        clocks.resume_clocks(req, now=now)
    # The oldest unanswered message sets the pace: no new clock while a reply clock is still live.
    if not clocks.live_clocks(req, [ClockKind.FIRST_REPLY, ClockKind.NEXT_REPLY]):
        clocks.start_clock(req, ClockKind.NEXT_REPLY, now=now)
    clocks.refresh_summary(req)
    return message


@transaction.atomic(durable=True)
def attach_files(*, request_id: int, by, files, note: str = "", now=None):
    """Files on the request itself (a scanned letter, a form filled in at the counter), by the team or the
    intake owner; the customer sees only what comes with a reply or from themselves."""
    now = now or timezone.now()
    req = ServiceRequest.objects.locked(request_id)
    if not (req.team.has_member(by) or req.intake_owner_id == by.pk):
        raise NotAllowed(_("Only the team and the intake owner can add files to this request."))
    if not files:
        raise InvalidState(_("Choose at least one file."))
    kept = keep_files(req, files, by=by, now=now)
    req.save(update_fields=["updated_at"])
    TimelineEvent.record(req, Event.FILES_ADDED, actor=by, at=now, text=note.strip(), files=described_files(kept))
    return kept


@transaction.atomic(durable=True)
def revoke_status_links(*, request_id: int, by, now=None) -> int:
    """The team closes every status link of the request (one that reached the wrong hands); the customer can
    ask for a new one, which goes only to their address."""
    now = now or timezone.now()
    req = ServiceRequest.objects.locked(request_id)
    _require_member(req, by, _("revoke the status links of"))
    revoked = req.status_links.filter(revoked_at__isnull=True).update(revoked_at=now)
    if not revoked:
        raise InvalidState(_("This request has no open status link."))
    TimelineEvent.record(req, Event.STATUS_LINKS_REVOKED, actor=by, at=now, count=revoked)
    return revoked


@transaction.atomic(durable=True)
def wait_for_customer(*, request_id: int, by, note: str = "", now=None) -> ServiceRequest:
    """The ball is with the customer: clocks whose commitment says so stop counting."""
    now = now or timezone.now()
    req = ServiceRequest.objects.locked(request_id)
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
    req = ServiceRequest.objects.locked(request_id)
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
def record_callback(*, request_id: int, by, note: str = "", before_window_confirmed: bool = False,
                    now=None) -> ServiceRequest:
    """The customer was called back: the callback clock (and a first reply still due) is met. Before the
    window the customer asked for, only once the caller confirms it (a slip on the wrong request would
    otherwise stop its clocks)."""
    now = now or timezone.now()
    req = ServiceRequest.objects.locked(request_id)
    _require_member(req, by, _("call back for"))
    _require_open(req)
    waiting = CallbackRequest.objects.filter(request=req, called_at__isnull=True).first()
    if req.channel == Channel.CALLBACK and waiting is None:
        raise InvalidState(_("The customer has already been called back."))
    if waiting is not None and now < waiting.window_start and not before_window_confirmed:
        start = date_format(timezone.localtime(waiting.window_start), "SHORT_DATETIME_FORMAT")
        raise InvalidState(_("The customer asked to be called from %(start)s: confirm that you called them "
                             "before that.") % {"start": start})
    CallbackRequest.objects.filter(request=req, called_at__isnull=True).update(called_at=now)
    req.first_reply_at = req.first_reply_at or now
    req.save(update_fields=["first_reply_at", "updated_at"])
    TimelineEvent.record(req, Event.CALLED_BACK, actor=by, at=now, text=(note or "").strip()[:MAX_TEXT])
    clocks.meet_clocks(req, [ClockKind.CALLBACK, ClockKind.FIRST_REPLY, ClockKind.NEXT_REPLY], now=now, actor=by)
    clocks.refresh_summary(req)
    return req


@transaction.atomic(durable=True)
def confirm_reply_address(*, request_id: int, by, now=None) -> ServiceRequest:
    """The team confirms that mail goes to the address the customer record has now (after a merge)."""
    now = now or timezone.now()
    req = ServiceRequest.objects.locked(request_id)
    _require_member(req, by, _("change the reply address of"))
    new, old = req.customer.email, req.reply_to
    if new == old:
        raise InvalidState(_("Replies already go to the customer record's address."))
    TimelineEvent.record(req, Event.REPLY_ADDRESS_CHANGED, actor=by, at=now,
                         text=lambda: _("Replies now go to %(new)s (were %(old)s).") % {"new": new or "–", "old": old or "–"})
    req.reply_to, req.updated_at = new, now
    req.save(update_fields=["reply_to", "updated_at"])
    return req

"""Mail coming in: every message taken once, joined to its request, opened as a new one, or set aside for
a person; never answered when a machine wrote it. `take_mail` is the one way in, for IMAP, a mail
server's pipe and a Maildir alike."""

import hashlib
import logging
import re
from email.utils import parseaddr

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import Channel
from servicedesk.errors import MAX_TEXT, DomainError, InvalidState, NotAllowed
from teams.models import Team

from ..intake import services as intake
from ..models import Contact, Customer, InboundMail, Mailbox, Message, ServiceRequest
from .reading import ReadMail, Unreadable, read

log = logging.getLogger(__name__)
Outcome = InboundMail.Outcome
HEADERS_KEPT = 65_536  # of a message too large to keep: enough to see who sent what


def take_mail(raw: bytes, *, mailbox_id: int | None = None, uid: int | None = None, size: int | None = None,
              now=None) -> InboundMail:
    """Take one message in. Whatever it holds, it is recorded once and the mailbox moves past it (`uid`):
    a message that cannot be read, or that the desk refuses, is set aside with the reason, never retried
    for ever. Only the database failing stops it (and then nothing of it was written)."""
    try:
        return _take(raw, mailbox_id=mailbox_id, uid=uid, size=size, now=now)
    except IntegrityError:
        # The same message stored by another reader a moment ago (it was sent to two of our addresses).
        return _take(raw, mailbox_id=mailbox_id, uid=uid, size=size, now=now)


@transaction.atomic(durable=True)
def _take(raw: bytes, *, mailbox_id, uid, size, now) -> InboundMail:
    """`size`: of a message too large to fetch whole, whose headers alone are `raw`."""
    now = now or timezone.now()
    mailbox = Mailbox.objects.filter(pk=mailbox_id).first() if mailbox_id else None
    if uid is not None and mailbox is not None:
        Mailbox.objects.filter(pk=mailbox.pk).update(last_uid=Greatest("last_uid", uid))
    size = max(size or 0, len(raw))
    mail = InboundMail(mailbox=mailbox, received_at=now, size=size, raw=raw)
    if size > settings.MAIL_MAX_BYTES:
        mail.raw = raw[:HEADERS_KEPT]
        return _set_aside(mail, raw, f"Too large: {size:,} bytes (the limit is {settings.MAIL_MAX_BYTES:,}).")
    try:
        letter = read(raw)
    except Unreadable as error:
        return _set_aside(mail, raw, str(error))
    existing = InboundMail.objects.filter(mail_id=letter.mail_id).first()
    if existing is not None:
        return existing
    mail.mail_id, mail.from_address, mail.from_name, mail.subject = (
        letter.mail_id, letter.from_address, letter.from_name, letter.subject)
    try:
        with transaction.atomic():
            _route(mail, letter, mailbox, now)
    except DatabaseError:
        raise
    except Exception as error:  # noqa: BLE001 - one bad message must never stop its mailbox
        if not isinstance(error, DomainError):
            log.exception("Mail %s set aside", letter.mail_id)
        mail.request = mail.message = None
        mail.outcome, mail.reason = Outcome.SET_ASIDE, str(error)[:300] or error.__class__.__name__
    mail.save(force_insert=True)
    return mail


def _set_aside(mail: InboundMail, raw: bytes, reason: str) -> InboundMail:
    mail.mail_id = f"<sha256-{hashlib.sha256(raw).hexdigest()}@set-aside>"
    existing = InboundMail.objects.filter(mail_id=mail.mail_id).first()
    if existing is not None:
        return existing
    mail.outcome, mail.reason = Outcome.SET_ASIDE, reason[:300]
    mail.save(force_insert=True)
    return mail


def _route(mail: InboundMail, letter: ReadMail, mailbox: Mailbox | None, now) -> None:
    request, trusted = _thread(letter)
    mail.request = request
    if _is_own(letter.from_address):
        mail.outcome, mail.reason = Outcome.OWN, _("Sent from one of the desk's own addresses.")
    elif letter.bounce:
        mail.outcome, mail.reason = Outcome.BOUNCE, _("A delivery failure report.")
    elif letter.automatic:
        mail.outcome, mail.reason = Outcome.AUTOMATIC, letter.automatic
    elif request is not None and not trusted:
        mail.outcome = Outcome.FLAGGED
        mail.reason = _("Names %(reference)s but does not come from its customer.") % {"reference": request.reference}
    elif request is not None:
        mail.outcome = Outcome.JOINED
        req = ServiceRequest.objects.locked(request.pk)
        mail.message = intake.take_customer_message(req, channel=Contact.EMAIL, by=None, now=now, **_said(letter))
        mail.request = mail.message.request  # a follow-up, when the old request was resolved long ago
    elif mailbox is not None and mailbox.service_id is not None:
        mail.outcome = Outcome.NEW_REQUEST
        mail.request, mail.message = _open(letter, service_id=mailbox.service_id, by=None, now=now)
    else:
        mail.outcome = Outcome.TO_SORT


def _said(letter: ReadMail) -> dict:
    """What a customer message keeps of a mail."""
    attachments = letter.attachments + (
        [{"name": _("and %(count)d more") % {"count": letter.attachments_left_out}, "type": "", "size": 0}]
        if letter.attachments_left_out else [])
    body = letter.text or (_("(No text; see the attachments.)") if attachments else _("(No text.)"))
    return {"body": body[:MAX_TEXT], "full_text": letter.full_text[:MAX_TEXT * 10],
            "html": letter.html[:MAX_TEXT * 10], "attachments": attachments, "mail_id": letter.mail_id}


def _open(letter: ReadMail, *, service_id: int, by, now) -> tuple[ServiceRequest, Message]:
    """A new request from a mail, for the customer with that address (or a new customer)."""
    customer = (Customer.objects.filter(email__iexact=letter.from_address, merged_into__isnull=True)
                .order_by("pk").first())
    said = _said(letter)
    req = intake.open_request(
        by=by, service_id=service_id, channel=Channel.EMAIL, subject=letter.subject or _("(No subject)"),
        description=said["body"], now=now,
        customer_id=customer.pk if customer else None,
        new_customer=None if customer else {
            "name": letter.from_name or letter.from_address, "email": letter.from_address,
            "language": letter.language or settings.LANGUAGE_CODE[:2],
        },
    )
    message = Message.objects.create(request=req, direction=Message.Direction.INCOMING, channel=Contact.EMAIL,
                                     created_at=now, **said)
    return req, message


def reference_pattern() -> re.Pattern:
    return re.compile(rf"\b{re.escape(settings.DESK_REFERENCE_PREFIX)}-\d{{4}}-\d{{6}}\b", re.IGNORECASE)


def _thread(letter: ReadMail) -> tuple[ServiceRequest | None, bool]:
    """The request a mail belongs to, and whether it may join it: True when it answers a mail of the
    request, or names its reference and comes from its customer (the address, or an organisation
    customer's domain); False when it names a reference and comes from someone else."""
    if letter.names:
        known = (Message.objects.filter(mail_id__in=letter.names).select_related("request")
                 .order_by("-created_at").first())
        if known is not None:
            return known.request, True
    for reference in reference_pattern().findall(letter.subject):
        req = ServiceRequest.objects.select_related("customer").filter(reference=reference.upper()).first()
        if req is not None:
            return req, _from_customer(letter.from_address, req.customer)
    return None, False


def _from_customer(address: str, customer: Customer) -> bool:
    email = customer.email.lower()
    if not email:
        return False
    if address == email:
        return True
    domain = email.rpartition("@")[2]
    return customer.kind == Customer.Kind.ORGANISATION and address.rpartition("@")[2] == domain


def _is_own(address: str) -> bool:
    own = {parseaddr(settings.DEFAULT_FROM_EMAIL)[1].lower(), parseaddr(settings.SERVER_EMAIL)[1].lower()}
    if address in own:
        return True
    return (Mailbox.objects.filter(address__iexact=address).exists()
            or Team.objects.filter(email__iexact=address).exists())


@transaction.atomic(durable=True)
def sort_mail(*, mail_pk: int, by, service_id: int, now=None) -> ServiceRequest:
    """Someone on the desk picks the service for a mail to the general address, and becomes its intake
    owner: "I'll handle this and pass it on"."""
    now = now or timezone.now()
    mail = InboundMail.objects.select_for_update(of=("self",)).filter(pk=mail_pk).first()
    if mail is None or mail.outcome != Outcome.TO_SORT:
        raise InvalidState(_("That mail has already been sorted."))
    letter = read(bytes(mail.raw))
    mail.request, mail.message = _open(letter, service_id=service_id, by=by, now=now)
    mail.outcome, mail.handled_by, mail.handled_at = Outcome.SORTED, by, now
    mail.save(update_fields=["request", "message", "outcome", "handled_by", "handled_at"])
    return mail.request


@transaction.atomic(durable=True)
def accept_flagged(*, mail_pk: int, by, now=None) -> Message:
    """The team decides a mail naming its request, from someone other than the customer, is the customer's."""
    now = now or timezone.now()
    mail = _flagged(mail_pk, by)
    req = ServiceRequest.objects.locked(mail.request_id)
    mail.message = intake.take_customer_message(req, channel=Contact.EMAIL, by=None, now=now,
                                                **_said(read(bytes(mail.raw))))
    mail.request = mail.message.request
    mail.outcome, mail.handled_by, mail.handled_at = Outcome.ACCEPTED, by, now
    mail.save(update_fields=["request", "message", "outcome", "handled_by", "handled_at"])
    return mail.message


@transaction.atomic(durable=True)
def dismiss_flagged(*, mail_pk: int, by, now=None) -> InboundMail:
    now = now or timezone.now()
    mail = _flagged(mail_pk, by)
    mail.outcome, mail.handled_by, mail.handled_at = Outcome.DISMISSED, by, now
    mail.save(update_fields=["outcome", "handled_by", "handled_at"])
    return mail


def _flagged(mail_pk: int, by) -> InboundMail:
    mail = (InboundMail.objects.select_for_update(of=("self",)).select_related("request__team")
            .filter(pk=mail_pk).first())
    if mail is None or mail.outcome != Outcome.FLAGGED:
        raise InvalidState(_("That mail has already been dealt with."))
    if not mail.request.team.has_member(by):
        raise NotAllowed(_("Only members of %(team)s can decide about mail naming its requests.")
                         % {"team": mail.request.team})
    return mail

"""Mail coming in: every message kept once (`stage_mail`), then read (`route_mail`): joined to its request,
opened as a new one, waiting to be sorted, flagged, or set aside for a person; never answered when a
machine wrote it. IMAP, a mail server's pipe and a Maildir all come in this way (`take_mail` does both
steps at once)."""

import datetime as dt
import hashlib
import logging
from email.utils import parseaddr

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import Channel
from servicedesk.errors import MAX_TEXT, DomainError, InvalidState, NotAllowed
from teams.models import Team

from ..attachments.checks import Checked, Refused
from ..attachments.services import accept
from ..attachments.services import keep as keep_files
from ..intake import services as intake
from ..models import Contact, Customer, InboundMail, Mailbox, Message, ServiceRequest, reference_pattern
from .reading import ReadMail, Unreadable, mail_id_of, read

log = logging.getLogger(__name__)
Outcome = InboundMail.Outcome
HEADERS_KEPT = 65_536  # of a message too large to keep: enough to see who sent what


def take_mail(raw: bytes, *, mailbox_id: int | None = None, uid: int | None = None, size: int | None = None,
              now=None, mailbox: Mailbox | None = None) -> InboundMail:
    """Take one message in and read it now (a mail server's pipe, a Maildir): `stage_mail`, then `route_mail`."""
    mail = stage_mail(raw, mailbox=mailbox or mailbox_of(mailbox_id), uid=uid, size=size, now=now)
    if mail.outcome == Outcome.RECEIVED:
        return route_mail(mail.pk, now=now) or InboundMail.objects.get(pk=mail.pk)
    return mail


def mailbox_of(mailbox_id: int | None) -> Mailbox | None:
    return Mailbox.objects.filter(pk=mailbox_id).first() if mailbox_id else None


def stage_mail(raw: bytes, *, mailbox: Mailbox | None, uid: int | None = None, size: int | None = None,
               now=None) -> InboundMail:
    """Keep one message, once (see `stage_batch`)."""
    return stage_batch([(uid, raw, size)], mailbox=mailbox, now=now)[0]


def stage_batch(batch: list[tuple[int | None, bytes, int | None]], *, mailbox: Mailbox | None,
                now=None) -> list[InboundMail]:
    """Keep a batch of messages (uid, raw, size), each once, and move the mailbox past them, in one short
    transaction; reading them (`route_mail`) comes after, so a big backlog is read by every mail worker at
    once. Whatever a message holds, it is kept: one too large is set aside here with the reason, never
    fetched again. `size`: of a message too large to fetch whole, whose headers alone are `raw`. Returns
    each message's row (the one kept before, for a message seen again)."""
    try:
        return _stage(batch, mailbox=mailbox, now=now)
    except IntegrityError:
        # The same message kept by another reader a moment ago (it was sent to two of our addresses).
        return _stage(batch, mailbox=mailbox, now=now)


def _without_waiting_for_the_disk() -> None:
    """Commit without waiting for the write-ahead log to reach the disk (PostgreSQL): a crash may lose the
    last moment's keeping of IMAP mail, and nothing is lost by that, since the mail and the mailbox's place
    go together and the mail is fetched again. Not for a pipe or a Maildir (told "kept", they let go of the
    mail), nor for reading a mail (which sends acknowledgements)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


@transaction.atomic(durable=True)
def _stage(batch, *, mailbox: Mailbox | None, now) -> list[InboundMail]:
    now = now or timezone.now()
    uids = [uid for uid, _raw, _size in batch if uid is not None]
    if uids:
        _without_waiting_for_the_disk()
        if mailbox is not None:
            Mailbox.objects.filter(pk=mailbox.pk).update(last_uid=Greatest("last_uid", max(uids)))
    mails = []
    for _uid, raw, size in batch:
        size = max(size or 0, len(raw))
        mail = InboundMail(mailbox=mailbox, received_at=now, size=size, raw=raw, outcome=Outcome.RECEIVED)
        if size > settings.MAIL_MAX_BYTES:
            mail.raw = raw[:HEADERS_KEPT]
            mail.outcome = Outcome.SET_ASIDE
            mail.reason = f"Too large: {size:,} bytes (the limit is {settings.MAIL_MAX_BYTES:,})."
            mail.mail_id = f"<sha256-{_digest(raw)}@set-aside>"
        else:
            mail.mail_id = mail_id_of(raw)
        mails.append(mail)
    kept = InboundMail.objects.in_bulk([mail.mail_id for mail in mails], field_name="mail_id")
    new = []
    for mail in mails:
        if mail.mail_id not in kept:
            kept[mail.mail_id] = mail
            new.append(mail)
    InboundMail.objects.bulk_create(new)
    if connection.vendor != "postgresql":  # only PostgreSQL gives the new rows' keys back from one insert
        kept |= InboundMail.objects.in_bulk([mail.mail_id for mail in new], field_name="mail_id")
    return [kept[mail.mail_id] for mail in mails]


def _digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


@transaction.atomic(durable=True)
def route_mail(mail_pk: int, *, now=None) -> InboundMail | None:
    """Read a kept message and do what it asks: join its request, open one, wait to be sorted, be flagged,
    or be recorded unanswered; None when another worker has read it already. A message that cannot be read,
    or that the desk refuses, is set aside with the reason. Only the database failing stops it (and then
    nothing of it was written, and the next fetch reads it again)."""
    mail = (InboundMail.objects.select_for_update(of=("self",), skip_locked=True).select_related("mailbox")
            .filter(pk=mail_pk, outcome=Outcome.RECEIVED).first())
    if mail is None:
        return None
    _route_received(mail, now=now or timezone.now())
    return mail


def _route_received(mail: InboundMail, *, now, reading: frozenset = frozenset()) -> None:
    """`reading`: the mails whose reading led here (two forged mails naming each other end here)."""
    raw = bytes(mail.raw)
    try:
        letter = read(raw)
    except Unreadable as error:
        mail.outcome, mail.reason = Outcome.SET_ASIDE, str(error)[:300]
        mail.save(update_fields=["outcome", "reason"])
        return
    # A mail that answers one kept but not yet read (both in one backlog): the earlier one is read first,
    # so an answer finds the request its question opened.
    reading = reading | {mail.pk}
    for earlier in (InboundMail.objects.select_for_update(of=("self",)).select_related("mailbox")
                    .filter(mail_id__in=letter.names, outcome=Outcome.RECEIVED).exclude(pk__in=reading)
                    .order_by("pk")):
        _route_received(earlier, now=now, reading=reading)
    mail.from_address, mail.from_name, mail.subject = letter.from_address, letter.from_name, letter.subject
    try:
        with transaction.atomic():
            _route(mail, letter, mail.mailbox, now)
    except IntegrityError:
        # A mail claiming the Message-ID of one the desk sent: what it did is undone, and it waits for a person.
        mail.request = mail.message = None
        mail.outcome, mail.reason = Outcome.SET_ASIDE, "Its Message-ID is already one of the desk's own mails."
    except DatabaseError:
        raise
    except Exception as error:  # noqa: BLE001 - one bad message must never stop its mailbox
        if not isinstance(error, DomainError):
            log.exception("Mail %s set aside", letter.mail_id)
        mail.request = mail.message = None
        mail.outcome, mail.reason = Outcome.SET_ASIDE, str(error)[:300] or error.__class__.__name__
    mail.save(update_fields=["from_address", "from_name", "subject", "outcome", "reason", "request", "message"])


def route_waiting(*, older_than: dt.timedelta, now=None) -> int:
    """Read the kept messages whose reading was not done (its task lost, its worker killed)."""
    now = now or timezone.now()
    waiting = list(InboundMail.objects.filter(outcome=Outcome.RECEIVED, received_at__lt=now - older_than)
                   .order_by("pk").values_list("pk", flat=True)[:1000])
    return sum(route_mail(pk) is not None for pk in waiting)


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
    """What a customer message keeps of a mail: its text, and its attachments as files on the request
    (checked as any upload is); those not kept are listed with the reason."""
    files, not_kept = _files(letter)
    if letter.attachments_left_out:
        not_kept.append({"name": _("and %(count)d more") % {"count": letter.attachments_left_out}, "type": "",
                         "size": 0, "refused": _("more than the desk keeps from one mail")})
    body = letter.text or (_("(No text; see the attachments.)") if letter.attachments else _("(No text.)"))
    return {"body": body[:MAX_TEXT], "full_text": letter.full_text[:MAX_TEXT * 10],
            "html": letter.html[:MAX_TEXT * 10], "attachments": not_kept, "files": files, "mail_id": letter.mail_id}


def _files(letter: ReadMail) -> tuple[list[Checked], list[dict]]:
    kept, not_kept = [], []
    for listed, content in zip(letter.attachments, letter.contents, strict=False):
        try:
            file = accept(listed["name"], content)
        except Refused as refused:
            # The mail itself is kept whole: what is listed here can still be found in it.
            not_kept.append({**listed, "refused": refused.message})
        else:
            kept.append(file)
    return kept, not_kept


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
    files = said.pop("files")
    message = Message.objects.create(request=req, direction=Message.Direction.INCOMING, channel=Contact.EMAIL,
                                     created_at=now, **said)
    keep_files(req, files, message=message, from_customer=True, now=now)
    return req, message


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
    return address in cache.get_or_set("desk-own-addresses", _own_addresses, OWN_ADDRESSES_SECONDS)


OWN_ADDRESSES_SECONDS = 60  # a mailbox or team address added is known as the desk's own within a minute


def _own_addresses() -> set[str]:
    """Every address the desk sends from or reads: mail from one of them is the desk talking to itself."""
    own = {parseaddr(settings.DEFAULT_FROM_EMAIL)[1], parseaddr(settings.SERVER_EMAIL)[1],
           *Mailbox.objects.values_list("address", flat=True), *Team.objects.exclude(email="").values_list(
               "email", flat=True)}
    return {address.lower() for address in own if address}


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

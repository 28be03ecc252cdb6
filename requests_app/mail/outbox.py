"""Replies to customers leave by e-mail: once, and eventually, whatever the broker or the mail server does.

A reply is a due row (`next_attempt_at`), as a commitment clock is: the task sent after commit is only a
hint to look now, and the sweep hands on any reply whose time has come (its task was lost, or the mail
server refused it before). Each attempt runs under the row's lock and writes its result on the row.
"""

import datetime as dt
import smtplib
import time
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, linebreaks, urlize
from django.utils.translation import gettext as _
from django.utils.translation import override

from ..models import Mailbox, Message, StatusLink
from . import letters


def retry_delay(attempts: int) -> dt.timedelta:
    """1, 2, 4 ... minutes after each failure, at most six hours apart."""
    return dt.timedelta(minutes=min(2 ** (attempts - 1), 360))


def message_id_for(kind: str, pk: int) -> str:
    """The same Message-ID for every attempt at one mail: a receiver can tell a repeat from a new mail."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "servicedesk.invalid"
    return f"<{kind}-{pk}@{domain}>"


def record_sent(write, *, pauses=(0.2, 0.5, 1, 2, 4)) -> None:
    """Write down that the mail server took a mail, even when the database session was lost meanwhile (a
    restarted server, a cut session): reconnect and write again for about eight seconds. Without this, every
    lost session would repeat the mail in flight; with it, only a crashed process or a database down longer
    than that does."""
    for pause in (*pauses, None):
        try:
            write()
            return
        except (OperationalError, InterfaceError):
            if pause is None or connection.in_atomic_block:
                raise
            connection.close()
            time.sleep(pause)


def deliver(message_id: int, *, now=None) -> bool:
    """Send the reply if it is still unsent; True when it went out now.

    The attempt is marked on the row and committed before the mail server is spoken to, and the result
    after: a worker that dies in between leaves the mark, and the sweep tries again once it is older than
    MAIL_RETRY_FIRST_SECONDS. So a crash can repeat at most the one reply in flight, with its Message-ID."""
    now = now or timezone.now()
    lease = dt.timedelta(seconds=settings.MAIL_RETRY_FIRST_SECONDS)
    with transaction.atomic():
        message = (
            Message.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("request__customer", "request__team")
            .filter(pk=message_id, sent_at__isnull=True, next_attempt_at__isnull=False)
            .filter(Q(sending_at__isnull=True) | Q(sending_at__lt=now - lease))
            .first()
        )
        if message is None:
            return False
        message.send_attempts += 1
        message.sending_at, message.next_attempt_at = now, now + lease
        message.save(update_fields=["send_attempts", "sending_at", "next_attempt_at"])
    mail = compose(message)
    try:
        mail.send()
    except (OSError, smtplib.SMTPException, ValueError) as error:
        # ValueError: a header or address the mail library refuses; trying again changes nothing soon.
        gave_up = message.send_attempts >= settings.MAIL_MAX_ATTEMPTS
        Message.objects.filter(pk=message.pk).update(
            sending_at=None, send_error=str(error)[:300] or error.__class__.__name__,
            next_attempt_at=None if gave_up else now + retry_delay(message.send_attempts))
        return False
    record_sent(lambda: Message.objects.filter(pk=message.pk).update(
        sending_at=None, sent_at=now, next_attempt_at=None, send_error=""))
    return True


# Mails that carry a status link: made as the mail leaves, so the token is never stored anywhere in the clear
# (a mail sent twice after a crash carries two links, both the customer's).
LINKED = (Message.Purpose.ACKNOWLEDGEMENT, Message.Purpose.STATUS_LINK)


def _status_url(req) -> str:
    token = StatusLink.issue(req, now=timezone.now())
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("public:status", args=[token])


def compose(message: Message) -> EmailMultiAlternatives:
    """The mail for an outbox row: the reference in the subject, in the customer's language, plain text and
    HTML, its stored Message-ID, and threaded under the customer's last mail when there is one."""
    req = message.request
    with override(req.customer.language):
        if message.purpose == Message.Purpose.ACKNOWLEDGEMENT:
            subject = _("[%(reference)s] Received: %(subject)s")
        elif message.purpose == Message.Purpose.RESOLUTION:
            subject = _("[%(reference)s] Resolved: %(subject)s")
        else:
            subject = _("[%(reference)s] %(subject)s")
    subject = subject % {"reference": req.reference, "subject": req.subject}
    headers = {
        "X-Service-Request": req.reference,
        "Message-ID": message.mail_id or message_id_for("reply", message.pk),
    }
    if message.purpose == Message.Purpose.ACKNOWLEDGEMENT:
        # Sent by the desk on its own: auto-responders must not answer it (RFC 3834), and we never answer theirs.
        headers["Auto-Submitted"] = "auto-replied"
    answered = (
        Message.objects.filter(request_id=req.pk, direction=Message.Direction.INCOMING, mail_id__isnull=False,
                               created_at__lte=message.created_at)
        .order_by("-created_at", "-pk").values_list("mail_id", flat=True).first()
    )
    if answered:
        headers["In-Reply-To"] = headers["References"] = answered
    reply_to = req.team.email or Mailbox.objects.filter(service__isnull=True, is_active=True).values_list(
        "address", flat=True).first()
    body = message.body
    if message.purpose in LINKED:
        body += "\n\n" + letters.status_link_line(_status_url(req), req.customer.language)
    mail = EmailMultiAlternatives(
        subject=subject, body=body, to=[message.to_email], reply_to=[reply_to] if reply_to else None,
        headers=headers,
    )
    mail.attach_alternative(f"<!doctype html><html lang=\"{escape(req.customer.language)}\"><body>"
                            f"{linebreaks(urlize(escape(body)))}</body></html>", "text/html")
    for file in message.files.all():
        with file.file.open("rb") as content:
            mail.attach(file.name, content.read(), file.content_type)
    return mail


def claim_due_messages(*, now: dt.datetime, limit: int = 200) -> list[int]:
    """Unsent replies whose attempt is due, claimed for the next minute (a conditional update under
    `skip_locked`), so a sweep every second hands each one on once, however long the mail server takes."""
    with transaction.atomic():
        ids = list(
            Message.objects.select_for_update(skip_locked=True)
            .filter(sent_at__isnull=True, next_attempt_at__lte=now)
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:limit]
        )
        Message.objects.filter(pk__in=ids).update(
            next_attempt_at=now + dt.timedelta(seconds=settings.MAIL_RETRY_FIRST_SECONDS))
    return ids

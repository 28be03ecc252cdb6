"""Replies to customers leave by e-mail: once, and eventually, whatever the broker or the mail server does.

A reply is a due row (`next_attempt_at`), as a commitment clock is: the task sent after commit is only a
hint to look now, and the sweep hands on any reply whose time has come (its task was lost, or the mail
server refused it before). Each attempt runs under the row's lock and writes its result on the row.
"""

import datetime as dt
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from ..models import Message


def retry_delay(attempts: int) -> dt.timedelta:
    """1, 2, 4 ... minutes after each failure, at most six hours apart."""
    return dt.timedelta(minutes=min(2 ** (attempts - 1), 360))


def deliver(message_id: int, *, now=None) -> bool:
    """Send the reply if it is still unsent; True when it went out now."""
    with transaction.atomic():
        message = (
            Message.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("request__customer", "request__team")
            .filter(pk=message_id, sent_at__isnull=True, next_attempt_at__isnull=False)
            .first()
        )
        if message is None:
            return False
        req = message.request
        with override(req.customer.language):
            subject = _("[%(reference)s] %(subject)s") % {"reference": req.reference, "subject": req.subject}
        mail = EmailMessage(
            subject=subject, body=message.body, to=[message.to_email],
            reply_to=[req.team.email] if req.team.email else None,
            headers={"X-Service-Request": req.reference},
        )
        now = now or timezone.now()
        message.send_attempts += 1
        try:
            mail.send()
        except (OSError, smtplib.SMTPException) as error:
            message.send_error = str(error)[:300] or error.__class__.__name__
            gave_up = message.send_attempts >= settings.MAIL_MAX_ATTEMPTS
            message.next_attempt_at = None if gave_up else now + retry_delay(message.send_attempts)
            message.save(update_fields=["send_attempts", "send_error", "next_attempt_at"])
            return False
        message.sent_at, message.next_attempt_at, message.send_error = now, None, ""
        message.save(update_fields=["send_attempts", "send_error", "next_attempt_at", "sent_at"])
        return True


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

"""Notifications leave by e-mail once: a sender claims a batch of unmailed rows (taken, and committed,
before the mail server is spoken to), sends them over one SMTP connection and marks each as mailed. A row
taken by a sender that died is free again once MAIL_RETRY_FIRST_SECONDS have passed: a crash can repeat at
most the one mail in flight, with its Message-ID; nothing is ever handed out twice while it is taken, and a
sender stops before the lease on its batch runs out."""

import datetime as dt
import smtplib
import time

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation

from ..mail.outbox import message_id_for, record_sent, retry_delay
from ..models import Notification

BATCH = 50


def send_due_notifications(*, now=None, limit: int = BATCH) -> tuple[int, bool]:
    """Claim up to `limit` unmailed notifications and mail them. Returns (mailed, whether the batch was
    full: more may be waiting). People without an e-mail address are marked too, so no sender looks at
    them again; a refusing mail server leaves the rest taken, for the next try after the lease."""
    now = now or timezone.now()
    lease = dt.timedelta(seconds=settings.MAIL_RETRY_FIRST_SECONDS)
    with transaction.atomic():
        batch = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(emailed_at__isnull=True, mail_attempts__lt=settings.MAIL_MAX_ATTEMPTS)
            .filter(Q(mail_taken_at__isnull=True) | Q(mail_taken_at__lt=now - lease))
            .select_related("recipient", "request")
            .only(*Notification.WORDING, "mail_attempts", "recipient__email", "recipient__language", "request__reference")
            .order_by("created_at", "pk")[:limit]
        )
        Notification.objects.filter(pk__in=[n.pk for n in batch]).update(mail_taken_at=now)
    taken = time.monotonic()
    sent, mail_connection, refused, expired = 0, None, False, False
    try:
        for notification in batch:
            if time.monotonic() - taken >= lease.total_seconds():
                # The rest of the batch is free for any sender again: sending it here could repeat it.
                expired = True
                break
            if notification.recipient.email:
                mail_connection = mail_connection or get_connection()
                with translation.override(notification.recipient.language or "fi"):  # in the person's language
                    subject, text = notification.title, notification.text
                mail = EmailMessage(
                    subject=subject,
                    body=f"{text}\n\n{settings.PUBLIC_BASE_URL.rstrip('/')}"
                         f"{reverse('commitments:open', args=[notification.pk])}",
                    to=[notification.recipient.email],
                    headers={"X-Service-Request": notification.request.reference,
                             "Message-ID": message_id_for("notification", notification.pk)},
                    connection=mail_connection,
                )
                try:
                    mail.send()
                except (OSError, smtplib.SMTPException, ValueError) as error:
                    _refused(notification, error, now=now, lease=lease)
                    raise
                sent += 1
            record_sent(lambda pk=notification.pk: Notification.objects.filter(pk=pk).update(emailed_at=timezone.now()))
    except (OSError, smtplib.SMTPException, ValueError):
        refused = True  # what is left stays taken until the lease passes; the mail sweep tries again then
    finally:
        if mail_connection is not None:
            mail_connection.close()
    # A refusing mail server: no point taking the next batch now.
    return sent, (len(batch) == limit or expired) and not refused


def _refused(notification: Notification, error: Exception, *, now, lease) -> None:
    """The mail in flight was refused: free again after 1, 2, 4 ... minutes (as replies), given up after
    MAIL_MAX_ATTEMPTS (ValueError: a header or address the mail library cannot send)."""
    attempts = notification.mail_attempts + 1
    Notification.objects.filter(pk=notification.pk).update(
        mail_attempts=attempts, mail_error=str(error)[:300] or error.__class__.__name__,
        mail_taken_at=now + retry_delay(attempts) - lease)

"""Notifications leave by e-mail once: each row is marked as mailed in the transaction that sends it."""

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.utils import timezone

from ..models import Notification


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

from celery import shared_task
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _, override

from .models import Message


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def deliver_message(message_id: int) -> None:
    """Send one reply by e-mail. Re-reads the row; a message already sent is not sent again."""
    with transaction.atomic():
        message = (
            Message.objects.select_for_update(skip_locked=True)
            .select_related("request__customer", "request__team")
            .filter(pk=message_id, sent_at__isnull=True)
            .first()
        )
        if message is None or not message.to_email:
            return
        req = message.request
        with override(req.customer.language):
            subject = _("[%(reference)s] %(subject)s") % {"reference": req.reference, "subject": req.subject}
        EmailMessage(
            subject=subject,
            body=message.body,
            to=[message.to_email],
            reply_to=[req.team.email] if req.team.email else None,
            headers={"X-Service-Request": req.reference},
        ).send()
        message.sent_at = timezone.now()
        message.save(update_fields=["sent_at"])


@shared_task(acks_late=True, ignore_result=True)
def sweep_due_clocks() -> int:
    """Beat, every TIMER_SWEEP_SECONDS: claim one batch of due clocks. A full batch means more are due:
    the next batch goes to whichever worker is free (enqueued on claiming, so they run side by side), and
    a burst of deadlines spreads over every worker. The message carries nothing: the rows are the truth."""
    from . import timers

    now = timezone.now()
    result = timers.sweep(now=now, on_full_batch=sweep_due_clocks.delay)
    if not result.batch_full:
        lost = timers.unmailed_notification_ids(now=now)
        if lost:
            timers.enqueue_emails(lost)
    return result.outcomes


@shared_task(acks_late=True, ignore_result=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def email_notifications(notification_ids: list[int]) -> int:
    """Mail notifications that are not mailed yet; a second delivery of the same message sends nothing."""
    from . import timers

    return timers.email_notifications(notification_ids)


@shared_task(acks_late=True, ignore_result=True)
def refresh_dashboard_figures(everything: bool = False) -> int:
    """Beat: recount the recent days' dashboard figures every few minutes, and every day once a night.
    Idempotent: each day is recounted from the requests in one transaction."""
    from . import dashboards

    return dashboards.refresh_all() if everything else dashboards.refresh_recent()

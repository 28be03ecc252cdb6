from celery import shared_task
from django.utils import timezone


@shared_task(acks_late=True, ignore_result=True)
def deliver_message(message_id: int) -> bool:
    """Send one reply by e-mail. Re-reads the row: a message already sent, or not due, is left alone; a
    failure is recorded on the row with the next attempt, so the sweep tries again later."""
    from . import mail

    return mail.deliver(message_id)


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
        from . import mail

        for message_id in mail.claim_due_messages(now=now):
            deliver_message.delay(message_id)
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

from celery import shared_task
from django.utils import timezone

from ..mail import outbox as mail_outbox
from ..mail.tasks import deliver_message
from ..notifications import outbox as notification_outbox
from ..notifications.tasks import enqueue_emails
from . import timers


# Task names are part of the messages on the broker: they stay as they are across releases.
@shared_task(name="requests_app.tasks.sweep_due_clocks", acks_late=True, ignore_result=True)
def sweep_due_clocks() -> int:
    """Beat, every TIMER_SWEEP_SECONDS: claim one batch of due clocks. A full batch means more are due:
    the next batch goes to whichever worker is free (enqueued on claiming, so they run side by side), and
    a burst of deadlines spreads over every worker. The message carries nothing: the rows are the truth.
    Between bursts it also hands on mail whose task was lost."""
    now = timezone.now()
    result = timers.sweep(now=now, on_full_batch=sweep_due_clocks.delay)
    if not result.batch_full:
        lost = notification_outbox.unmailed_notification_ids(now=now)
        if lost:
            enqueue_emails(lost)
        for message_id in mail_outbox.claim_due_messages(now=now):
            deliver_message.delay(message_id)
    return result.outcomes

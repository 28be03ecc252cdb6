from celery import shared_task
from django.utils import timezone

from ..health.selectors import MAIL
from ..health.services import record_beat
from . import outbox


# Task names are part of the messages on the broker: they stay as they are across releases.
@shared_task(name="requests_app.tasks.deliver_message", acks_late=True, ignore_result=True)
def deliver_message(message_id: int) -> bool:
    """Send one reply by e-mail. Re-reads the row: a message already sent, or not due, is left alone; a
    failure is recorded on the row with the next attempt, so the sweep tries again later."""
    return outbox.deliver(message_id)


@shared_task(name="requests_app.tasks.sweep_due_mail", acks_late=True, ignore_result=True)
def sweep_due_mail() -> int:
    """Beat, every MAIL_SWEEP_SECONDS, on the mail worker: hand on the replies whose attempt is due (their
    task was lost, or the mail server refused them before); then say that mail runs."""
    now = timezone.now()
    due = outbox.claim_due_messages(now=now)
    for message_id in due:
        deliver_message.delay(message_id)
    record_beat(MAIL, now=now)
    return len(due)

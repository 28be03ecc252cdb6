from celery import shared_task

from . import outbox


# Task names are part of the messages on the broker: they stay as they are across releases.
@shared_task(name="requests_app.tasks.deliver_message", acks_late=True, ignore_result=True)
def deliver_message(message_id: int) -> bool:
    """Send one reply by e-mail. Re-reads the row: a message already sent, or not due, is left alone; a
    failure is recorded on the row with the next attempt, so the sweep tries again later."""
    return outbox.deliver(message_id)

from celery import shared_task

from . import outbox


def mail_soon() -> None:
    """After commit: a hint to a mail worker to look now (the rows are the truth; losing it only delays)."""
    email_notifications.delay()


# Task names are part of the messages on the broker: they stay as they are across releases (messages from
# before carry a list of ids, which is no longer needed: the task sends whatever is due).
@shared_task(name="requests_app.tasks.email_notifications", acks_late=True, ignore_result=True)
def email_notifications(notification_ids=None) -> int:
    """Mail the notifications that are due, a batch at a time, until none is left. Sent after commit as a
    hint, and by beat every MAIL_SWEEP_SECONDS for whatever a lost hint or a refusing mail server left."""
    total, more = 0, True
    while more:
        sent, more = outbox.send_due_notifications()
        total += sent
    return total

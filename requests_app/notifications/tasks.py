from celery import shared_task

from . import outbox

# Small chunks: mail shares the workers with the sweep, which should never wait long behind it.
EMAIL_CHUNK = 50


def enqueue_emails(notification_ids) -> None:
    """Hand freshly written notifications to the mail workers (after commit: the rows are the truth)."""
    for start in range(0, len(notification_ids), EMAIL_CHUNK):
        email_notifications.delay(list(notification_ids[start:start + EMAIL_CHUNK]))


# Task names are part of the messages on the broker: they stay as they are across releases.
@shared_task(name="requests_app.tasks.email_notifications", acks_late=True, ignore_result=True,
             autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def email_notifications(notification_ids: list[int]) -> int:
    """Mail notifications that are not mailed yet; a second delivery of the same message sends nothing."""
    return outbox.email_notifications(notification_ids)

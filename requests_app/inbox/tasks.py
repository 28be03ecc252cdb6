from celery import shared_task

from . import fetching


# On the mail worker: a slow or hung IMAP server never holds up the timers.
@shared_task(name="requests_app.tasks.fetch_mail", acks_late=True, ignore_result=True)
def fetch_mail() -> int:
    """Beat, every MAIL_FETCH_SECONDS: take what is new in every mailbox the desk reads."""
    return fetching.fetch_all()

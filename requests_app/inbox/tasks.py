import datetime as dt

from celery import shared_task
from django.conf import settings

from . import fetching, services


# On the mail worker: a slow or hung IMAP server never holds up the timers.
@shared_task(name="requests_app.tasks.fetch_mail", acks_late=True, ignore_result=True)
def fetch_mail() -> int:
    """Beat, every MAIL_FETCH_SECONDS: read what a lost task left unread, then keep what is new in every
    mailbox, handing each message to the mail workers to read (all of them at once, for a backlog)."""
    # Unread for two polls: its task was lost (a fetch killed between keeping and handing on), or the queue
    # is long; read here, it is read once either way.
    services.route_waiting(older_than=dt.timedelta(seconds=2 * settings.MAIL_FETCH_SECONDS))
    return fetching.fetch_all(route=lambda pks: [read_mail.delay(pk) for pk in pks])


@shared_task(name="requests_app.tasks.read_mail", acks_late=True, ignore_result=True)
def read_mail(mail_pk: int) -> bool:
    """Read one kept message (a hint: the row says whether it is still unread)."""
    return services.route_mail(mail_pk) is not None

"""What leaves the desk for a customer by mail, and what people do about it."""

import datetime as dt
import uuid
from email.utils import parseaddr

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.errors import InvalidState, NotAllowed

from ..models import Contact, Event, Message, ServiceRequest, TimelineEvent
from .tasks import deliver_message


def new_mail_id() -> str:
    """The Message-ID a mail will carry on every attempt, stored before it is sent: a customer's answer
    names it in In-Reply-To, and so finds its request."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "servicedesk.invalid"
    return f"<{uuid.uuid4().hex}@{domain}>"


@transaction.atomic(savepoint=False)
def queue_to_customer(req: ServiceRequest, *, purpose: str, body: str, now, author=None) -> Message:
    """Write a mail to the request's customer into the outbox (helper: inside the caller's transaction);
    it leaves after commit, and the sweep tries again if that task is lost. The caller checks that the
    customer has an address."""
    message = Message.objects.create(
        request=req, direction=Message.Direction.OUTGOING, channel=Contact.EMAIL, purpose=purpose, author=author,
        body=body, to_email=req.reply_to, created_at=now, mail_id=new_mail_id(),
        # If the task below is lost, the sweep sends the mail once this has passed.
        next_attempt_at=now + dt.timedelta(seconds=settings.MAIL_RETRY_FIRST_SECONDS),
    )
    # robust: the mail is saved; a broker hiccup must not turn it into an error page.
    transaction.on_commit(lambda: deliver_message.delay(message.pk), robust=True)
    return message


@transaction.atomic(durable=True)
def send_again(*, message_id: int, by, now=None) -> Message:
    """Someone on the request asks for a reply that was given up on to be tried again now."""
    now = now or timezone.now()
    message = Message.objects.select_for_update(of=("self",)).select_related("request__team").get(pk=message_id)
    req = message.request
    if not req.team.has_member(by):
        raise NotAllowed(_("Only members of %(team)s can send replies.") % {"team": req.team})
    if not message.is_undelivered:
        raise InvalidState(_("That reply has already been sent."))
    message.next_attempt_at = now
    message.save(update_fields=["next_attempt_at"])
    TimelineEvent.record(req, Event.NOTED, actor=by, at=now, text=lambda: _("Asked to send the reply again."))
    transaction.on_commit(lambda: deliver_message.delay(message.pk), robust=True)
    return message

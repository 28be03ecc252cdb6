"""What people do about outgoing mail."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.errors import InvalidState, NotAllowed

from ..models import Event, Message, TimelineEvent
from .tasks import deliver_message


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
    TimelineEvent.record(req, Event.NOTED, actor=by, at=now, text=_("Asked to send the reply again."))
    transaction.on_commit(lambda: deliver_message.delay(message.pk), robust=True)
    return message

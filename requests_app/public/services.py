"""What a member of the public does: send a request, follow it by its status link, add to it, ask for the
link again; and the counters that hold back floods. (The team revokes links on the request page:
`requests.services.revoke_status_links`.)"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import Channel, Service
from servicedesk.errors import InvalidState, NotAllowed

from ..attachments import services as attachments
from ..intake import services as intake
from ..mail import letters
from ..mail import services as mail
from ..models import (
    Contact,
    Message,
    RateCount,
    ServiceRequest,
    StatusLink,
    token_digest,
)


@transaction.atomic(durable=True)
def submit_request(*, service: Service, name: str, email: str = "", phone: str = "", language: str,
                   subject: str, description: str, files=(), now=None) -> tuple[ServiceRequest, str]:
    """A request from the public web form: channel "web", nobody as intake owner, the customer acknowledged
    by mail (with a status link of its own) when they gave an address. Returns the request and its token."""
    now = now or timezone.now()
    if not (service.public_web_form and service.is_offered):
        raise InvalidState(_("This service cannot be requested on the web form."))
    if not (email or phone):
        raise InvalidState(_("Give an e-mail address or a phone number, so the team can answer you."))
    req = intake.open_request(
        by=None, service_id=service, channel=Channel.WEB, subject=subject, description=description,
        new_customer={"name": name, "email": email, "phone": phone, "language": language}, now=now,
    )
    if files:
        # Files on the request itself, from the customer: they came with the description, not a message.
        attachments.keep(req, files, from_customer=True, now=now)
    return req, StatusLink.issue(req, now=now)


def request_for_token(token: str) -> ServiceRequest | None:
    """The request a status link opens; None for a forged, truncated or revoked one (all look the same)."""
    if not token or len(token) > 100:
        return None
    link = (StatusLink.objects.filter(digest=token_digest(token), revoked_at__isnull=True)
            .select_related("request__service", "request__team", "request__customer").first())
    return link.request if link else None


@transaction.atomic(durable=True)
def add_message(*, token: str, body: str, files=(), now=None) -> tuple[Message, str]:
    """The customer writes on their status page: a customer message like any other (the reply clock starts;
    a resolved request reopens, or a follow-up opens after the team's reopen window). Returns the message
    and the token of the page to go on with: this one, or a new link to the follow-up."""
    now = now or timezone.now()
    req = request_for_token(token)
    if req is None:
        raise NotAllowed(_("This link does not open a request."))
    req = ServiceRequest.objects.locked(req.pk)
    message = intake.take_customer_message(req, body=body, channel=Contact.WEB, by=None, now=now, files=files)
    if message.request_id != req.pk:
        token = StatusLink.issue(message.request, now=now)
    return message, token


@transaction.atomic(durable=True)
def resend_link(*, reference: str, email: str, now=None) -> bool:
    """A lost link, mailed again (as a new link; the old ones keep working) when the reference and the
    address belong together. The caller answers the same either way; True only says a mail was queued."""
    now = now or timezone.now()
    req = (ServiceRequest.objects.select_related("customer", "service", "team")
           .filter(reference=reference.strip().upper()).first())
    if req is None or not email or req.customer.email.casefold() != email.strip().casefold():
        return False
    mail.queue_to_customer(req, purpose=Message.Purpose.STATUS_LINK, body=letters.status_link(req), now=now)
    return True


def allow(key: str, *, limit: int, now=None) -> bool:
    """Counts one more attempt for `key` in the current window; False once it is over `limit`."""
    now = now or timezone.now()
    return RateCount.count_one(key, seconds=settings.PUBLIC_LIMIT_WINDOW_SECONDS, now=now) <= limit

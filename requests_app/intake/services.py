"""Intake: "I'll handle this and pass it on". The person who logs a request becomes its intake owner; the
service's team gets it, with its clocks started."""

import datetime as dt
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import Channel, Service
from servicedesk.errors import MAX_TEXT, InvalidState, require_text

from ..commitments import clocks
from ..mail import letters
from ..mail import services as mail
from ..models import (
    CallbackRequest,
    Contact,
    Customer,
    Event,
    Message,
    ReferenceCounter,
    RequestClock,
    ServiceRequest,
    Status,
    TimelineEvent,
)
from ..requests import services as desk

MAX_SUBJECT = 200


def next_reference(now) -> str:
    """SD-2026-000123: numbered per year, never reused (helper: runs inside the caller's transaction).

    On PostgreSQL the number comes from a sequence of the year: no intake waits for another's commit (a
    rolled-back intake leaves a gap, never a repeat). SQLite, one writer at a time anyway, counts in a row."""
    year = timezone.localtime(now).year
    number = _from_sequence(year) if connection.vendor == "postgresql" else _from_counter(year)
    return f"{settings.DESK_REFERENCE_PREFIX}-{year}-{number:06d}"


_SEQUENCES_MADE: set[int] = set()  # years whose sequence this process has seen committed


def _from_sequence(year: int) -> int:
    name = f"requests_app_reference_{year}"
    with connection.cursor() as cursor:
        if year not in _SEQUENCES_MADE:
            # The year's first intake (for this process): the sequence goes on from the counter, which
            # numbered the year before sequences were used.
            start = (ReferenceCounter.objects.filter(year=year).values_list("last_number", flat=True).first() or 0)
            cursor.execute(f'CREATE SEQUENCE IF NOT EXISTS "{name}" START WITH {start + 1}')
            transaction.on_commit(lambda: _SEQUENCES_MADE.add(year))
        cursor.execute("SELECT nextval(%s)", [name])
        return cursor.fetchone()[0]


def _from_counter(year: int) -> int:
    counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


@transaction.atomic(durable=True)
def log_request(*, by, **details) -> ServiceRequest:
    """'I'll handle this and pass it on': the logger becomes intake owner; the service's team gets the request.

    A phone call can instead leave a callback request (channel "callback"): `callback` then holds the
    number and the window the customer prefers, and the clocks count from the window's start. A service
    that lists its channels is taken in by those alone (a callback is a phone call: "phone" or "callback");
    requests that come in by themselves (mail, the public form, a customer's follow-up) are never refused so."""
    service = details.get("service_id")
    if not isinstance(service, Service):
        service = Service.objects.select_related("owning_team").filter(pk=_as_id(service)).first()
    if service is not None:
        _require_channel_offered(service, details.get("channel"))
        details["service_id"] = service
    return open_request(by=by, **details)


def _as_id(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _require_channel_offered(service: Service, channel: str) -> None:
    offered = set(service.channels or [])
    if channel not in Channel.values or not offered or channel in offered:
        return
    if channel == Channel.CALLBACK and Channel.PHONE in offered:
        return
    raise InvalidState(_("%(service)s is not taken in by %(channel)s; it is taken in by: %(offered)s.") % {
        "service": service, "channel": Channel(channel).label,
        "offered": ", ".join(str(Channel(c).label) for c in service.channels if c in Channel.values)})


@transaction.atomic(savepoint=False)
def open_request(
    *,
    by,
    service_id: "int | Service",
    channel: str,
    subject: str,
    description: str = "",
    customer_id: int | None = None,
    new_customer: dict | None = None,
    site_id: int | None = None,
    callback: dict | None = None,
    follow_up_of: ServiceRequest | None = None,
    now=None,
) -> ServiceRequest:
    """A new request (helper: inside the caller's transaction). `by` is None when it came in by itself,
    by mail or the web form. The customer is acknowledged by mail when they have an address."""
    now = now or timezone.now()
    # One line: a subject goes into mail headers, where a line break would be refused at every attempt.
    subject = require_text(" ".join((subject or "").split()), _("Subject"), MAX_SUBJECT)
    description = (description or "").strip()
    if len(description) > MAX_TEXT:
        raise InvalidState(_("Description is too long (at most %(limit)d characters).") % {"limit": MAX_TEXT})
    if channel not in Channel.values:
        raise InvalidState(_("Unknown channel: %(channel)s.") % {"channel": channel})
    if not isinstance(service_id, Service):
        try:
            service = Service.objects.select_related("owning_team").get(pk=service_id)
        except (Service.DoesNotExist, ValueError, TypeError):
            raise InvalidState(_("Choose a service from the catalogue.")) from None
    else:  # the form has read it already, with its team
        service = service_id
    if not service.is_offered:
        raise InvalidState(_("%(service)s is retired and takes no new requests.") % {"service": service})
    if service.owning_team is None:
        raise InvalidState(_("%(service)s has no owning team yet; choose another service.") % {"service": service})
    window = _check_callback(channel, callback, now)
    customer = _resolve_customer(customer_id, new_customer)

    req = ServiceRequest(
        service=service,
        team=service.owning_team,
        customer=customer,
        customer_name=customer.name,
        reply_to=customer.email,
        channel=channel,
        subject=subject,
        description=description,
        intake_owner=by,
        intake_site_id=site_id if site_id is not None else getattr(by, "home_site_id", None),
        follow_up_of=follow_up_of,
        created_at=now,
    )
    planned = clocks.plan_intake_clocks(req, now=now, callback_from=window["window_start"] if window else None)
    req.reference = next_reference(now)
    req.save(force_insert=True)
    for clock in planned:
        clock.request = req
    RequestClock.objects.bulk_create(planned)
    TimelineEvent.record(
        req, Event.LOGGED, actor=by, at=now, text=description,
        service=service.code, team=service.owning_team.slug, channel=channel,
        **({"follow_up_of": follow_up_of.reference} if follow_up_of else {}),
    )
    if window:
        CallbackRequest.objects.create(request=req, **window)
    if customer.email and service.acknowledge_by_mail:
        mail.queue_to_customer(req, purpose=Message.Purpose.ACKNOWLEDGEMENT, body=letters.acknowledgement(req), now=now)
    return req


@transaction.atomic(durable=True)
def record_customer_message(*, request_id: int, body: str, channel: str = Contact.EMAIL, by=None, now=None,
                            **received) -> Message:
    """The customer wrote, called or came by (told to the desk by `by`, or by mail with `mail`'s details)."""
    now = now or timezone.now()
    req = ServiceRequest.objects.locked(request_id)
    return take_customer_message(req, body=body, channel=channel, by=by, now=now, **received)


@transaction.atomic(savepoint=False)
def take_customer_message(req: ServiceRequest, *, body: str, channel: str, by, now, **received) -> Message:
    """A customer's message on a locked request (helper: inside the caller's transaction). On a request
    resolved within its team's reopen window, it reopens the request; later than that, it opens a follow-up
    request for the same service and customer, linked to the old one, and the message goes there."""
    if req.status == Status.RESOLVED and now - req.resolved_at > dt.timedelta(days=req.team.reopen_days):
        req = open_request(
            by=by, service_id=req.service_id,
            channel={Contact.EMAIL: Channel.EMAIL, Contact.WEB: Channel.WEB}.get(channel, Channel.DESK),
            subject=req.subject, customer_id=req.customer_id, follow_up_of=req, now=now,
            site_id=req.intake_site_id if by is None else None,
        )
        req = ServiceRequest.objects.locked(req.pk)
    return desk.add_customer_message(req, body=body, channel=channel, by=by, now=now, **received)


PHONE = re.compile(r"\+?[0-9][0-9 ()-]{4,30}")
CALLBACK_HORIZON = dt.timedelta(days=14)


def _check_callback(channel: str, callback: dict | None, now) -> dict | None:
    """A callback request needs a number to call and a window that is still to come, within two weeks."""
    if channel != Channel.CALLBACK:
        if callback:
            raise InvalidState(_("Only a callback request takes a number and a time to call back."))
        return None
    callback = callback or {}
    phone = (callback.get("phone") or "").strip()
    start, end = callback.get("window_start"), callback.get("window_end")
    if not PHONE.fullmatch(phone) or not 5 <= sum(ch.isdigit() for ch in phone) <= 20:
        raise InvalidState(_("Give the number to call back, for example +358 40 123 4567."))
    if start is None or end is None:
        raise InvalidState(_("Give the time the customer would like to be called."))
    if end <= start:
        raise InvalidState(_("The time to call back must end after it starts."))
    if end <= now:
        raise InvalidState(_("The time to call back is already over."))
    if start > now + CALLBACK_HORIZON:
        raise InvalidState(_("A callback can be booked at most two weeks ahead."))
    return {"phone": phone, "window_start": start, "window_end": end}


def _resolve_customer(customer_id, new_customer) -> Customer:
    if customer_id is not None:
        customer = Customer.objects.filter(pk=customer_id).first()
        if customer is None:
            raise InvalidState(_("No such customer."))
        # A merged record points to the one that lives on.
        while customer.merged_into_id:
            customer = customer.merged_into
        return customer
    data = new_customer or {}
    name = require_text(" ".join(str(data.get("name", "")).split()), _("Customer name"), 200)
    email = (data.get("email") or "").strip()
    if email:
        # Checked here, not at the first reply: an address the mail library refuses would fail every mail.
        try:
            validate_email(email)
        except ValidationError:
            raise InvalidState(_("%(email)s is not an e-mail address.") % {"email": email[:254]}) from None
    return Customer.objects.create(
        name=name,
        kind=data.get("kind") or Customer.Kind.PERSON,
        email=email,
        phone=(data.get("phone") or "").strip()[:40],
        business_id=(data.get("business_id") or "").strip()[:20],
        language=data.get("language") if data.get("language") in dict(settings.LANGUAGES) else "fi",
    )


"""Personal data kept no longer than needed: a resolved request keeps it for its service's retention period
(default 24 months), then it is anonymised; a customer whose requests are all anonymised is anonymised too.
What and where (service, team, channel, times, clocks, outcomes, hand-offs) stay, so every figure stays.
Erasure on request does the same at once, where no request is still open."""

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import Service
from servicedesk.errors import InvalidState, NotAllowed
from servicedesk.languages import LANGUAGES

from ..models import (
    Attachment,
    AuditEntry,
    BreachReview,
    CallbackRequest,
    Customer,
    Event,
    Handoff,
    InboundMail,
    Message,
    Notification,
    ServiceRequest,
    StatusLink,
    TimelineEvent,
    access,
)

REMOVED = "—"  # what a removed name, subject or title reads
BATCH = 200


def _anonymise(request_ids: list[int], *, now) -> int:
    """Remove the personal data of these requests (locked by the caller), keeping every figure's inputs."""
    requests = ServiceRequest.objects.filter(pk__in=request_ids)
    files = list(Attachment.objects.filter(request_id__in=request_ids))
    Message.objects.filter(request_id__in=request_ids).update(
        body="", full_text="", html="", attachments=[], to_email="", send_error="")
    Attachment.objects.filter(request_id__in=request_ids).delete()
    TimelineEvent.objects.filter(request_id__in=request_ids).update(text="", data={})
    Handoff.objects.filter(request_id__in=request_ids).update(note="")
    CallbackRequest.objects.filter(request_id__in=request_ids).update(phone="")
    InboundMail.objects.filter(request_id__in=request_ids).update(from_address="", from_name="", subject="", raw=b"")
    Notification.objects.filter(request_id__in=request_ids).update(
        **{f"title_{language}": REMOVED for language in LANGUAGES}, **{f"text_{language}": "" for language in LANGUAGES})
    BreachReview.objects.filter(request_id__in=request_ids).update(what_happened="", what_we_change="")
    StatusLink.objects.filter(request_id__in=request_ids).delete()
    changed = requests.update(subject=REMOVED, description="", resolution="", customer_name="", anonymised_at=now,
                              updated_at=now)
    for request_id in request_ids:
        TimelineEvent.objects.create(request_id=request_id, kind=Event.PERSONAL_DATA_REMOVED, created_at=now)
    # The files go last, after their rows: a failure before this leaves files, never rows without them.
    transaction.on_commit(lambda: [file.file.delete(save=False) for file in files])
    return changed


def _anonymise_customers(customer_ids, *, now) -> int:
    """Customers none of whose requests keeps personal data any more lose theirs too."""
    done = Customer.objects.filter(pk__in=customer_ids, anonymised_at__isnull=True).exclude(
        requests__anonymised_at__isnull=True)
    return _blank_customers(Customer.objects.filter(pk__in=done.values("pk")), now=now)


def _blank_customers(customers, *, now) -> int:
    return customers.update(name=REMOVED, email="", phone="", business_id="", anonymised_at=now)


def due_requests(now):
    """Resolved requests past their service's retention period that still hold personal data."""
    due = ServiceRequest.objects.none()
    for months in Service.objects.values_list("retention_months", flat=True).distinct():
        due |= ServiceRequest.objects.filter(service__retention_months=months, status="resolved",
                                             anonymised_at__isnull=True,
                                             resolved_at__lt=now - relativedelta(months=months))
    return due


def apply_retention(*, now: dt.datetime | None = None, batch: int = BATCH) -> int:
    """Anonymise every request past its retention period, a batch per transaction (a crash loses at most the
    batch in hand, which the next run takes again); then the customers left without personal data."""
    now = now or timezone.now()
    total = 0
    while True:
        with transaction.atomic():
            ids = list(due_requests(now).select_for_update(skip_locked=True).order_by("pk").values_list("pk", flat=True)[:batch])
            if not ids:
                break
            customers = set(ServiceRequest.objects.filter(pk__in=ids).values_list("customer_id", flat=True))
            total += _anonymise(ids, now=now)
            _anonymise_customers(customers, now=now)
    if total:
        AuditEntry.record(AuditEntry.Kind.RETENTION, via="task", detail=f"{total} requests anonymised")
    return total


@transaction.atomic(durable=True)
def erase_customer(*, by, customer_id: int, reason: str, now: dt.datetime | None = None) -> int:
    """Erasure on the customer's request: every request of theirs and their record anonymised now, recorded
    with the reason. Refused while a request is open (it is still being served)."""
    now = now or timezone.now()
    if not access.protects_data(by):
        raise NotAllowed(_("Only data protection erases a customer's personal data."))
    if not reason.strip():
        raise InvalidState(_("Say why the data is erased (e.g. the customer's request and its date)."))
    customer = Customer.objects.select_for_update().filter(pk=customer_id, merged_into__isnull=True).first()
    if customer is None:
        raise InvalidState(_("No such customer."))
    requests = list(ServiceRequest.objects.select_for_update(no_key=True).filter(customer=customer)
                    .values_list("pk", "status"))
    still_open = sum(1 for _pk, status in requests if status != "resolved")
    if still_open:
        raise InvalidState(_("%(count)s of the customer's requests are still open: resolve them first.")
                           % {"count": still_open})
    _anonymise([pk for pk, _status in requests], now=now)
    merged = list(customer.merged_from.values_list("pk", flat=True))
    _blank_customers(Customer.objects.filter(pk__in=[customer.pk, *merged]), now=now)
    AuditEntry.record(AuditEntry.Kind.ERASURE, by=by, via="page", customer_id=customer.pk, detail=reason.strip())
    return len(requests)

"""The audit log as the data-protection role searches it."""

import datetime as dt

from django.utils import timezone

from ..models import AuditEntry, ServiceRequest

PAGE = 100


def search(*, person="", customer=None, reference="", kind="", since=None, until=None, before=None) -> list:
    """Newest first, a page of PAGE entries older than entry `before` (the last one shown)."""
    entries = AuditEntry.objects.all()
    if person:
        entries = entries.filter(actor__iexact=person)
    if customer:
        entries = entries.filter(customer_id=customer)
    if reference:
        entries = entries.filter(request_id__in=ServiceRequest.objects.filter(reference=reference.strip().upper())
                                 .values("pk"))
    if kind:
        entries = entries.filter(kind=kind)
    zone = timezone.get_current_timezone()
    if since:
        entries = entries.filter(at__gte=dt.datetime.combine(since, dt.time.min, zone))
    if until:
        entries = entries.filter(at__lt=dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, zone))
    if before:
        entries = entries.filter(pk__lt=before)
    page = list(entries.order_by("-pk")[:PAGE])
    references = dict(ServiceRequest.objects.filter(pk__in={e.request_id for e in page if e.request_id})
                      .values_list("pk", "reference"))
    for entry in page:
        entry.reference = references.get(entry.request_id, "")
    return page

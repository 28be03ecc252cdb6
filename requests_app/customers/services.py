"""Changes to customer records."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.errors import InvalidState

from ..models import Customer, Event, ServiceRequest, TimelineEvent


@transaction.atomic(durable=True)
def merge_customers(*, by, duplicate_id: int, survivor_id: int, now=None) -> Customer:
    """Two records of one customer become one: the duplicate's requests join the survivor's history, and the
    duplicate stays, pointing at the survivor, so old references still lead somewhere."""
    now = now or timezone.now()
    if duplicate_id == survivor_id:
        raise InvalidState(_("A customer cannot be merged into itself."))
    records = {c.pk: c for c in Customer.objects.select_for_update().filter(pk__in=[duplicate_id, survivor_id])}
    if len(records) != 2:
        raise InvalidState(_("No such customer."))
    duplicate, survivor = records[duplicate_id], records[survivor_id]
    for record in (duplicate, survivor):
        if record.merged_into_id:
            raise InvalidState(_("%(customer)s was already merged into another record.") % {"customer": record})
    moved = list(ServiceRequest.objects.select_for_update(no_key=True).filter(customer=duplicate))
    for req in moved:
        TimelineEvent.record(req, Event.CUSTOMER_MERGED, actor=by, at=now,
                             text=_("%(duplicate)s merged into %(survivor)s") % {"duplicate": duplicate, "survivor": survivor},
                             duplicate=duplicate.pk, survivor=survivor.pk)
    ServiceRequest.objects.filter(pk__in=[r.pk for r in moved]).update(
        customer=survivor, customer_name=survivor.name, updated_at=now)
    Customer.objects.filter(merged_into=duplicate).update(merged_into=survivor)
    duplicate.merged_into = survivor
    duplicate.merged_at = now
    duplicate.merged_by = by
    duplicate.save(update_fields=["merged_into", "merged_at", "merged_by"])
    return survivor


"""Changes to customer records."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicedesk.errors import InvalidState, NotAllowed
from servicedesk.languages import in_every_language
from teams.models import Membership

from ..models import Customer, Event, MergeProposal, Notification, ServiceRequest, TimelineEvent, access

MERGE_REFUSED = gettext_lazy("Only the front desk and data protection merge customer records.")


def shares_identifier(one: Customer, other: Customer) -> bool:
    """The same e-mail address, phone number or business ID: the evidence that two records are one customer."""
    return any(
        getattr(one, field) and getattr(one, field).strip().lower() == getattr(other, field).strip().lower()
        for field in ("email", "phone", "business_id")
    )


@transaction.atomic(durable=True)
def merge_customers(*, by, duplicate_id: int, survivor_id: int, now=None) -> Customer:
    """Two records of one customer become one: the duplicate's requests join the survivor's history, and the
    duplicate stays, pointing at the survivor, so old references still lead somewhere. Records that share no
    identifier need a second person's approval (`propose_merge`, `approve_merge`)."""
    return _merge(by=by, duplicate_id=duplicate_id, survivor_id=survivor_id, now=now or timezone.now())


@transaction.atomic(durable=True)
def propose_merge(*, by, duplicate_id: int, survivor_id: int, now=None) -> MergeProposal:
    """A merge of records that share no identifier, waiting for a colleague with the role to approve it."""
    if not access.may_merge_customers(by):
        raise NotAllowed(MERGE_REFUSED)
    records = {c.pk: c for c in Customer.objects.filter(pk__in=[duplicate_id, survivor_id], merged_into__isnull=True)}
    if duplicate_id == survivor_id or len(records) != 2:
        raise InvalidState(_("Choose two different records that are not merged yet."))
    proposal, _created = MergeProposal.objects.get_or_create(
        duplicate_id=duplicate_id, survivor_id=survivor_id, approved_at__isnull=True,
        defaults={"proposed_by": by, "proposed_at": now or timezone.now()})
    return proposal


@transaction.atomic(durable=True)
def approve_merge(*, by, proposal_id: int, now=None) -> Customer:
    """A second person approves a proposed merge, and it is done."""
    now = now or timezone.now()
    proposal = MergeProposal.objects.select_for_update().filter(pk=proposal_id, approved_at__isnull=True).first()
    if proposal is None:
        raise InvalidState(_("No such merge waits for approval."))
    if proposal.proposed_by_id == by.pk:
        raise NotAllowed(_("A merge is approved by someone other than the person who proposed it."))
    survivor = _merge(by=by, duplicate_id=proposal.duplicate_id, survivor_id=proposal.survivor_id, now=now,
                      approved=True)
    proposal.approved_by, proposal.approved_at = by, now
    proposal.save(update_fields=["approved_by", "approved_at"])
    return survivor


def _merge(*, by, duplicate_id: int, survivor_id: int, now, approved: bool = False) -> Customer:
    if not access.may_merge_customers(by):
        raise NotAllowed(MERGE_REFUSED)
    if duplicate_id == survivor_id:
        raise InvalidState(_("A customer cannot be merged into itself."))
    records = {c.pk: c for c in Customer.objects.select_for_update().filter(pk__in=[duplicate_id, survivor_id])}
    if len(records) != 2:
        raise InvalidState(_("No such customer."))
    duplicate, survivor = records[duplicate_id], records[survivor_id]
    for record in (duplicate, survivor):
        if record.merged_into_id:
            raise InvalidState(_("%(customer)s was already merged into another record.") % {"customer": record})
    if not (approved or shares_identifier(duplicate, survivor)):
        raise InvalidState(_("These records share no e-mail address, phone number or business ID: they may be "
                             "two different customers. Propose the merge for a colleague's approval instead."))
    moved = list(ServiceRequest.objects.select_for_update(no_key=True).filter(customer=duplicate))
    said = in_every_language(lambda: _("%(duplicate)s merged into %(survivor)s") % {"duplicate": duplicate, "survivor": survivor})
    for req in moved:
        TimelineEvent.record(req, Event.CUSTOMER_MERGED, actor=by, at=now, text=said,
                             duplicate=duplicate.pk, survivor=survivor.pk)
    ServiceRequest.objects.filter(pk__in=[r.pk for r in moved]).update(
        customer=survivor, customer_name=survivor.name, updated_at=now)
    _tell_the_teams([req for req in moved if req.status != "resolved"], by=by, now=now,
                    text=lambda: _("%(duplicate)s was merged into %(survivor)s by %(by)s. Replies still go to the "
                                   "address the request was logged with until your team confirms the record's.")
                    % {"duplicate": duplicate, "survivor": survivor, "by": by})
    Customer.objects.filter(merged_into=duplicate).update(merged_into=survivor)
    duplicate.merged_into = survivor
    duplicate.merged_at = now
    duplicate.merged_by = by
    duplicate.save(update_fields=["merged_into", "merged_at", "merged_by"])
    return survivor



def _tell_the_teams(requests, *, by, now, text) -> None:
    """The person working each open request, or its team's leads when nobody is, hear of a change to its
    customer record (in the app, and by mail); `text()` words it in the language active when called."""
    for req in requests:
        recipients = [req.assignee_id] if req.assignee_id else list(
            Membership.objects.filter(team_id=req.team_id, role=Membership.Role.LEAD).values_list("user_id", flat=True))
        Notification.objects.bulk_create(
            Notification(recipient_id=user_id, request=req, created_at=now, **Notification.worded(
                lambda req=req: _("%(reference)s: the customer's records were merged") % {"reference": req.reference},
                text))
            for user_id in recipients if user_id != by.pk)


@transaction.atomic(durable=True)
def unmerge_customer(*, by, duplicate_id: int, now=None) -> Customer:
    """A merge undone: the requests that came with the duplicate (as their timelines say) go back to it, and
    it is a record of its own again. Requests logged for the survivor since stay with the survivor."""
    now = now or timezone.now()
    if not access.may_merge_customers(by):
        raise NotAllowed(MERGE_REFUSED)
    duplicate = Customer.objects.select_for_update().filter(pk=duplicate_id).first()
    if duplicate is None or duplicate.merged_into_id is None:
        raise InvalidState(_("That record is not merged into another."))
    survivor = duplicate.merged_into
    came_with = TimelineEvent.objects.filter(kind=Event.CUSTOMER_MERGED, data__duplicate=duplicate.pk,
                                             data__survivor=survivor.pk).values("request_id")
    moved = list(ServiceRequest.objects.select_for_update(no_key=True).filter(pk__in=came_with, customer=survivor))
    said = in_every_language(lambda: _("%(duplicate)s separated again from %(survivor)s") % {
        "duplicate": duplicate, "survivor": survivor})
    for req in moved:
        TimelineEvent.record(req, Event.CUSTOMER_UNMERGED, actor=by, at=now, text=said,
                             duplicate=duplicate.pk, survivor=survivor.pk)
    ServiceRequest.objects.filter(pk__in=[r.pk for r in moved]).update(
        customer=duplicate, customer_name=duplicate.name, updated_at=now)
    duplicate.merged_into, duplicate.merged_at, duplicate.merged_by = None, None, None
    duplicate.save(update_fields=["merged_into", "merged_at", "merged_by"])
    return duplicate

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicedesk.errors import DomainError

from ..models import AuditEntry, Customer, MergeProposal, access
from ..requests.paging import page_or_none
from ..retention import services as retention
from . import selectors, services


def _customer_or_404(user, pk, **where) -> Customer:
    """The customer record, if this person may see the customer (a merged record: the one it was merged
    into). Without a reason there is no such customer: walking the ids gives nothing."""
    customer = get_object_or_404(Customer, pk=pk, **where)
    if not access.may_see_customer(user, customer.merged_into_id or customer.pk):
        raise Http404(_("No such customer."))
    return customer


@login_required
def customers(request):
    query = request.GET.get("q", "")
    found, problem = access.find_customers(request.user, query, via="search") if query.strip() else ([], None)
    template = "requests_app/customers.html#results" if request.htmx else "requests_app/customers.html"
    return render(request, template, {"query": query, "customers": found, "problem": problem})


@login_required
def customer_page(request, pk):
    customer = _customer_or_404(request.user, pk)
    if customer.merged_into_id:
        messages.info(request, _("%(customer)s was merged into this record.") % {"customer": customer})
        return redirect("requests:customer", pk=customer.merged_into_id)
    return _customer_page(request, customer)


def _customer_page(request, customer, *, status=200, errors=()):
    AuditEntry.record(AuditEntry.Kind.READ_CUSTOMER, by=request.user, via="page", customer_id=customer.pk)
    page = page_or_none(request.GET, selectors.customer_history(customer))
    if page is None:
        raise BadRequest(_("That page of the history does not exist; start again from the first page."))
    open_requests = list(selectors.customer_history(customer).open()[:100])
    may_merge = access.may_merge_customers(request.user)
    context = {
        "customer": customer,
        "page": page,
        "summary": selectors.customer_summary(customer),
        "open_requests": open_requests,
        "routes": selectors.handoff_routes([*open_requests, *page]),
        "openable": selectors.openable_among(request.user, [*open_requests, *page]),
        "may_merge": may_merge,
        "data_protection": access.protects_data(request.user),
        "merged_from": customer.merged_from.select_related("merged_by").order_by("-merged_at"),
        "duplicates": selectors.possible_duplicates(customer) if may_merge else [],
        "proposals": list(MergeProposal.objects.filter(survivor=customer, approved_at__isnull=True)
                          .select_related("duplicate", "proposed_by")) if may_merge else [],
        "errors": errors,
    }
    return render(request, "requests_app/customer.html", context, status=status)


@login_required
@require_POST
def merge_customer(request, pk):
    survivor = _customer_or_404(request.user, pk)
    try:
        duplicate_id = int(request.POST.get("duplicate", ""))
    except ValueError:
        return _customer_page(request, survivor, status=400, errors=[_("Choose the duplicate record to merge.")])
    duplicate = Customer.objects.filter(pk=duplicate_id).first()
    try:
        if duplicate is not None and not services.shares_identifier(duplicate, survivor):
            services.propose_merge(by=request.user, duplicate_id=duplicate_id, survivor_id=survivor.pk)
            messages.info(request, _("These records share no e-mail address, phone number or business ID: the merge "
                                     "waits for a colleague with the same role to approve it."))
            return redirect("requests:customer", pk=survivor.pk)
        services.merge_customers(by=request.user, duplicate_id=duplicate_id, survivor_id=survivor.pk)
    except DomainError as error:
        return _customer_page(request, survivor, status=error.status_code, errors=[error.message])
    messages.success(request, _("Records merged: the histories are now one."))
    return redirect("requests:customer", pk=survivor.pk)


@login_required
@require_POST
def approve_merge(request, proposal_id):
    """A colleague approves a proposed merge of records that share no identifier."""
    proposal = get_object_or_404(MergeProposal, pk=proposal_id)
    _customer_or_404(request.user, proposal.survivor_id)
    try:
        services.approve_merge(by=request.user, proposal_id=proposal.pk)
    except DomainError as error:
        return _customer_page(request, proposal.survivor, status=error.status_code, errors=[error.message])
    messages.success(request, _("Records merged: the histories are now one."))
    return redirect("requests:customer", pk=proposal.survivor_id)


@login_required
@require_POST
def unmerge_customer(request, pk):
    """Undo the merge of record `pk` (a duplicate) from its survivor's page."""
    duplicate = _customer_or_404(request.user, pk, merged_into__isnull=False)
    survivor = duplicate.merged_into
    try:
        services.unmerge_customer(by=request.user, duplicate_id=duplicate.pk)
    except DomainError as error:
        return _customer_page(request, survivor, status=error.status_code, errors=[error.message])
    messages.success(request, _("The records are separate again."))
    return redirect("requests:customer", pk=survivor.pk)


def _data_protection_only(request):
    if not access.protects_data(request.user):
        raise PermissionDenied(_("Exports and erasure are for the data-protection role."))


@login_required
def customer_export(request, pk):
    """Everything about one customer (a subject-access request), as a readable page or as JSON."""
    _data_protection_only(request)
    customer = get_object_or_404(Customer, pk=pk, merged_into__isnull=True)
    everything = selectors.everything_about(customer)
    AuditEntry.record(AuditEntry.Kind.EXPORT, by=request.user, via=request.GET.get("format") or "page",
                      customer_id=customer.pk)
    if request.GET.get("format") == "json":
        response = JsonResponse(everything, json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Content-Disposition"] = f'attachment; filename="customer-{customer.pk}.json"'
        return response
    return render(request, "requests_app/customer_export.html", {"customer": customer, "everything": everything})


@login_required
@require_POST
def customer_erase(request, pk):
    """Erasure on the customer's request, with the reason recorded."""
    _data_protection_only(request)
    customer = get_object_or_404(Customer, pk=pk, merged_into__isnull=True)
    try:
        count = retention.erase_customer(by=request.user, customer_id=customer.pk, reason=request.POST.get("reason", ""))
    except DomainError as error:
        return _customer_page(request, customer, status=error.status_code, errors=[error.message])
    messages.success(request, _("Personal data erased from the record and its %(count)s requests.") % {"count": count})
    return redirect("requests:customer", pk=customer.pk)

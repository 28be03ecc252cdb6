import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from teams.models import Team

from . import mail, selectors, services
from .errors import DomainError
from .filters import ALL_TEAMS, DRILL_DOWN, queue_filter_for
from .forms import AssignForm, HandoffForm, IntakeForm, TextForm
from .models import Customer, ServiceRequest
from .rows import queue_row

PAGE_SIZE = 50


def _visible_or_404(user, reference: str) -> ServiceRequest:
    try:
        return selectors.request_for_page(reference=reference, user=user)
    except ServiceRequest.DoesNotExist:
        raise Http404(_("No such request.")) from None


@login_required
def home(request):
    return redirect("requests:queue")


@login_required
def new_request(request):
    form = IntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            req = services.log_request(
                by=request.user,
                service_id=form.cleaned_data["service"].pk,
                channel=form.cleaned_data["channel"],
                subject=form.cleaned_data["subject"],
                description=form.cleaned_data["description"],
                new_customer=form.new_customer(),
                callback=form.callback(),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect("requests:created", reference=req.reference)
    # Show the service already chosen again, so a form error never loses the customer's choice.
    chosen = form.cleaned_data.get("service") if form.is_bound and hasattr(form, "cleaned_data") else None
    context = {
        "form": form,
        "picker_query": request.POST.get("q") or (chosen.name if chosen else ""),
        "picker_services": [chosen] if chosen else [],
        "picker_selected": [str(chosen.pk)] if chosen else [],
    }
    return render(request, "requests_app/new.html", context, status=400 if form.is_bound else 200)


@login_required
def created(request, reference):
    req = get_object_or_404(
        ServiceRequest.objects.select_related("service", "team", "customer"),
        reference=reference,
        intake_owner=request.user,
    )
    return render(request, "requests_app/created.html", {"req": req})


@login_required
@vary_on_headers("HX-Request")
def queue(request):
    """A team's queue, the combined queue of every team the person is in, or (team=all, where dashboard
    figures lead) every team's requests, read-only outside the person's own work."""
    my_teams = list(Team.objects.filter(memberships__user=request.user).order_by("name"))
    team_slug = request.GET.get("team")
    team, everything = None, team_slug == ALL_TEAMS
    if team_slug and not everything:
        team = next((t for t in my_teams if t.slug == team_slug), None)
        if team is None:
            raise Http404(_("You are not a member of that team."))
    teams = None if everything else [team] if team else my_teams
    rows = ServiceRequest.objects.queue_rows()
    if teams is not None:
        rows = rows.filter(team__in=teams)
    filterset = queue_filter_for(request.GET)(request.GET, queryset=rows, teams=teams, user=request.user)
    page, status = None, 400
    if filterset.is_valid():
        page = _page_or_none(request, filterset.qs, filterset.ordering)
        status = 200 if page is not None else 400
    context = {"team": team, "everything": everything, "my_teams": my_teams, "filter": filterset,
               "page": page if page is not None else [], "bad_page": bool(filterset.is_valid() and page is None),
               "drill_down": DRILL_DOWN, "narrowed": _narrowed(filterset),
               "refresh_seconds": settings.QUEUE_REFRESH_SECONDS}
    template = "requests_app/queue.html#queue-table" if request.htmx else "requests_app/queue.html"
    return render(request, template, context, status=status)


def _narrowed(filterset) -> list[tuple[str, str]]:
    """The dashboard's filters in force, in words, so nobody wonders why the list is short."""
    if not filterset.is_valid():
        return []
    data = filterset.form.cleaned_data
    return [(str(filterset.form.fields[name].label), str(data[name])) for name in DRILL_DOWN
            if name in data and data[name] not in (None, "", [])]


@login_required
@require_POST
def claim(request, reference):
    req = _visible_or_404(request.user, reference)
    error, status = None, 200
    try:
        req = services.claim(request_id=req.pk, by=request.user)
    except DomainError as exc:
        error, status = exc.message, exc.status_code
        req = _visible_or_404(request.user, reference)
    if request.htmx:
        return HttpResponse(queue_row(request, req.pk, error), status=status)
    _flash(request, error, _("You claimed %(reference)s.") % {"reference": reference})
    return redirect("requests:detail", reference=reference)


TEXT_FORMS = {
    "reply_form": gettext_lazy("Reply to the customer"),
    "note_form": gettext_lazy("Internal note"),
    "resolve_form": gettext_lazy("Resolution"),
    "reopen_form": gettext_lazy("Why reopen"),
}


def _request_page(request, req, *, status=200, bound=None, errors=()):
    """The request page; `bound` is the one form sent back with the person's input and what went wrong."""
    context = {
        "req": req,
        "is_member": req.team.has_member(request.user),
        "is_lead": req.team.is_lead(request.user),
        "is_intake_owner": req.intake_owner_id == request.user.pk,
        "handoffs": list(req.handoffs.select_related("from_team", "to_team", "from_service", "to_service", "by")),
        "assign_form": AssignForm(team=req.team, prefix="assign_form"),
        "handoff_form": HandoffForm(prefix="handoff_form"),
        # A reply just sent is on its way; one still unsent after the first retry point is worth a word.
        "undelivered": list(req.messages.filter(
            sent_at__isnull=True, direction="out", created_at__lt=timezone.now() - dt.timedelta(
                seconds=settings.MAIL_RETRY_FIRST_SECONDS)).exclude(to_email="")),
    }
    for name, label in TEXT_FORMS.items():
        context[name] = TextForm(label=label, prefix=name)
    # Shown at the top: the form it came from may no longer be on the page (a request resolved meanwhile).
    context["action_errors"] = list(errors)
    if bound:
        context[bound.prefix] = bound
        context["action_errors"] += bound.non_field_errors()
    return render(request, "requests_app/detail.html", context, status=status)


@login_required
def detail(request, reference):
    return _request_page(request, _visible_or_404(request.user, reference))


def _text_action(operation, form_name, success_message, *, text_argument):
    @login_required
    @require_POST
    def view(request, reference):
        req = _visible_or_404(request.user, reference)
        form = TextForm(request.POST, label=TEXT_FORMS[form_name], prefix=form_name)
        if not form.is_valid():
            return _request_page(request, req, status=400, bound=form)
        try:
            operation(request_id=req.pk, by=request.user, **{text_argument: form.cleaned_data["text"]})
        except DomainError as error:
            form.add_error(None, error.message)
            return _request_page(request, _visible_or_404(request.user, reference), status=error.status_code, bound=form)
        messages.success(request, success_message)
        return redirect("requests:detail", reference=reference)

    return view


def _form_action(form_class, operation, success_message, *, arguments, prefix, form_kwargs=lambda req: {}):
    """A POST on the request page with a small form: one domain operation, or the page again with the refusal."""

    @login_required
    @require_POST
    def view(request, reference):
        req = _visible_or_404(request.user, reference)
        form = form_class(request.POST, prefix=prefix, **form_kwargs(req))
        if not form.is_valid():
            return _request_page(request, req, status=400, bound=form)
        try:
            operation(request_id=req.pk, by=request.user, **arguments(form.cleaned_data))
        except DomainError as error:
            form.add_error(None, error.message)
            return _request_page(request, _visible_or_404(request.user, reference), status=error.status_code,
                                 bound=form)
        messages.success(request, success_message)
        if request.user.has_perm("requests_app.view_all_requests") or selectors.can_see(request.user, req.pk):
            return redirect("requests:detail", reference=reference)
        return redirect("requests:queue")  # handed to a team this person is not in

    return view


def _plain_action(operation, success_message):
    """A POST on the request page with nothing to fill in (release, wait, resume)."""

    @login_required
    @require_POST
    def view(request, reference):
        req = _visible_or_404(request.user, reference)
        try:
            operation(request_id=req.pk, by=request.user)
        except DomainError as error:
            return _request_page(request, _visible_or_404(request.user, reference), status=error.status_code,
                                 errors=[error.message])
        messages.success(request, success_message)
        return redirect("requests:detail", reference=reference)

    return view


def _flash(request, error, success):
    if error:
        messages.error(request, error)
    else:
        messages.success(request, success)


reply = _text_action(services.reply, "reply_form", gettext_lazy("Reply sent to the customer."), text_argument="body")
add_note = _text_action(services.add_note, "note_form", gettext_lazy("Note added."), text_argument="text")
resolve = _text_action(services.resolve, "resolve_form", gettext_lazy("Request resolved."), text_argument="resolution")
reopen = _text_action(services.reopen, "reopen_form", gettext_lazy("Request reopened."), text_argument="reason")
assign = _form_action(AssignForm, services.assign, gettext_lazy("Request assigned."), prefix="assign_form",
                      arguments=lambda data: {"to_user_id": data["person"].pk}, form_kwargs=lambda req: {"team": req.team})
hand_off = _form_action(HandoffForm, services.hand_off, gettext_lazy("Request handed off with your note."),
                        prefix="handoff_form",
                        arguments=lambda data: {"to_service_id": data["service"].pk, "note": data["note"]})
unclaim = _plain_action(services.unclaim, gettext_lazy("Request released to the team."))
wait_for_customer = _plain_action(services.wait_for_customer, gettext_lazy("Waiting for the customer."))
resume = _plain_action(services.resume, gettext_lazy("Work resumed."))
called_back = _plain_action(services.record_callback, gettext_lazy("Call recorded: the callback is done."))


def _page_or_none(request, rows, ordering=selectors.NEWEST):
    """The page the URL asks for; None when its `after` or `before` is not a key this list gave out."""
    try:
        return selectors.Page(rows, ordering=ordering, size=PAGE_SIZE, after=request.GET.get("after"),
                              before=request.GET.get("before"))
    except selectors.InvalidCursor:
        return None


def _personal_list(request, rows, template):
    page = _page_or_none(request, rows)
    if page is None:
        raise BadRequest(_("That page of the list does not exist; start again from the first page."))
    return render(request, template, {"page": page})


@login_required
def my_intakes(request):
    return _personal_list(request, selectors.my_intakes(request.user), "requests_app/my_intakes.html")


@login_required
def my_work(request):
    return _personal_list(request, selectors.my_work(request.user), "requests_app/my_work.html")


def detail_url(req) -> str:
    return reverse("requests:detail", kwargs={"reference": req.reference})


@login_required
def customers(request):
    query = request.GET.get("q", "")
    found = selectors.find_customers(query)
    template = "requests_app/customers.html#results" if request.htmx else "requests_app/customers.html"
    return render(request, template, {"query": query, "customers": found})


@login_required
def customer_page(request, pk):
    customer = get_object_or_404(Customer, pk=pk)
    if customer.merged_into_id:
        messages.info(request, _("%(customer)s was merged into this record.") % {"customer": customer})
        return redirect("requests:customer", pk=customer.merged_into_id)
    return _customer_page(request, customer)


def _customer_page(request, customer, *, status=200, errors=()):
    page = _page_or_none(request, selectors.customer_history(customer))
    if page is None:
        raise BadRequest(_("That page of the history does not exist; start again from the first page."))
    open_requests = list(selectors.customer_history(customer).open()[:100])
    context = {
        "customer": customer,
        "page": page,
        "summary": selectors.customer_summary(customer),
        "open_requests": open_requests,
        "routes": selectors.handoff_routes([*open_requests, *page]),
        "merged_from": customer.merged_from.select_related("merged_by").order_by("-merged_at"),
        "duplicates": selectors.possible_duplicates(customer),
        "errors": errors,
    }
    return render(request, "requests_app/customer.html", context, status=status)


@login_required
@require_POST
def merge_customer(request, pk):
    survivor = get_object_or_404(Customer, pk=pk)
    try:
        duplicate_id = int(request.POST.get("duplicate", ""))
    except ValueError:
        return _customer_page(request, survivor, status=400, errors=[_("Choose the duplicate record to merge.")])
    try:
        services.merge_customers(by=request.user, duplicate_id=duplicate_id, survivor_id=survivor.pk)
    except DomainError as error:
        return _customer_page(request, survivor, status=error.status_code, errors=[error.message])
    messages.success(request, _("Records merged: the histories are now one."))
    return redirect("requests:customer", pk=survivor.pk)


@login_required
@require_POST
def send_again(request, reference, message_id):
    req = _visible_or_404(request.user, reference)
    if not req.messages.filter(pk=message_id).exists():
        raise Http404(_("No such reply on this request."))
    try:
        mail.send_again(message_id=message_id, by=request.user)
    except DomainError as error:
        return _request_page(request, req, status=error.status_code, errors=[error.message])
    messages.success(request, _("The reply will be sent again now."))
    return redirect("requests:detail", reference=reference)

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy

from catalogue.search import picker_choices
from servicedesk.errors import DomainError

from ..models import ServiceRequest, access
from ..requests.forms import ContactForm
from ..requests.selectors import my_intakes
from ..requests.views import form_action
from . import services
from .forms import IntakeForm

LATEST = 5


@login_required
def new_request(request):
    form = IntakeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            req = services.log_request(
                by=request.user,
                service_id=form.cleaned_data["service"],
                channel=form.cleaned_data["channel"],
                subject=form.cleaned_data["subject"],
                description=form.cleaned_data["description"],
                customer_id=form.cleaned_data["customer"].pk if form.cleaned_data["customer"] else None,
                new_customer=None if form.cleaned_data["customer"] else form.new_customer(),
                callback=form.callback(),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect("requests:created", reference=req.reference)
    # Show the service already chosen again, so a form error never loses the customer's choice.
    chosen = form.cleaned_data.get("service") if form.is_bound and hasattr(form, "cleaned_data") else None
    returning = form.cleaned_data.get("customer") if form.is_bound and hasattr(form, "cleaned_data") else None
    customer_query = request.GET.get("customer_q", "")  # without script, the search comes back as a page
    context = {
        "form": form,
        # The customer picked stays picked when the form comes back with an error.
        **(_customer_matches(request.user, customer_query) if customer_query else
           {"customers": [returning], "selected": returning.pk} if returning else {}),
        # The service chosen stays shown; otherwise what was typed is searched again (without script, a
        # search or an area to browse comes back as a page).
        "picker": {"query": request.POST.get("q") or chosen.name, "services": [chosen]} if chosen else
        picker_choices((request.POST or request.GET).get("q", ""), request.GET.get("area", "")),
        "picker_selected": [str(chosen.pk)] if chosen else [],
        # Where a clerk starts the day: what they took in last, a glance away from the form.
        "latest_intakes": [] if form.is_bound else list(my_intakes(request.user).order_by("-created_at", "-pk")[:LATEST]),
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


record_contact = form_action(
    ContactForm, services.record_customer_message, gettext_lazy("The customer's message is recorded."),
    prefix="contact_form", arguments=lambda data: {"channel": data["channel"], "body": data["text"], "files": data["attachments"]},
)


@login_required
def customer_matches(request):
    """The returning customers that match what the clerk typed, to pick on the new request form."""
    return render(request, "requests_app/_intake_customers.html",
                  _customer_matches(request.user, request.GET.get("customer_q", "")))


def _customer_matches(user, query: str) -> dict:
    found, problem = access.find_customers(user, query[:200], via="intake", limit=8) if query.strip() else ([], None)
    return {"customers": found, "problem": problem, "customer_query": query}

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy

from servicedesk.errors import DomainError

from ..models import ServiceRequest
from ..requests.forms import ContactForm
from ..requests.views import form_action
from . import services
from .forms import IntakeForm


@login_required
def new_request(request):
    form = IntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            req = services.log_request(
                by=request.user,
                service_id=form.cleaned_data["service"],
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


record_contact = form_action(
    ContactForm, services.record_customer_message, gettext_lazy("The customer's message is recorded."),
    prefix="contact_form", arguments=lambda data: {"channel": data["channel"], "body": data["text"], "files": data["attachments"]},
)

"""Mail that needs a person: sorting the general address's new mail, deciding about mail that names a
request from a stranger, and (for administrators) what was set aside."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from servicedesk.errors import DomainError

from ..models import AuditEntry, InboundMail
from ..requests.selectors import can_see
from ..requests.views import request_page, visible_or_404
from . import selectors, services
from .forms import SortForm
from .reading import Unreadable, read
from .reading import attachment as read_attachment

PAGE_SIZE = 25


@login_required
def mail_to_sort(request):
    page = Paginator(selectors.mail_to_sort(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "requests_app/inbox/to_sort.html", {"page": page})


@login_required
def sort_one(request, pk):
    """One mail to the general address: read it, pick its service, and become its intake owner."""
    mail = selectors.mail_to_sort().filter(pk=pk).first()
    if mail is None:
        raise Http404(_("No such mail waiting to be sorted."))
    form = SortForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                req = services.sort_mail(mail_pk=mail.pk, by=request.user, service_id=form.cleaned_data["service"].pk)
            except DomainError as error:
                form.add_error(None, error.message)
                status = error.status_code
            else:
                messages.success(request, _("Request %(reference)s logged; you are its intake owner.")
                                 % {"reference": req.reference})
                return redirect("requests:detail", reference=req.reference)
    try:
        letter = read(bytes(mail.raw))
    except Unreadable:
        letter = None
    return render(request, "requests_app/inbox/sort.html", {"mail": mail, "letter": letter, "form": form},
                  status=status)


def _flagged_action(operation, done):
    @login_required
    @require_POST
    def view(request, pk):
        mail = InboundMail.objects.select_related("request").filter(pk=pk, request__isnull=False).first()
        if mail is None or not can_see(request.user, mail.request_id):
            raise Http404(_("No such mail."))
        req = visible_or_404(request.user, mail.request.reference)
        try:
            operation(mail_pk=mail.pk, by=request.user)
        except DomainError as error:
            return request_page(request, req, status=error.status_code, errors=[error.message])
        messages.success(request, done)
        return redirect("requests:detail", reference=req.reference)

    return view


accept_mail = _flagged_action(services.accept_flagged, gettext_lazy("The mail is added to the request as the customer's."))
dismiss_mail = _flagged_action(services.dismiss_flagged, gettext_lazy("The mail is dismissed."))


@login_required
def attachment(request, reference, message_id, number):
    """An attachment of a customer's mail, to the people who may see the request: always as a download,
    never shown by the browser (whatever the sender says it is)."""
    req = visible_or_404(request.user, reference)
    mail = InboundMail.objects.filter(message__pk=message_id, message__request=req).only("raw").first()
    found = read_attachment(bytes(mail.raw), number) if mail is not None else None
    if found is None:
        raise Http404(_("No such attachment."))
    name, content = found
    AuditEntry.record_request_read(req, by=request.user, via="file", detail=name)
    response = HttpResponse(content, content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@permission_required("requests_app.manage_mail", raise_exception=True)
def set_aside(request):
    page = Paginator(selectors.mail_set_aside(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "requests_app/inbox/set_aside.html", {"page": page})

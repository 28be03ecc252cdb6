"""The public pages: no login, a light layout, the visitor's language."""

from django.conf import settings
from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from catalogue.models import CustomerGroup, ServiceArea
from servicedesk.client import client_address
from servicedesk.errors import DomainError

from ..commitments.wording import time_left_in_words
from ..models import Message
from ..requests.views import file_download
from . import selectors, services
from .forms import LostLinkForm, PublicMessageForm, PublicRequestForm

# What the hidden field's filler is told: a person whose browser filled it in can simply send again.
NOT_SENT = gettext_lazy("The form could not be sent. Please check it and send it again.")
SHOWN_PURPOSES = (Message.Purpose.REPLY, Message.Purpose.ACKNOWLEDGEMENT, Message.Purpose.RESOLUTION)


def address_refused(request, now):
    """The 429 page when this client address has sent too much this window; None while it may go on."""
    if not services.allow(f"address:{client_address(request)}", limit=settings.PUBLIC_LIMIT_PER_ADDRESS, now=now):
        return _refused(request)
    return None


def email_refused(request, email: str, now):
    """The same for the e-mail address a form gives (counted only once the form is otherwise good)."""
    if not services.allow(f"email:{email.casefold()}", limit=settings.PUBLIC_LIMIT_PER_EMAIL, now=now):
        return _refused(request)
    return None


def _refused(request):
    response = render(request, "public/too_many.html", {"minutes": settings.PUBLIC_LIMIT_WINDOW_SECONDS // 60},
                      status=429)
    response["Retry-After"] = str(settings.PUBLIC_LIMIT_WINDOW_SECONDS)
    return response


@require_GET
def index(request):
    """The services open to the public: by area and customer group, or found by words."""
    query = request.GET.get("q", "").strip()[:200]
    area = group = None
    errors = []
    if request.GET.get("area"):
        area = ServiceArea.objects.filter(code=request.GET["area"][:80]).first()
        if area is None:
            errors.append(_("There is no such service area; showing every area."))
    if request.GET.get("group"):
        group = CustomerGroup.objects.filter(code=request.GET["group"][:80]).first()
        if group is None:
            errors.append(_("There is no such customer group; showing every group."))
    areas, groups = selectors.areas_and_groups()
    found = selectors.find_services(query=query, area=area, group=group)
    by_area = {}
    for service in found:
        by_area.setdefault(service.area, []).append(service)
    return render(request, "public/index.html", {
        "query": query, "area": area, "group": group, "areas": areas, "groups": groups,
        "found": found, "by_area": list(by_area.items()) if not query else [], "errors": errors,
    }, status=400 if errors else 200)


@require_http_methods(["GET", "POST"])
def service(request, code):
    """A service's description, its promise, how often it was kept, and its form."""
    found = get_object_or_404(selectors.public_services(), code=code[:80])
    if request.method == "POST":
        return _submit(request, found)
    return _service_page(request, found, PublicRequestForm())


def _service_page(request, found, form, *, status=200, notice=""):
    records = selectors.promise_records()
    return render(request, "public/service.html", {
        "service": found, "form": form, "record": records.get(found.pk), "record_days": selectors.RECORD_DAYS,
        "notice": notice,
    }, status=status)


def _submit(request, found):
    now = timezone.now()
    refused = address_refused(request, now)
    if refused:
        return refused
    form = PublicRequestForm(request.POST, request.FILES)
    if form.is_bot:
        return _service_page(request, found, PublicRequestForm(), status=400, notice=NOT_SENT)
    if not form.is_valid():
        return _service_page(request, found, form, status=400)
    data = form.cleaned_data
    refused = data["email"] and email_refused(request, data["email"], now)
    if refused:
        return refused
    try:
        req, token = services.submit_request(
            service=found, name=data["name"], email=data["email"], phone=data["phone"], language=data["language"],
            subject=data["subject"], description=data["description"], files=data["attachments"], now=now,
        )
    except DomainError as error:
        form.add_error(None, error.message)
        return _service_page(request, found, form, status=error.status_code)
    request.session["public_sent"] = req.reference  # the thank-you words on the status page, once
    return redirect("public:status", token=token)


def _request_or_404(token: str):
    req = services.request_for_token(token)
    if req is None:
        raise Http404(_("This link does not open a request. It may be mistyped, cut short or closed by the team; "
                        "you can ask for a new one."))
    return req


@require_GET
def status(request, token):
    req = _request_or_404(token)
    return _status_page(request, req, token, PublicMessageForm())


def _status_page(request, req, token, form, *, status=200, notice=""):
    now = timezone.now()
    conversation = list(
        req.messages.filter(Q(direction=Message.Direction.INCOMING) | Q(purpose__in=SHOWN_PURPOSES))
        .select_related("author").prefetch_related("files")
    )
    their_files = [file for file in req.files.all() if file.message_id is None and file.from_customer]
    response = render(request, "public/status.html", {
        "req": req, "token": token, "form": form, "conversation": conversation, "their_files": their_files,
        "show_names": settings.PUBLIC_SHOW_STAFF_NAMES,
        "time_left": time_left_in_words(req.next_deadline_at, now) if req.next_deadline_at and not req.is_resolved else "",
        "sent": request.session.pop("public_sent", None) == req.reference, "notice": notice,
    }, status=status)
    # The link is the key: never sent on to another site, never kept by a shared cache.
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def status_message(request, token):
    now = timezone.now()
    refused = address_refused(request, now)
    if refused:
        return refused
    req = _request_or_404(token)
    form = PublicMessageForm(request.POST, request.FILES)
    if form.is_bot:
        return _status_page(request, req, token, PublicMessageForm(), status=400, notice=NOT_SENT)
    if not form.is_valid():
        return _status_page(request, req, token, form, status=400)
    try:
        _message, token = services.add_message(token=token, body=form.cleaned_data["text"],
                                               files=form.cleaned_data["attachments"], now=now)
    except DomainError as error:
        form.add_error(None, error.message)
        return _status_page(request, req, token, form, status=error.status_code)
    messages.success(request, _("Thank you: your message is with the team."))
    return redirect(reverse("public:status", args=[token]) + "#conversation")


@require_GET
def status_file(request, token, file_id):
    """A file the customer may have: their own, or one sent with an answer to them. Never the team's own."""
    req = _request_or_404(token)
    file = (req.files.filter(pk=file_id)
            .filter(Q(from_customer=True) | Q(message__direction=Message.Direction.OUTGOING,
                                             message__purpose__in=SHOWN_PURPOSES)).first())
    if file is None:
        raise Http404(_("No such file."))
    response = file_download(file)
    response["Referrer-Policy"] = "same-origin"
    return response


@require_http_methods(["GET", "POST"])
def lost_link(request):
    """A lost link, mailed again. The answer never says whether the reference and address belong together."""
    if request.method == "GET":
        return render(request, "public/lost_link.html", {"form": LostLinkForm()})
    now = timezone.now()
    refused = address_refused(request, now)
    if refused:
        return refused
    form = LostLinkForm(request.POST)
    if not form.is_valid():
        return render(request, "public/lost_link.html", {"form": form}, status=400)
    refused = email_refused(request, form.cleaned_data["email"], now)
    if refused:
        return refused
    services.resend_link(reference=form.cleaned_data["reference"], email=form.cleaned_data["email"], now=now)
    messages.success(request, _("If the reference and the address belong together, the link is on its way to "
                                "that address. It may take a few minutes."))
    return redirect("public:lost_link")


@require_GET
def promises(request):
    """Every public service's promise and how often it was kept: what citizens and staff both read."""
    records = selectors.promise_records()
    rows = [(service, records.get(service.pk)) for service in selectors.public_services().order_by("area__position",
                                                                                                     "name_fi")]
    return render(request, "public/promises.html", {
        "rows": rows, "overall": records.get(None), "record_days": selectors.RECORD_DAYS,
    })

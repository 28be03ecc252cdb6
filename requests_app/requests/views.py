"""The request page and what is done on it."""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from servicedesk.errors import DomainError
from teams.models import Membership

from ..mail import services as mail
from ..models import Attachment, AuditEntry, InboundMail, ServiceRequest, access
from . import selectors, services
from .forms import (
    AnswerForm,
    AssignForm,
    CalledBackForm,
    ContactForm,
    FilesForm,
    HandoffForm,
    ReplyForm,
    TextForm,
)


def visible_or_404(user, reference: str) -> ServiceRequest:
    try:
        return selectors.request_for_page(reference=reference, user=user)
    except ServiceRequest.DoesNotExist:
        raise Http404(_("No such request.")) from None


@login_required
def home(request):
    """A team's member starts on the queue; a clerk in no team (front desk, reception) on taking a request in,
    with their intakes a click away."""
    if access.sees_every_request(request.user) or Membership.objects.filter(user=request.user).exists():
        return redirect("requests:queue")
    return redirect("requests:new")


TEXT_FORMS = {
    "reply_form": gettext_lazy("Reply to the customer"),
    "note_form": gettext_lazy("Internal note"),
    "resolve_form": gettext_lazy("Resolution"),
    "reopen_form": gettext_lazy("Why reopen"),
}


TEXT_FORM_CLASSES = {"reply_form": ReplyForm}


def request_page(request, req, *, status=200, bound=None, errors=()):
    """The request page; `bound` is the one form sent back with the person's input and what went wrong."""
    conversation = selectors.CONVERSATION(request_id=req.pk)
    files = selectors.files_by_message(req, conversation)
    late = timezone.now() - dt.timedelta(seconds=settings.MAIL_RETRY_FIRST_SECONDS)
    context = {
        "req": req,
        "is_member": req.team_role is not None,
        "is_lead": req.team_role == Membership.Role.LEAD,
        "is_intake_owner": req.intake_owner_id == request.user.pk,
        "handoffs": selectors.handoffs_for_page(req),
        # Only leads assign: the team's members are read for them alone.
        "assign_form": AssignForm(team=req.team, prefix="assign_form") if req.team_role == Membership.Role.LEAD else None,
        "handoff_form": HandoffForm(prefix="handoff_form"),
        "contact_form": ContactForm(prefix="contact_form"),
        "answer_form": AnswerForm(prefix="answer_form"),
        "files_form": FilesForm(prefix="files_form"),
        "called_back_form": CalledBackForm(prefix="called_back"),
        "now": timezone.now(),
        "clocks": selectors.CLOCKS(request_id=req.pk),
        "request_files": files.get(None, []),
        "conversation": conversation,
        "flagged": list(req.inbound_mails.filter(outcome=InboundMail.Outcome.FLAGGED)) if req.has_flagged_mail else [],
        # A reply just sent is on its way; one still unsent after the first retry point is worth a word.
        "undelivered": [message for message in conversation if message.is_undelivered and message.created_at < late],
    }
    for name, label in TEXT_FORMS.items():
        context[name] = TEXT_FORM_CLASSES.get(name, TextForm)(label=label, prefix=name)
    # Shown at the top: the form it came from may no longer be on the page (a request resolved meanwhile).
    context["action_errors"] = list(errors)
    AuditEntry.record_request_read(req, by=request.user, via="page")
    if bound:
        context[bound.prefix] = bound
        context["action_errors"] += bound.non_field_errors()
    return render(request, "requests_app/detail.html", context, status=status)


@login_required
def detail(request, reference):
    try:
        req = selectors.request_for_page(reference=reference, user=request.user)
    except ServiceRequest.DoesNotExist:
        return status_card(request, reference)
    return request_page(request, req)


def status_card(request, reference):
    """A reference the person may not open (a citizen at the counter names another team's request): where it
    stands, with nothing about the customer or what they asked."""
    card = selectors.status_card(reference)
    if card is None:
        raise Http404(_("No such request."))
    return render(request, "requests_app/status_card.html", {"card": card})


def _text_action(operation, form_name, success_message, *, text_argument):
    form_class = TEXT_FORM_CLASSES.get(form_name, TextForm)

    @login_required
    @require_POST
    def view(request, reference):
        req = visible_or_404(request.user, reference)
        form = form_class(request.POST, request.FILES, label=TEXT_FORMS[form_name], prefix=form_name)
        if not form.is_valid():
            return request_page(request, req, status=400, bound=form)
        try:
            files = {"files": form.cleaned_data["attachments"]} if "attachments" in form.fields else {}
            operation(request_id=req.pk, by=request.user, **{text_argument: form.cleaned_data["text"]}, **files)
        except DomainError as error:
            form.add_error(None, error.message)
            return request_page(request, visible_or_404(request.user, reference), status=error.status_code, bound=form)
        messages.success(request, success_message)
        return redirect("requests:detail", reference=reference)

    return view


def form_action(form_class, operation, success_message, *, arguments, prefix, form_kwargs=lambda req: {}):
    """A POST on the request page with a small form: one domain operation, or the page again with the refusal."""

    @login_required
    @require_POST
    def view(request, reference):
        req = visible_or_404(request.user, reference)
        form = form_class(request.POST, request.FILES, prefix=prefix, **form_kwargs(req))
        if not form.is_valid():
            return request_page(request, req, status=400, bound=form)
        try:
            operation(request_id=req.pk, by=request.user, **arguments(form.cleaned_data))
        except DomainError as error:
            form.add_error(None, error.message)
            return request_page(request, visible_or_404(request.user, reference), status=error.status_code,
                                 bound=form)
        messages.success(request, success_message)
        if selectors.can_see(request.user, req.pk):
            return redirect("requests:detail", reference=reference)
        return redirect("requests:queue")  # handed to a team this person is not in

    return view


def _plain_action(operation, success_message):
    """A POST on the request page with nothing to fill in (release, wait, resume)."""

    @login_required
    @require_POST
    def view(request, reference):
        req = visible_or_404(request.user, reference)
        try:
            operation(request_id=req.pk, by=request.user)
        except DomainError as error:
            return request_page(request, visible_or_404(request.user, reference), status=error.status_code,
                                 errors=[error.message])
        messages.success(request, success_message)
        return redirect("requests:detail", reference=reference)

    return view


reply = _text_action(services.reply, "reply_form", gettext_lazy("Reply sent to the customer."), text_argument="body")
add_note = _text_action(services.add_note, "note_form", gettext_lazy("Note added."), text_argument="text")
resolve = _text_action(services.resolve, "resolve_form", gettext_lazy("Request resolved."), text_argument="resolution")
reopen = _text_action(services.reopen, "reopen_form", gettext_lazy("Request reopened."), text_argument="reason")
assign = form_action(AssignForm, services.assign, gettext_lazy("Request assigned."), prefix="assign_form",
                      arguments=lambda data: {"to_user_id": data["person"].pk}, form_kwargs=lambda req: {"team": req.team})
answer = form_action(AnswerForm, services.record_answer, gettext_lazy("Answer recorded."), prefix="answer_form",
                     arguments=lambda data: {"channel": data["channel"], "body": data["text"]})
hand_off = form_action(HandoffForm, services.hand_off, gettext_lazy("Request handed off with your note."),
                        prefix="handoff_form",
                        arguments=lambda data: {"to_service_id": data["service"].pk, "note": data["note"]})
add_files = form_action(FilesForm, services.attach_files, gettext_lazy("Files added."), prefix="files_form",
                       arguments=lambda data: {"files": data["attachments"], "note": data["note"]})
unclaim = _plain_action(services.unclaim, gettext_lazy("Request released to the team."))
wait_for_customer = _plain_action(services.wait_for_customer, gettext_lazy("Waiting for the customer."))
resume = _plain_action(services.resume, gettext_lazy("Work resumed."))
revoke_links = _plain_action(services.revoke_status_links,
                             gettext_lazy("Status links revoked: the customer can ask for a new one by mail."))
called_back = form_action(CalledBackForm, services.record_callback, gettext_lazy("Call recorded: the callback is done."),
                          prefix="called_back", arguments=lambda data: {"before_window_confirmed": data["early"]})
confirm_reply_address = _plain_action(services.confirm_reply_address,
                                      gettext_lazy("Replies now go to the customer record's address."))


@login_required
@require_POST
def send_again(request, reference, message_id):
    req = visible_or_404(request.user, reference)
    if not req.messages.filter(pk=message_id).exists():
        raise Http404(_("No such reply on this request."))
    try:
        mail.send_again(message_id=message_id, by=request.user)
    except DomainError as error:
        return request_page(request, req, status=error.status_code, errors=[error.message])
    messages.success(request, _("The reply will be sent again now."))
    return redirect("requests:detail", reference=reference)


def attachment_file(request, reference, file_id):
    """A file on a request, to the people who may see the request: always a download, never shown inline.
    To anyone else, signed in or not, there is no such file (no sign-in page says that one exists)."""
    if not request.user.is_authenticated:
        raise Http404(_("No such file on this request."))
    req = visible_or_404(request.user, reference)
    try:
        file = req.files.get(pk=file_id)
    except Attachment.DoesNotExist:
        raise Http404(_("No such file on this request.")) from None
    AuditEntry.record_request_read(req, by=request.user, via="file", detail=file.name)
    return file_download(file)


def file_download(file: Attachment) -> FileResponse:
    response = FileResponse(file.file.open("rb"), as_attachment=True, filename=file.name,
                            content_type=file.content_type)
    # Never run by the browser, whatever it holds; never kept by a shared cache.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response

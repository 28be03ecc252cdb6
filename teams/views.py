from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicedesk.errors import DomainError

from . import selectors, services
from .forms import AddMemberForm, CharterForm, RoleForm
from .models import Team, Unit, User


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a login refused after too many failures: the login page saying why, or the API's
    usual JSON."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = _("Too many failed logins for this user name from here. Try again in %(minutes)s minutes, or ask "
                "the desk's administrator to unlock the account.") % {"minutes": minutes}
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    return render(request, "registration/login.html", {"form": AuthenticationForm(request), "locked": message},
                  status=429)


@login_required
def team_list(request):
    teams = selectors.teams_for_directory()
    mine = set(request.user.memberships.values_list("team_id", flat=True))
    return render(request, "teams/list.html", {"teams": teams, "mine": mine})


@login_required
def unit_tree(request):
    units = Unit.objects.select_related("manager").prefetch_related("sites", "teams").order_by("name_fi")
    return render(request, "teams/units.html", {"units": selectors.unit_tree(units)})


def _team_or_404(slug) -> Team:
    try:
        return selectors.team_for_page(slug)
    except Team.DoesNotExist:
        raise Http404(_("No such team.")) from None


def _team_page(request, team, *, status=200, add_form=None, error=None):
    is_lead = request.user.is_superuser or team.is_lead(request.user)
    context = {
        "team": team,
        "is_member": team.has_member(request.user),
        "is_lead": is_lead,
        "open_count": selectors.open_request_count(team),
        "changes": selectors.recent_changes(team),
        "add_form": add_form or (AddMemberForm(team=team) if is_lead else None),
        "members_error": error,
    }
    template = "teams/team.html#members" if request.htmx else "teams/team.html"
    return render(request, template, context, status=status)


@login_required
def team_page(request, slug):
    return _team_page(request, _team_or_404(slug))


@login_required
def charter(request, slug):
    team = _team_or_404(slug)
    if not (request.user.is_superuser or team.is_lead(request.user)):
        raise Http404(_("Only the team's leads edit its charter."))
    form = CharterForm(request.POST or None, team=team)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        contact = data.pop("escalation_contact")
        try:
            services.update_charter(team_id=team.pk, by=request.user, changes=data,
                                    escalation_contact_id=contact.pk if contact else None)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The charter is saved."))
            return redirect("teams:detail", slug=team.slug)
    status = 400 if form.is_bound else 200
    return render(request, "teams/charter.html", {"team": team, "form": form}, status=status)


@login_required
@require_POST
def add_member(request, slug):
    team = _team_or_404(slug)
    form = AddMemberForm(request.POST, team=team)
    if not form.is_valid():
        return _team_page(request, team, status=400, add_form=form)
    try:
        services.add_member(team_id=team.pk, by=request.user, user_id=form.cleaned_data["user"].pk,
                            role=form.cleaned_data["role"], external_partner=form.cleaned_data["external_partner"])
    except DomainError as error:
        return _team_page(request, _team_or_404(slug), status=error.status_code, error=error.message)
    return _after_member_change(request, slug, _("%(person)s joined the team.") % {"person": form.cleaned_data["user"]})


@login_required
@require_POST
def change_role(request, slug, user_id):
    team = _team_or_404(slug)
    form = RoleForm(request.POST)
    if not form.is_valid():
        return _team_page(request, team, status=400, error=_("Choose a role: member or team lead."))
    try:
        services.change_role(team_id=team.pk, by=request.user, user_id=user_id, role=form.cleaned_data["role"])
    except DomainError as error:
        return _team_page(request, team, status=error.status_code, error=error.message)
    return _after_member_change(request, slug, _("The role is changed."))


@login_required
@require_POST
def remove_member(request, slug, user_id):
    team = _team_or_404(slug)
    person = get_object_or_404(User, pk=user_id)
    try:
        services.remove_member(team_id=team.pk, by=request.user, user_id=person.pk)
    except DomainError as error:
        return _team_page(request, team, status=error.status_code, error=error.message)
    return _after_member_change(request, slug, _("%(person)s left the team.") % {"person": person})


def _after_member_change(request, slug, message):
    if request.htmx:
        return _team_page(request, _team_or_404(slug))
    messages.success(request, message)
    return redirect("teams:detail", slug=slug)

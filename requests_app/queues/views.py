"""The queues: a team's shared work, everyone's own work and intakes; claiming from a queue row."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from servicedesk.errors import DomainError
from teams.models import Team

from ..models import ServiceRequest
from ..requests import selectors, services
from ..requests.paging import page_or_none
from ..requests.views import visible_or_404
from .filters import ALL_TEAMS, DRILL_DOWN, queue_filter_for
from .rows import queue_row


@login_required
@vary_on_headers("HX-Request")
def queue(request):
    """A team's queue, the combined queue of every team the person is in, or (team=all, where dashboard
    figures lead) every team's requests, read-only outside the person's own work."""
    my_teams = list(Team.objects.filter(memberships__user=request.user).order_by("name_fi"))
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
        page = page_or_none(request.GET, filterset.qs, filterset.ordering)
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
    req = visible_or_404(request.user, reference)
    error, status = None, 200
    try:
        req = services.claim(request_id=req.pk, by=request.user)
    except DomainError as exc:
        error, status = exc.message, exc.status_code
        req = visible_or_404(request.user, reference)
    if request.htmx:
        return HttpResponse(queue_row(request, req.pk, error), status=status)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("You claimed %(reference)s.") % {"reference": reference})
    return redirect("requests:detail", reference=reference)


def _personal_list(request, rows, template):
    page = page_or_none(request.GET, rows)
    if page is None:
        raise BadRequest(_("That page of the list does not exist; start again from the first page."))
    return render(request, template, {"page": page})


@login_required
def my_intakes(request):
    return _personal_list(request, selectors.my_intakes(request.user), "requests_app/my_intakes.html")


@login_required
def my_work(request):
    return _personal_list(request, selectors.my_work(request.user), "requests_app/my_work.html")

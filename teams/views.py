from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import selectors
from .models import Team


@login_required
def team_list(request):
    teams = selectors.teams_for_directory()
    mine = set(request.user.memberships.values_list("team_id", flat=True))
    return render(request, "teams/list.html", {"teams": teams, "mine": mine})


@login_required
def team_page(request, slug):
    try:
        team = selectors.team_for_page(slug)
    except Team.DoesNotExist:
        raise Http404(_("No such team.")) from None
    context = {
        "team": team,
        "is_member": team.has_member(request.user),
        "is_lead": team.is_lead(request.user),
        "open_count": selectors.open_request_count(team),
    }
    return render(request, "teams/team.html", context)

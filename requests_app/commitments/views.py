"""A team's commitments in plain words, their editing by team leads, and the breach list with reviews."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from servicedesk.errors import DomainError
from teams.models import Team

from ..models import BreachReview, ClockKind, Commitment, OutcomeKind, ServiceRequest, TimerOutcome
from . import services
from .filters import BreachFilter
from .forms import BreachReviewForm, CommitmentForm

CLOCK_ORDER = {kind: n for n, kind in enumerate(ClockKind.values)}


@login_required
def team_commitments(request, slug):
    team = get_object_or_404(Team, slug=slug)
    defaults = sorted(team.commitments.all(), key=lambda c: CLOCK_ORDER[c.kind])
    overrides = sorted(
        Commitment.objects.filter(service__owning_team=team).select_related("service"),
        key=lambda c: (c.service.name, CLOCK_ORDER[c.kind]),
    )
    return render(request, "requests_app/commitments/team.html", {
        "team": team, "defaults": defaults, "overrides": overrides, "is_lead": team.is_lead(request.user),
        "breach_count": TimerOutcome.objects.filter(team=team, kind=OutcomeKind.BREACH).count(),
    })


def _lead_team(request, slug) -> Team:
    team = get_object_or_404(Team, slug=slug)
    if not team.is_lead(request.user):
        raise PermissionDenied(_("Only a lead of %(team)s can change its commitments.") % {"team": team})
    return team


@login_required
def commitment_form(request, slug, pk=None):
    team = _lead_team(request, slug)
    instance = None
    if pk is not None:
        instance = get_object_or_404(Commitment.objects.filter(team=team) | Commitment.objects.filter(
            service__owning_team=team), pk=pk)
    form = CommitmentForm(request.POST or None, team=team, instance=instance)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.save_commitment(by=request.user, team_id=team.pk, commitment_id=pk,
                                         **form.service_arguments())
            except DomainError as error:
                form.add_error(None, error.message)
                status = error.status_code
            else:
                messages.success(request, _("Commitment saved. Requests logged from now on follow it."))
                return redirect("commitments:team", slug=team.slug)
    return render(request, "requests_app/commitments/form.html",
                  {"team": team, "form": form, "commitment": instance}, status=status)


@login_required
@require_POST
def commitment_delete(request, slug, pk):
    team = _lead_team(request, slug)
    commitment = get_object_or_404(
        Commitment.objects.filter(team=team) | Commitment.objects.filter(service__owning_team=team), pk=pk)
    services.delete_commitment(by=request.user, commitment_id=commitment.pk)
    messages.success(request, _("Commitment removed."))
    return redirect("commitments:team", slug=team.slug)


@login_required
@vary_on_headers("HX-Request")
def breaches(request, slug):
    """Every breach of the team's commitments and what the team learnt: visible to all staff."""
    team = get_object_or_404(Team, slug=slug)
    outcomes = (
        TimerOutcome.objects.filter(team=team, kind=OutcomeKind.BREACH)
        .select_related("request__service", "request__breach_review__written_by")
        .order_by("-created_at", "-pk")
    )
    filterset = BreachFilter(request.GET or None, queryset=outcomes)
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    template = "requests_app/commitments/breaches.html"
    if request.htmx:
        template += "#breach-rows"
    return render(request, template, {
        "team": team, "filter": filterset, "page": page, "is_member": team.has_member(request.user),
    })


@login_required
def breach_review(request, slug, reference):
    team = get_object_or_404(Team, slug=slug)
    # Exists, not a join: a request that missed two clocks is still one request.
    breached = TimerOutcome.objects.filter(request=OuterRef("pk"), team=team, kind=OutcomeKind.BREACH)
    req = get_object_or_404(ServiceRequest.objects.filter(Exists(breached)), reference=reference)
    if not team.has_member(request.user):
        raise PermissionDenied(_("Only members of %(team)s can review its breaches.") % {"team": team})
    review = BreachReview.objects.filter(request=req).first()
    initial = {"what_happened": review.what_happened, "what_we_change": review.what_we_change} if review else None
    form = BreachReviewForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.write_breach_review(by=request.user, request_id=req.pk, **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, error.message)
                status = error.status_code
            else:
                messages.success(request, _("Review saved for %(reference)s.") % {"reference": req.reference})
                return redirect("commitments:breaches", slug=team.slug)
    return render(request, "requests_app/commitments/review_form.html",
                  {"team": team, "req": req, "form": form, "review": review}, status=status)

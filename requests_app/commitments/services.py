"""Team leads' commitments and the teams' breach reviews."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import Service
from servicedesk.errors import InvalidState, NotAllowed, require_text
from teams.models import Team

from ..models import (
    BreachReview,
    ClockKind,
    Commitment,
    OutcomeKind,
    ServiceRequest,
    TimerOutcome,
    validate_roles,
)


def _require_lead(team, user) -> None:
    if not team.is_lead(user):
        raise NotAllowed(_("Only a lead of %(team)s can change its commitments.") % {"team": team})


@transaction.atomic(durable=True)
def save_commitment(
    *,
    by,
    team_id: int,
    kind: str,
    target_minutes: int,
    hours: str,
    commitment_id: int | None = None,
    service_id: int | None = None,
    warn_percent: int | None = None,
    warn_minutes_before: int | None = None,
    notify_on_warning=(),
    notify_on_breach=(),
    pauses_when_waiting: bool = True,
    escalate_after_minutes: int | None = None,
):
    """A team lead sets the team's default commitment on a clock, or a service's own. Requests logged from
    now on use it; clocks already running keep the terms they started with."""

    team = Team.objects.select_for_update(no_key=True).filter(pk=team_id).first()
    if team is None:
        raise InvalidState(_("No such team."))
    _require_lead(team, by)
    if commitment_id is not None:
        commitment = Commitment.objects.select_for_update(no_key=True, of=("self",)).filter(
            pk=commitment_id).order_by("pk").first()
        if commitment is None or (commitment.team_id or commitment.service.owning_team_id) != team.pk:
            raise InvalidState(_("No such commitment for %(team)s.") % {"team": team})
    else:
        commitment = Commitment()
    service = None
    if service_id is not None:
        service = Service.objects.filter(pk=service_id, owning_team=team).first()
        if service is None:
            raise InvalidState(_("%(team)s can set commitments only for services it owns.") % {"team": team})
    if kind not in ClockKind.values:
        raise InvalidState(_("Unknown clock: %(kind)s.") % {"kind": kind})
    if hours not in Commitment.Hours.values:
        raise InvalidState(_("Count the time in calendar hours or in working hours."))
    if not target_minutes or target_minutes < 1:
        raise InvalidState(_("The target must be at least one minute."))
    if warn_percent is not None and warn_minutes_before is not None:
        raise InvalidState(_("Warn either at a share of the time or some time before the deadline, not both."))
    if warn_percent is not None and not 1 <= warn_percent <= 99:
        raise InvalidState(_("The warning share must be between 1 and 99 %."))
    if warn_minutes_before is not None and not 0 < warn_minutes_before < target_minutes:
        raise InvalidState(_("The warning must come after the clock starts and before the deadline."))
    if escalate_after_minutes is not None and escalate_after_minutes < 1:
        raise InvalidState(_("Escalation must wait at least one minute after the breach."))
    for roles in (notify_on_warning, notify_on_breach):
        try:
            validate_roles(list(roles))
        except ValidationError as error:
            raise InvalidState(" ".join(error.messages)) from None
    clash = Commitment.objects.filter(kind=kind, **({"service": service} if service else {"team": team}))
    if clash.exclude(pk=commitment.pk).exists():
        raise InvalidState(_("There is already a commitment on this clock for %(whom)s; change that one instead.")
                           % {"whom": service or team})
    commitment.team, commitment.service = (None, service) if service else (team, None)
    commitment.kind, commitment.target_minutes, commitment.hours = kind, target_minutes, hours
    commitment.warn_percent, commitment.warn_minutes_before = warn_percent, warn_minutes_before
    commitment.notify_on_warning, commitment.notify_on_breach = list(notify_on_warning), list(notify_on_breach)
    commitment.pauses_when_waiting = pauses_when_waiting
    commitment.escalate_after_minutes = escalate_after_minutes
    commitment.save()
    return commitment


@transaction.atomic(durable=True)
def delete_commitment(*, by, commitment_id: int) -> None:
    commitment = Commitment.objects.select_for_update(of=("self",)).select_related(
        "team", "service__owning_team").filter(pk=commitment_id).order_by("pk").first()
    if commitment is None:
        raise InvalidState(_("No such commitment."))
    _require_lead(commitment.team or commitment.service.owning_team, by)
    commitment.delete()


@transaction.atomic(durable=True)
def write_breach_review(*, by, request_id: int, what_happened: str, what_we_change: str, now=None):
    """The team that missed the commitment says what happened and what it changes (written once, kept
    current by later edits)."""
    now = now or timezone.now()
    req = ServiceRequest.objects.locked(request_id)
    breach = TimerOutcome.objects.filter(request=req, kind=OutcomeKind.BREACH).select_related("team").first()
    if breach is None:
        raise InvalidState(_("Request %(reference)s has no breached commitment to review.") % {"reference": req.reference})
    if not (breach.team.has_member(by) or req.team.has_member(by)):
        raise NotAllowed(_("Only members of %(team)s can review this breach.") % {"team": breach.team})
    what_happened = require_text(what_happened, _("What happened"), 2000)
    what_we_change = require_text(what_we_change, _("What we change"), 2000)
    review, created = BreachReview.objects.select_for_update().get_or_create(
        request=req,
        defaults=dict(team=breach.team, what_happened=what_happened, what_we_change=what_we_change,
                      written_by=by, written_at=now, updated_at=now),
    )
    if not created:
        review.what_happened, review.what_we_change, review.updated_at = what_happened, what_we_change, now
        review.save(update_fields=["what_happened", "what_we_change", "updated_at"])
    return review


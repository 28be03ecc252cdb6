"""The demo teams' commitments, set by each team's lead through the domain operation."""

from ..commitments import services
from ..models import Commitment


def seed_commitments(org):
    for team in org.teams.values():
        if Commitment.objects.filter(team=team).exists():
            continue
        lead = team.leads[0]
        services.save_commitment(
            by=lead, team_id=team.pk, kind="first_reply", target_minutes=8 * 60, hours="working",
            warn_percent=75, notify_on_warning=["assignee"], notify_on_breach=["assignee", "team_lead"],
            escalate_after_minutes=8 * 60,
        )
        services.save_commitment(
            by=lead, team_id=team.pk, kind="resolution", target_minutes=5 * 8 * 60, hours="working",
            warn_percent=80, notify_on_warning=["assignee"], notify_on_breach=["team_lead"],
        )
        services.save_commitment(
            by=lead, team_id=team.pk, kind="next_reply", target_minutes=16 * 60, hours="working",
            warn_percent=75, notify_on_breach=["assignee"],
        )

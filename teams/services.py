"""Changes a team makes to itself: its charter and its people. Leads decide; every change is recorded."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from requests_app.models import ServiceRequest
from servicedesk.errors import InvalidState, NotAllowed
from servicedesk.languages import LANGUAGES

from .models import Membership, Team, TeamChange, User

# The team's name, what it does and its charter in each language; and its e-mail.
CHARTER_FIELDS = (*(f"{text}_{language}" for text in Team.TRANSLATED for language in LANGUAGES), "email")
MAX_CHARTER_TEXT = 5000
MAX_NAME = 150


def _locked_team(team_id: int) -> Team:
    return Team.objects.select_for_update(no_key=True).get(pk=team_id)


def _require_lead(team: Team, by) -> None:
    if not (by.is_superuser or team.is_lead(by)):
        raise NotAllowed(_("Only a lead of %(team)s can change the team.") % {"team": team})


def _lead_count(team: Team) -> int:
    return team.memberships.filter(role=Membership.Role.LEAD).count()


@transaction.atomic(durable=True)
def update_charter(*, team_id: int, by, changes: dict, escalation_contact_id: int | None, now=None) -> Team:
    """The team's own words on how it works; the escalation contact must be one of its members."""
    now = now or timezone.now()
    team = _locked_team(team_id)
    _require_lead(team, by)
    unknown = set(changes) - set(CHARTER_FIELDS)
    if unknown:
        raise InvalidState(_("Unknown charter fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    for field, value in changes.items():
        if len(value or "") > MAX_CHARTER_TEXT:
            raise InvalidState(_("A charter text can be at most %(limit)d characters.") % {"limit": MAX_CHARTER_TEXT})
    names = {field: (value or "").strip() for field, value in changes.items() if field.startswith("name_")}
    if "name_fi" in names and not names["name_fi"]:
        raise InvalidState(_("The team needs a Finnish name: the other languages fall back to it."))
    if any(len(name) > MAX_NAME for name in names.values()):
        raise InvalidState(_("A team's name can be at most %(limit)d characters.") % {"limit": MAX_NAME})
    changes = {**changes, **names}
    if escalation_contact_id is not None and not team.memberships.filter(user_id=escalation_contact_id).exists():
        raise InvalidState(_("The escalation contact must be a member of the team."))
    changed = [field for field, value in changes.items() if getattr(team, field) != value]
    if team.escalation_contact_id != escalation_contact_id:
        changed.append("escalation_contact")
    if not changed:
        return team
    for field, value in changes.items():
        setattr(team, field, value)
    team.escalation_contact_id = escalation_contact_id
    team.save(update_fields=[*changes, "escalation_contact"])
    labels = ", ".join(str(Team._meta.get_field(field).verbose_name) for field in changed)
    TeamChange.objects.create(team=team, kind=TeamChange.Kind.CHARTER, actor=by, created_at=now, text=labels)
    return team


@transaction.atomic(durable=True)
def add_member(*, team_id: int, by, user_id: int, role: str = Membership.Role.MEMBER, external_partner: str = "",
               now=None) -> Membership:
    now = now or timezone.now()
    team = _locked_team(team_id)
    _require_lead(team, by)
    if role not in Membership.Role.values:
        raise InvalidState(_("Unknown role: %(role)s.") % {"role": role})
    person = User.objects.filter(pk=user_id, is_active=True).first()
    if person is None:
        raise InvalidState(_("No such person."))
    if team.memberships.filter(user=person).exists():
        raise InvalidState(_("%(person)s is already in %(team)s.") % {"person": person, "team": team})
    membership = Membership.objects.create(team=team, user=person, role=role, external_partner=external_partner.strip())
    TeamChange.objects.create(team=team, kind=TeamChange.Kind.JOINED, actor=by, person=person, created_at=now,
                              text=membership.get_role_display())
    return membership


@transaction.atomic(durable=True)
def change_role(*, team_id: int, by, user_id: int, role: str, now=None) -> Membership:
    now = now or timezone.now()
    team = _locked_team(team_id)
    _require_lead(team, by)
    if role not in Membership.Role.values:
        raise InvalidState(_("Unknown role: %(role)s.") % {"role": role})
    membership = team.memberships.select_related("user").filter(user_id=user_id).first()
    if membership is None:
        raise InvalidState(_("That person is not in %(team)s.") % {"team": team})
    if membership.role == role:
        return membership
    if membership.role == Membership.Role.LEAD and _lead_count(team) == 1:
        raise InvalidState(_("%(team)s must keep at least one lead: name another lead first.") % {"team": team})
    membership.role = role
    membership.save(update_fields=["role"])
    TeamChange.objects.create(team=team, kind=TeamChange.Kind.ROLE, actor=by, person=membership.user, created_at=now,
                              text=membership.get_role_display())
    return membership


@transaction.atomic(durable=True)
def remove_member(*, team_id: int, by, user_id: int, now=None) -> None:
    """A lead removes someone, or a member leaves. Nobody leaves holding the team's open requests."""
    now = now or timezone.now()
    team = _locked_team(team_id)
    if by.pk != user_id:
        _require_lead(team, by)
    membership = team.memberships.select_related("user").filter(user_id=user_id).first()
    if membership is None:
        raise InvalidState(_("That person is not in %(team)s.") % {"team": team})
    if membership.role == Membership.Role.LEAD and _lead_count(team) == 1:
        raise InvalidState(_("%(team)s must keep at least one lead: name another lead first.") % {"team": team})
    holding = ServiceRequest.objects.open().filter(team=team, assignee_id=user_id).count()
    if holding:
        raise InvalidState(
            _("%(person)s still holds %(count)d open requests of the team: release or reassign them first.")
            % {"person": membership.user, "count": holding}
        )
    if team.escalation_contact_id == user_id:
        team.escalation_contact = None
        team.save(update_fields=["escalation_contact"])
    membership.delete()
    TeamChange.objects.create(team=team, kind=TeamChange.Kind.LEFT, actor=by, person=membership.user, created_at=now)


def remember_language(user, language: str) -> None:
    """The language a person chose or signed in with, kept to mail their notifications in (no history)."""
    language = (language or "")[:2]
    if user.is_authenticated and language in dict(User._meta.get_field("language").choices) and user.language != language:
        User.objects.filter(pk=user.pk).update(language=language)
        user.language = language

"""Teams and roles from the organisation's identity provider: at each sign-in the person's groups (an
OpenID Connect claim) are mapped through OIDC_GROUP_MAP, e.g.

    {"sd-payroll": "payroll", "sd-payroll-leads": "payroll:lead",
     "sd-reception": "role:front_desk", "sd-privacy": "role:data_protection"}

Only the teams and roles the map names are managed this way; everything else stays as the desk's leads set it."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from teams.models import Membership, Team, TeamChange

from ..models import access

ROLES = {"front_desk": access.FRONT_DESK, "data_protection": access.DATA_PROTECTION}


def _wanted(groups) -> tuple[dict[str, str], set[str]]:
    """From the person's groups: the role in each mapped team (lead over member), and the roles they hold."""
    teams, roles = {}, set()
    for group in groups:
        target = settings.OIDC_GROUP_MAP.get(group)
        if not target:
            continue
        if target.startswith("role:"):
            roles.add(target.removeprefix("role:"))
            continue
        slug, _, role = target.partition(":")
        if role == Membership.Role.LEAD or teams.get(slug) != Membership.Role.LEAD:
            teams[slug] = Membership.Role.LEAD if role == Membership.Role.LEAD else Membership.Role.MEMBER
    return teams, roles


def _record(team, kind, user) -> None:
    TeamChange.objects.create(team=team, kind=kind, person=user, actor=None, created_at=timezone.now(),
                              text=_("From the organisation's identity provider."))


@transaction.atomic
def sync_identity(user, groups) -> None:
    """Make the person's memberships and roles in the mapped teams and roles what the groups say."""
    teams, roles = _wanted(groups)
    mapped = {target.partition(":")[0] for target in settings.OIDC_GROUP_MAP.values() if not target.startswith("role:")}
    current = {m.team.slug: m for m in Membership.objects.select_related("team").filter(user=user, team__slug__in=mapped)}
    for team in Team.objects.filter(slug__in=mapped):
        membership, role = current.get(team.slug), teams.get(team.slug)
        if role and membership is None:
            Membership.objects.create(team=team, user=user, role=role)
            _record(team, TeamChange.Kind.JOINED, user)
        elif role and membership.role != role:
            membership.role = role
            membership.save(update_fields=["role"])
            _record(team, TeamChange.Kind.ROLE, user)
        elif not role and membership is not None:
            membership.delete()
            _record(team, TeamChange.Kind.LEFT, user)
    mapped_roles = {t.removeprefix("role:") for t in settings.OIDC_GROUP_MAP.values() if t.startswith("role:")}
    for name, permission in ROLES.items():
        if name not in mapped_roles:
            continue
        group = access.role_group(permission)
        if name in roles:
            group.user_set.add(user)
        else:
            group.user_set.remove(user)

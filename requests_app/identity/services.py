"""Teams and roles from the organisation's identity provider: at each sign-in the person's groups (an
OpenID Connect claim) are mapped through OIDC_GROUP_MAP, e.g.

    {"sd-payroll": "payroll", "sd-payroll-leads": "payroll:lead",
     "sd-reception": "role:front_desk", "sd-privacy": "role:data_protection"}

Only the teams and roles the map names are managed this way; everything else stays as the desk's leads set it."""

import requests
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


# The desk's settings (environment) for each endpoint of a provider's discovery document.
DISCOVERED = {"OIDC_AUTHORIZATION_ENDPOINT": "authorization_endpoint", "OIDC_TOKEN_ENDPOINT": "token_endpoint",
              "OIDC_USERINFO_ENDPOINT": "userinfo_endpoint", "OIDC_JWKS_ENDPOINT": "jwks_uri"}


class DiscoveryFailed(Exception):
    pass


def provider_endpoints(issuer: str) -> dict:
    """The endpoints the desk's settings need, from the provider's discovery document
    (`ISSUER/.well-known/openid-configuration`), checked: it must name the same issuer and every endpoint.
    Raises DiscoveryFailed saying what is wrong."""
    issuer = issuer.strip().rstrip("/")
    address = f"{issuer}/.well-known/openid-configuration"
    try:
        answer = requests.get(address, timeout=settings.OIDC_TIMEOUT, headers={"Accept": "application/json"})
        answer.raise_for_status()
        document = answer.json()
    except requests.RequestException as error:
        raise DiscoveryFailed(_("Could not read %(address)s: %(error)s") % {"address": address, "error": error}) from None
    except ValueError:
        raise DiscoveryFailed(_("%(address)s is not a discovery document (not JSON).") % {"address": address}) from None
    if not isinstance(document, dict) or str(document.get("issuer", "")).rstrip("/") != issuer:
        named = document.get("issuer") if isinstance(document, dict) else None
        raise DiscoveryFailed(_("The provider names another issuer (%(named)s): use exactly that address.")
                              % {"named": named or "–"})
    missing = [key for key in DISCOVERED.values() if not isinstance(document.get(key), str) or not document[key]]
    if missing:
        raise DiscoveryFailed(_("The discovery document names no %(keys)s.") % {"keys": ", ".join(missing)})
    endpoints = {setting: document[key] for setting, key in DISCOVERED.items()}
    algorithms = document.get("id_token_signing_alg_values_supported") or []
    if isinstance(algorithms, list) and algorithms and settings.OIDC_RP_SIGN_ALGO not in algorithms:
        endpoints["OIDC_SIGN_ALGO"] = str(algorithms[0])
    return endpoints

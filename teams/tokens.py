"""API keys for integrations: made, revoked and checked here (see `ApiToken`)."""

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from .models import ApiToken, Team, User

PREFIX = "sdk_"
# A key's last use is written at most this often: a busy integration must not write on every call.
LAST_USED_EVERY = dt.timedelta(minutes=1)


def digest_of(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def issue(*, name: str, user: User, can_write: bool = False, teams=(), by: User | None = None) -> tuple[ApiToken, str]:
    """A new key for an integration: the token row, and the key itself, which is never stored."""
    key = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(name=name, user=user, digest=digest_of(key), prefix=key[:12],
                                    can_write=can_write, created_by=by)
    token.teams.set(Team.objects.filter(pk__in=[team.pk for team in teams]))
    return token, key


def revoke(token_id: int, *, now=None) -> bool:
    return bool(ApiToken.objects.filter(pk=token_id, revoked_at__isnull=True).update(revoked_at=now or timezone.now()))


def check(key: str, *, now=None) -> ApiToken | None:
    """The live token for `key`, with its user and team ids; None for an unknown or revoked key."""
    now = now or timezone.now()
    token = (ApiToken.objects.select_related("user").filter(digest=digest_of(key), revoked_at__isnull=True,
                                                            user__is_active=True).first())
    if token is None:
        return None
    token.team_ids = set(token.teams.values_list("pk", flat=True))
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token

"""Staff sign-in through the organisation's OpenID Connect provider (Entra ID, Keycloak and the like), with
mozilla-django-oidc; local accounts keep working beside it."""

from django.conf import settings
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from . import services


class DeskOIDCBackend(OIDCAuthenticationBackend):
    """The person is the account with the provider's user name (`preferred_username`, else `sub`); names and
    e-mail follow the provider, and so do the teams and roles OIDC_GROUP_MAP names."""

    def authenticate(self, request, **kwargs):
        return super().authenticate(request, **kwargs) if settings.OIDC_ENABLED else None

    def filter_users_by_claims(self, claims):
        username = self._username(claims)
        return self.UserModel.objects.filter(username=username, is_active=True) if username else self.UserModel.objects.none()

    def verify_claims(self, claims):
        return bool(self._username(claims))

    def create_user(self, claims):
        user = self.UserModel.objects.create_user(username=self._username(claims))
        return self.update_user(user, claims)

    def update_user(self, user, claims):
        user.first_name = claims.get("given_name", user.first_name)[:150]
        user.last_name = claims.get("family_name", user.last_name)[:150]
        user.email = claims.get("email", user.email)[:254]
        user.save(update_fields=["first_name", "last_name", "email"])
        groups = claims.get(settings.OIDC_GROUPS_CLAIM) or []
        services.sync_identity(user, [str(group) for group in groups] if isinstance(groups, list) else [])
        return user

    @staticmethod
    def _username(claims) -> str:
        return str(claims.get("preferred_username") or claims.get("sub") or "")[:150]

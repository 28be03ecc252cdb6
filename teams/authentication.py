"""How the API knows its caller: an integration's key (`Authorization: Bearer sdk_…`), the signed-in
session of a page, or, where API_BASIC_AUTH turns it on, HTTP Basic under the login page's lock."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.authentication import BasicScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, BasicAuthentication, get_authorization_header
from rest_framework.permissions import SAFE_METHODS, BasePermission

from . import tokens
from .models import ApiToken


class ApiTokenAuthentication(BaseAuthentication):
    """A key checked by its SHA-256 alone: no password hash on any call. First in the list, so a call without
    credentials is answered 401 with `WWW-Authenticate: Bearer`."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != b"bearer":
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Send the key as: Authorization: Bearer <key>."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("That is not a key of this desk.")) from None
        token = tokens.check(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("That key is unknown or has been revoked."))
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class LockableBasicAuthentication(BasicAuthentication):
    """HTTP Basic, off unless API_BASIC_AUTH (a password hash on every call caps an integration near two calls
    a second). DRF hands `authenticate` its own request wrapper; the lock must be marked on Django's request,
    where django-axes' middleware looks for it and answers 429 instead of another "invalid password"."""

    def authenticate(self, request):
        return super().authenticate(request) if settings.API_BASIC_AUTH else None

    def authenticate_credentials(self, userid, password, request=None):
        return super().authenticate_credentials(userid, password, getattr(request, "_request", request))

    def authenticate_header(self, request):
        return None  # the key's header is the one announced


class TokenScope(BasePermission):
    """A key that may only read is refused every change."""

    message = _("This key may only read.")

    def has_permission(self, request, view):
        return not isinstance(request.auth, ApiToken) or request.auth.can_write or request.method in SAFE_METHODS


class LockableBasicScheme(BasicScheme):
    """The OpenAPI schema describes it as the HTTP Basic it is."""

    target_class = LockableBasicAuthentication


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "An integration's key: Authorization: Bearer sdk_…"}

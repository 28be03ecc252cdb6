"""HTTP Basic for the API, under the same lock against guessing as the login page (django-axes)."""

from drf_spectacular.authentication import BasicScheme
from rest_framework.authentication import BasicAuthentication


class LockableBasicAuthentication(BasicAuthentication):
    """DRF hands `authenticate` its own request wrapper; the lock must be marked on Django's request, where
    django-axes' middleware looks for it and answers 429 instead of another "invalid password"."""

    def authenticate_credentials(self, userid, password, request=None):
        return super().authenticate_credentials(userid, password, getattr(request, "_request", request))


class LockableBasicScheme(BasicScheme):
    """The OpenAPI schema describes it as the HTTP Basic it is."""

    target_class = LockableBasicAuthentication

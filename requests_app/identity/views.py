"""The sign-in and return addresses of OpenID Connect: no such pages unless the provider is configured."""

from django.conf import settings
from django.http import Http404
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView


class _OnlyWhenConfigured:
    def dispatch(self, request, *args, **kwargs):
        if not settings.OIDC_ENABLED:
            raise Http404("Signing in with the organisation's account is not set up.")
        return super().dispatch(request, *args, **kwargs)


class SignIn(_OnlyWhenConfigured, OIDCAuthenticationRequestView):
    pass


class Return(_OnlyWhenConfigured, OIDCAuthenticationCallbackView):
    pass

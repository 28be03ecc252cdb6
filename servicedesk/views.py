from django.conf import settings
from django.contrib.auth.views import LoginView, redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views import defaults, i18n
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import BasePermission

from teams.services import remember_language


def set_language(request):
    """Django's language switch, remembered for the signed-in person: their notifications are mailed in it."""
    response = i18n.set_language(request)
    if request.method == "POST":
        remember_language(request.user, request.POST.get("language", ""))
    return response


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says."""
    return redirect(static("img/favicon.svg"), permanent=True)


def csrf_failure(request, reason=""):
    """A form sent without its security token (an old page, cookies off, or not sent from here): said plainly."""
    layout = "public/base.html" if request.path.startswith("/public/") else "base.html"
    return render(request, "csrf_failure.html", {"layout": layout}, status=403)


def not_found(request, exception=None):
    """The desk's own 404 page; under /api/ the API's answer, in JSON like every other refusal there."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Something went wrong on our side; nothing was changed.")}, status=500)
    return defaults.server_error(request)


class SignedInUnlessPublic(BasePermission):
    """The API's description for the signed in (and integrations), unless API_DOCS_PUBLIC opens it to all."""

    def has_permission(self, request, view):
        return settings.API_DOCS_PUBLIC or request.user.is_authenticated


class ApiSchema(SpectacularAPIView):
    permission_classes = [SignedInUnlessPublic]


_swagger = SpectacularSwaggerSplitView.as_view(url_name="api-schema")


def api_docs(request, *args, **kwargs):
    """Swagger UI, with its start-up script as a file of its own (the CSP runs no inline script); a visitor
    not signed in is sent to the sign-in page, unless API_DOCS_PUBLIC."""
    if not (settings.API_DOCS_PUBLIC or request.user.is_authenticated):
        return redirect_to_login(request.get_full_path())
    return _swagger(request, *args, **kwargs)


class SignInPage(LoginView):
    """Local accounts, and the organisation's account when OpenID Connect is set up."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"oidc_enabled": settings.OIDC_ENABLED}

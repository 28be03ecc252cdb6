from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views import defaults


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

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

NUL = "\x00"


def refusal(request, message: str, status: int) -> HttpResponse:
    """A refusal before any view: in JSON under /api/ (as every API answer), plain text elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


class RejectNulMiddleware:
    """A NUL character has no place in a URL, a form or a JSON string, and PostgreSQL refuses to store or
    compare one: such a request is answered 400 before anything reads it, never a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._carries_nul(request):
            return refusal(request, _("The request contains a NUL character, which is never valid here."), 400)
        return self.get_response(request)

    @staticmethod
    def _carries_nul(request) -> bool:
        if NUL in request.path or _any_nul(request.GET):
            return True
        if request.method in ("POST", "PUT", "PATCH"):
            content_type = request.META.get("CONTENT_TYPE", "")
            if content_type.startswith("application/json"):
                return b"\\u0000" in request.body or b"\x00" in request.body
            if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
                return _any_nul(request.POST)
        return False


def _any_nul(data) -> bool:
    return any(NUL in name or any(NUL in value for value in values) for name, values in data.lists())


class RejectOversizeMiddleware:
    """A body larger than the most files a form takes (with room for its text) is answered 413 before a byte
    of it is read: a 100 MB upload never fills a disk or holds a worker."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.ATTACHMENT_MAX_BYTES * settings.ATTACHMENT_MAX_COUNT + 1024 * 1024
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return refusal(request, _("The request's length is not a number."), 400)
        if length > limit:
            response = refusal(request, _("This is more than the desk takes at once (at most %(limit)s). Send "
                                          "fewer or smaller files.") % {"limit": filesizeformat(limit)}, 413)
            response["Connection"] = "close"
            return response
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages and API answers carry personal data: no browser or shared cache keeps them (a shared counter's
    Back button, a proxy). Static files are served before this and stay cacheable; a view that set its own
    Cache-Control keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        return response

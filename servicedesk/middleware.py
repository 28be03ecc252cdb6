from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _

NUL = "\x00"


class RejectNulMiddleware:
    """A NUL character has no place in a URL, a form or a JSON string, and PostgreSQL refuses to store or
    compare one: such a request is answered 400 before anything reads it, never a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._carries_nul(request):
            return HttpResponseBadRequest(_("The request contains a NUL character, which is never valid here."),
                                          content_type="text/plain; charset=utf-8")
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

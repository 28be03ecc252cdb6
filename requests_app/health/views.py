from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from .selectors import desk_health


@never_cache
def health(request):
    """For load balancers and the compose file's health checks: 200 when the database, the broker and the
    background runs are all well, 503 otherwise, with each check in words."""
    checks = desk_health()
    ok = all(check.ok for check in checks)
    return JsonResponse({"ok": ok, "checks": {check.name: {"ok": check.ok, "text": check.text} for check in checks}},
                        status=200 if ok else 503)

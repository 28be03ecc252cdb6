"""The project's URLs plus a plain link target for each page base.html names that another app has not
built yet on this branch; used only by the catalogue tests, and only for names that do not resolve."""

from django.http import HttpResponse
from django.urls import include, path

from servicedesk.urls import urlpatterns as project_urlpatterns

urlpatterns = list(project_urlpatterns)


def _link_target(request, *args, **kwargs):
    return HttpResponse(status=204)


def build(missing: list[str]) -> None:
    global urlpatterns
    by_namespace: dict[str | None, list] = {}
    for name in missing:
        namespace, _, short = name.rpartition(":")
        by_namespace.setdefault(namespace or None, []).append(
            path(f"{short}/", _link_target, name=short)
        )
    extra = []
    for namespace, patterns in by_namespace.items():
        if namespace:
            extra.append(path(f"__elsewhere__/{namespace}/", include((patterns, namespace))))
        else:
            extra.append(path("__elsewhere__/", include(patterns)))
    urlpatterns = list(project_urlpatterns) + extra

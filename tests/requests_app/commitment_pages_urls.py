"""The project's URLs with /commitments/ mounted, as the integrator mounts it.

Until every page base.html links to exists on this branch, a missing name gets a plain placeholder, so the
commitment pages render on their own. Once the real routes exist nothing is added here.
"""

from importlib import import_module

from django.http import HttpResponse
from django.urls import include, path

from servicedesk import urls as desk

BASE_LINKS = {
    "requests_app.urls": ("requests", ["new", "queue", "my_work", "my_intakes", "customers"]),
    "catalogue.urls": ("catalogue", ["index"]),
    "teams.urls": ("teams", ["list"]),
}


def placeholder(request, **kwargs):
    return HttpResponse("")


def _names(patterns):
    return {getattr(p, "name", None) for p in patterns}


def _with_missing(module_name):
    app_name, needed = BASE_LINKS[module_name]
    module = import_module(module_name)
    patterns = list(module.urlpatterns)
    patterns += [path(f"missing-{name}/", placeholder, name=name) for name in needed if name not in _names(patterns)]
    return include((patterns, getattr(module, "app_name", app_name)))


urlpatterns = [path("commitments/", include("requests_app.commitment_urls"))]
for pattern in desk.urlpatterns:
    module = getattr(pattern, "urlconf_name", None)
    module_name = getattr(module, "__name__", None)
    if module_name in BASE_LINKS:
        urlpatterns.append(path(str(pattern.pattern), _with_missing(module_name)))
    else:
        urlpatterns.append(pattern)
if "home" not in _names(urlpatterns) and "home" not in _names(import_module("requests_app.urls").urlpatterns):
    urlpatterns.append(path("", placeholder, name="home"))

"""The desk's URLs plus a bare view, for the load benchmarks: both served by the same gunicorn and middleware."""

from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("bare/", bare), path("", include("servicedesk.urls"))]

from django.urls import path

from . import dashboard_views

app_name = "dashboards"

urlpatterns = [
    path("", dashboard_views.dashboard, name="org"),
    path("<str:kind>/<str:key>/", dashboard_views.dashboard, name="scope"),
]

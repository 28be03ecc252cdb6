from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from rest_framework.routers import SimpleRouter

from catalogue.api import ServiceViewSet
from requests_app import urls as desk
from requests_app.api.views import CustomerViewSet, RequestViewSet
from requests_app.requests.views import home

from .views import ApiSchema, SignInPage, api_docs, favicon, set_language

api = SimpleRouter()
api.register("services", ServiceViewSet, basename="service")
api.register("requests", RequestViewSet, basename="request")
api.register("customers", CustomerViewSet, basename="customer")

urlpatterns = [
    path("", home, name="home"),
    *desk.health,
    path("favicon.ico", favicon),
    path("login/", SignInPage.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("oidc/", include("mozilla_django_oidc.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/schema/", ApiSchema.as_view(), name="api-schema"),
    path("api/docs/", api_docs, name="api-docs"),
    path("api/v1/", include((api.urls, "api"))),
    path("public/", include("requests_app.public.urls")),
    path("catalogue/", include("catalogue.urls")),
    path("commitments/", include(desk.commitments)),
    path("teams/", include("teams.urls")),
    path("dashboards/", include(desk.dashboards)),
    path("", include(desk.desk)),
]

if settings.ADMIN_ENABLED:
    urlpatterns.insert(0, path("admin/", admin.site.urls))

handler404 = "servicedesk.views.not_found"
handler500 = "servicedesk.views.server_error"

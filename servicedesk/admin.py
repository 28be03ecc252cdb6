"""Django's admin, for superusers alone (and only mounted where DESK_ADMIN turns it on)."""

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig


class DeskAdminSite(AdminSite):
    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser


class DeskAdminConfig(AdminConfig):
    default_site = "servicedesk.admin.DeskAdminSite"

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsAppConfig(AppConfig):
    name = "requests_app"
    verbose_name = _("Service requests")

    def ready(self):
        # Celery looks for a `tasks` module per app; this app keeps one in each room that has tasks.
        from .commitments import tasks as _commitments  # noqa: F401
        from .dashboards import tasks as _dashboards  # noqa: F401
        from .mail import tasks as _mail  # noqa: F401
        from .notifications import tasks as _notifications  # noqa: F401

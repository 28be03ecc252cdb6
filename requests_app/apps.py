from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsAppConfig(AppConfig):
    name = "requests_app"
    verbose_name = _("Service requests")

    def ready(self):
        # Celery looks for a `tasks` module per app; this app keeps one in each room that has tasks.
        # Deadlines read calendars through the cache: a change to one clears it.
        from django.db.models.signals import post_delete, post_save

        from teams.models import Calendar, ClosureDay, Site, WorkingHours

        from .commitments import tasks as _commitments  # noqa: F401
        from .commitments.calendars import forget_calendars
        from .dashboards import tasks as _dashboards  # noqa: F401
        from .mail import tasks as _mail  # noqa: F401
        from .notifications import tasks as _notifications  # noqa: F401

        for model in (Calendar, WorkingHours, ClosureDay, Site):
            post_save.connect(forget_calendars, sender=model, dispatch_uid=f"forget-calendars-{model.__name__}")
            post_delete.connect(forget_calendars, sender=model, dispatch_uid=f"forget-calendars-del-{model.__name__}")

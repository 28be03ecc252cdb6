from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsAppConfig(AppConfig):
    name = "requests_app"
    verbose_name = _("Service requests")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from teams.models import Calendar, ClosureDay, Site, WorkingHours

        from .audit import signals as audit

        # Celery looks for a `tasks` module per app; this app keeps one in each room that has tasks.
        from .commitments import tasks as _commitments  # noqa: F401
        from .commitments.calendars import forget_calendars
        from .dashboards import tasks as _dashboards  # noqa: F401
        from .inbox import tasks as _inbox  # noqa: F401
        from .mail import tasks as _mail  # noqa: F401
        from .models import Commitment
        from .notifications import tasks as _notifications  # noqa: F401
        from .retention import tasks as _retention  # noqa: F401

        audit.connect()
        # Deadlines read calendars and commitments through the cache: a change to one clears it.
        for model in (Calendar, WorkingHours, ClosureDay, Site, Commitment):
            for signal in (post_save, post_delete):
                signal.connect(forget_calendars, sender=model,
                               dispatch_uid=f"forget-calendars-{signal is post_save}-{model.__name__}")

"""When each background run last ran: what the staff banner, /health/ and `manage.py doctor` read."""

from django.db import models


class Heartbeat(models.Model):
    """One row per background run ("timers", "mail"), rewritten each time it runs."""

    name = models.CharField(max_length=20, primary_key=True)
    last_run_at = models.DateTimeField()

    def __str__(self):
        return f"{self.name} {self.last_run_at:%Y-%m-%d %H:%M:%S}"

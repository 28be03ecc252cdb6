"""The dashboards' daily counts."""

from django.db import models
from django.db.models import Q

# Time bands for durations (minutes): medians and 90th percentiles are read from these counts, which add
# up over any period; an estimate lies inside the band of the exact value (bands grow by about a third).
DURATION_EDGES = [0, 1, 2, 3, 5, 7, 10, 15, 20, 30, 45, 60, 90, 120, 180, 240, 360, 480, 600, 720, 960, 1200, 1440,
                  1800, 2160, 2880, 3600, 4320, 5760, 7200, 8640, 10080, 14400, 20160, 30240, 43200, 64800, 86400,
                  129600]


class DailyFigures(models.Model):
    """One day's counts for one team and service (grain "team") or one site and service (grain "site"):
    what dashboards add up instead of reading a million requests. Kept by `dashboards.refresh_days`."""

    class Grain(models.TextChoices):
        TEAM = "team", "team"
        SITE = "site", "site"

    day = models.DateField()
    grain = models.CharField(max_length=4, choices=Grain.choices)
    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, null=True, related_name="+")
    site = models.ForeignKey("teams.Site", on_delete=models.CASCADE, null=True, related_name="+")
    service = models.ForeignKey("catalogue.Service", on_delete=models.CASCADE, related_name="+")
    # Requests logged this day, by channel; of them, replied to (at any time since), by time to first reply.
    logged_desk = models.PositiveIntegerField(default=0)
    logged_phone = models.PositiveIntegerField(default=0)
    logged_email = models.PositiveIntegerField(default=0)
    logged_web = models.PositiveIntegerField(default=0)
    logged_callback = models.PositiveIntegerField(default=0)
    replied = models.PositiveIntegerField(default=0)
    # Requests resolved this day, by time from logging to resolution (bands below).
    resolved = models.PositiveIntegerField(default=0)
    # Clocks whose deadline fell on this day: kept (met by the deadline) or missed.
    kept_first_reply = models.PositiveIntegerField(default=0)
    missed_first_reply = models.PositiveIntegerField(default=0)
    kept_next_reply = models.PositiveIntegerField(default=0)
    missed_next_reply = models.PositiveIntegerField(default=0)
    kept_resolution = models.PositiveIntegerField(default=0)
    missed_resolution = models.PositiveIntegerField(default=0)
    kept_callback = models.PositiveIntegerField(default=0)
    missed_callback = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [  # one per kind of scope: each dashboard reads only its own rows
            models.Index(fields=["grain", "day"], name="figures_grain_day"),
            models.Index(fields=["team", "day"], condition=Q(grain="team"), name="figures_team_day"),
            models.Index(fields=["service", "day"], condition=Q(grain="team"), name="figures_service_day"),
            models.Index(fields=["site", "day"], condition=Q(grain="site"), name="figures_site_day"),
        ]


class FiguresRefresh(models.Model):
    """When the daily figures were last brought up to date (one row)."""

    refreshed_at = models.DateTimeField()
    first_day = models.DateField()
    last_day = models.DateField()


for _band in range(len(DURATION_EDGES)):
    models.PositiveIntegerField(default=0).contribute_to_class(DailyFigures, f"reply_b{_band}")
    models.PositiveIntegerField(default=0).contribute_to_class(DailyFigures, f"resolution_b{_band}")

"""Commitments (promises on a clock), the clocks of each request, what they came to, and breach reviews."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from servicedesk.choices import ChoiceLabels

from .requests import ServiceRequest


class ClockKind(models.TextChoices):
    FIRST_REPLY = "first_reply", _("First reply")
    NEXT_REPLY = "next_reply", _("Reply to a customer message")
    RESOLUTION = "resolution", _("Resolution")
    CALLBACK = "callback", _("Callback")


class NotifyRole(models.TextChoices):
    ASSIGNEE = "assignee", _("the assignee")
    TEAM = "team", _("the whole team")
    TEAM_LEAD = "team_lead", _("the team lead")
    UNIT_MANAGER = "unit_manager", _("the unit manager")


def validate_roles(value):
    from django.core.exceptions import ValidationError

    if not isinstance(value, list) or any(role not in NotifyRole.values for role in value):
        raise ValidationError(
            _("Choose people to tell from: %(roles)s.") % {"roles": ", ".join(NotifyRole.values)}
        )
    if len(set(value)) != len(value):
        raise ValidationError(_("Name each role once."))


def default_warning_roles():
    return [NotifyRole.ASSIGNEE.value]


def default_breach_roles():
    return [NotifyRole.ASSIGNEE.value, NotifyRole.TEAM_LEAD.value]


class Commitment(models.Model):
    """A promise on one clock: a team's default, or a service's own (which wins for that service)."""

    class Hours(models.TextChoices):
        CALENDAR = "calendar", _("calendar hours")
        WORKING = "working", _("working hours")

    team = models.ForeignKey(
        "teams.Team", on_delete=models.CASCADE, null=True, blank=True, related_name="commitments",
        verbose_name=_("team"),
    )
    service = models.ForeignKey(
        "catalogue.Service", on_delete=models.CASCADE, null=True, blank=True, related_name="commitments",
        verbose_name=_("service"),
    )
    kind = models.CharField(_("clock"), max_length=20, choices=ClockKind.choices)
    target_minutes = models.PositiveIntegerField(_("target (minutes)"))
    hours = models.CharField(_("counted in"), max_length=10, choices=Hours.choices, default=Hours.WORKING)
    warn_percent = models.PositiveSmallIntegerField(
        _("warn at per cent of the time"), null=True, blank=True,
        help_text=_("For example 75: warn when 75 per cent is used.")
    )
    warn_minutes_before = models.PositiveIntegerField(_("warn minutes before the deadline"), null=True, blank=True)
    notify_on_warning = models.JSONField(
        _("told on warning"), default=default_warning_roles, blank=True, validators=[validate_roles]
    )
    notify_on_breach = models.JSONField(
        _("told on breach"), default=default_breach_roles, blank=True, validators=[validate_roles]
    )
    pauses_when_waiting = models.BooleanField(_("waiting for the customer pauses the clock"), default=True)
    escalate_after_minutes = models.PositiveIntegerField(
        _("escalate to the unit manager after (minutes)"), null=True, blank=True,
        help_text=_("Still unmet this long after the breach: the unit manager is told."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["team", "service", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(team__isnull=False) & Q(service__isnull=True))
                | (Q(team__isnull=True) & Q(service__isnull=False)),
                name="commitment_team_or_service",
            ),
            models.CheckConstraint(
                condition=Q(warn_percent__isnull=True) | Q(warn_minutes_before__isnull=True),
                name="commitment_one_warning_rule",
            ),
            models.CheckConstraint(
                condition=Q(warn_percent__isnull=True) | Q(warn_percent__gte=1, warn_percent__lte=99),
                name="commitment_warn_percent_range",
            ),
            models.CheckConstraint(condition=Q(target_minutes__gte=1), name="commitment_target_positive"),
            models.UniqueConstraint(
                fields=["team", "kind"], condition=Q(team__isnull=False), name="one_team_commitment_per_clock"
            ),
            models.UniqueConstraint(
                fields=["service", "kind"], condition=Q(service__isnull=False), name="one_service_commitment_per_clock"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.target_minutes} min"

    @property
    def is_working_hours(self) -> bool:
        return self.hours == self.Hours.WORKING


class ClockState(models.TextChoices):
    RUNNING = "running", _("Running")
    PAUSED = "paused", _("Paused")
    MET = "met", _("Met")
    BREACHED = "breached", _("Breached")


class RequestClock(ChoiceLabels, models.Model):
    """One clock of one request. `next_check_at` is the next moment the sweep must look at it (null: never)."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="clocks")
    kind = models.CharField(max_length=20, choices=ClockKind.choices)
    commitment = models.ForeignKey(Commitment, on_delete=models.SET_NULL, null=True, blank=True, related_name="clocks")
    state = models.CharField(max_length=10, choices=ClockState.choices, default=ClockState.RUNNING)
    # Copied from the commitment when the clock starts, so editing a commitment never rewrites a running clock.
    working_hours = models.BooleanField(default=False)
    pauses_when_waiting = models.BooleanField(default=True)
    notify_on_warning = models.JSONField(default=list, blank=True)
    notify_on_breach = models.JSONField(default=list, blank=True)
    started_at = models.DateTimeField()
    deadline_at = models.DateTimeField()
    warn_at = models.DateTimeField(null=True, blank=True)
    escalate_at = models.DateTimeField(null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    paused_seconds = models.PositiveIntegerField(default=0)
    warned_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    met_at = models.DateTimeField(null=True, blank=True)
    next_check_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["request", "started_at", "pk"]
        indexes = [
            # The sweep reads only this: the few clocks with something still to do.
            models.Index(fields=["next_check_at"], condition=Q(next_check_at__isnull=False), name="clock_due"),
            models.Index(fields=["request", "kind"], name="clock_request_kind"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "kind"], condition=Q(state__in=["running", "paused"]), name="one_live_clock_per_kind"
            ),
        ]

    def __str__(self):
        return f"{self.request_id} {self.kind} {self.state}"

    @property
    def is_live(self) -> bool:
        return self.met_at is None and self.state in (ClockState.RUNNING, ClockState.PAUSED, ClockState.BREACHED)

    def compute_next_check(self):
        """The earliest moment something is still to be recorded for this clock."""
        if self.met_at is not None or self.state in (ClockState.MET, ClockState.PAUSED):
            return None
        if self.state == ClockState.BREACHED:
            return self.escalate_at if self.escalated_at is None else None
        if self.warn_at is not None and self.warned_at is None and self.warn_at < self.deadline_at:
            return self.warn_at
        return self.deadline_at


class OutcomeKind(models.TextChoices):
    WARNING = "warning", _("Warning")
    BREACH = "breach", _("Breach")
    ESCALATION = "escalation", _("Escalation")
    MET = "met", _("Met")


class TimerOutcome(models.Model):
    """What a clock came to. Unique per (request, clock, deadline, kind): a repeat writes nothing."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="timer_outcomes")
    clock = models.ForeignKey(RequestClock, on_delete=models.CASCADE, related_name="outcomes")
    clock_kind = models.CharField(max_length=20, choices=ClockKind.choices)
    deadline_at = models.DateTimeField()
    kind = models.CharField(max_length=12, choices=OutcomeKind.choices)
    # Where the request stood when this happened: dashboards count outcomes by team, service and site
    # without joining the requests (a breach belongs to the team that held the request then).
    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="timer_outcomes")
    service = models.ForeignKey("catalogue.Service", on_delete=models.SET_NULL, null=True, related_name="+")
    intake_site = models.ForeignKey("teams.Site", on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "clock_kind", "deadline_at", "kind"], name="one_outcome_per_deadline")
        ]
        indexes = [
            models.Index(fields=["team", "kind", "-created_at"], name="outcome_team_kind"),
            # Commitments kept in a period: read from this index alone.
            models.Index(fields=["deadline_at"], include=["kind", "clock_kind", "team", "service", "intake_site",
                                                          "created_at", "request"], name="outcome_deadline"),
        ]


class BreachReview(models.Model):
    """The team's short note on a missed commitment: what happened and what we change."""

    request = models.OneToOneField(ServiceRequest, on_delete=models.CASCADE, related_name="breach_review")
    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="breach_reviews")
    what_happened = models.TextField(_("what happened"))
    what_we_change = models.TextField(_("what we change"))
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-written_at"]


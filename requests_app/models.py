from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from catalogue.models import Channel


class Customer(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        ORGANISATION = "organisation", _("Organisation")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PERSON)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    business_id = models.CharField(_("business ID"), max_length=20, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES, default="fi")
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_from",
        verbose_name=_("merged into"),
    )
    merged_at = models.DateTimeField(_("merged"), null=True, blank=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["email"], name="customer_email"),
            models.Index(fields=["phone"], name="customer_phone"),
            models.Index(fields=["business_id"], name="customer_business_id"),
        ]

    def __str__(self):
        return self.name


class ReferenceCounter(models.Model):
    """The last request number given out in a year; references read SD-2026-000123."""

    year = models.PositiveIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)


class Status(models.TextChoices):
    NEW = "new", _("New")
    OPEN = "open", _("In progress")
    WAITING = "waiting", _("Waiting for customer")
    RESOLVED = "resolved", _("Resolved")


class CommitmentState(models.TextChoices):
    NONE = "none", _("No commitment")
    ON_TRACK = "on_track", _("On track")
    WARNING = "warning", _("Warning")
    BREACHED = "breached", _("Breached")
    MET = "met", _("Met")
    PAUSED = "paused", _("Paused")


class ServiceRequestQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=Status.RESOLVED)

    def visible_to(self, user):
        """Requests a person may open: their teams' work, their intakes and what they were assigned."""
        if user.is_superuser or user.has_perm("requests_app.view_all_requests"):
            return self
        return self.filter(
            Q(team__memberships__user=user) | Q(intake_owner=user) | Q(assignee=user)
        ).distinct()

    def for_list(self):
        """Everything a queue row shows, in one query."""
        return self.select_related("service", "team", "customer", "assignee", "intake_owner").only(
            "reference", "subject", "status", "channel", "created_at", "updated_at", "handoff_count",
            "commitment_state", "next_deadline_at", "resolved_at",
            "service__code", "service__name_fi", "service__name_sv", "service__name_en",
            "team__slug", "team__name",
            "customer__name", "customer__kind",
            "assignee__username", "assignee__first_name", "assignee__last_name",
            "intake_owner__username", "intake_owner__first_name", "intake_owner__last_name",
        )


    def queue_rows(self):
        """What a queue row shows, as plain named tuples: a queue page is rendered all shift long, and
        building fifty requests with five related objects each cost more than the query that read them."""
        return self.values_list(*QUEUE_COLUMNS, named=True)

    def history_rows(self):
        """What a customer's history shows of each request, as plain named tuples (as `queue_rows`)."""
        return self.values_list(*HISTORY_COLUMNS, named=True)


QUEUE_COLUMNS = (
    "pk", "reference", "subject", "status", "channel", "created_at", "handoff_count", "commitment_state",
    "next_deadline_at", "team_id", "assignee_id", "intake_owner_id", "service__name_fi", "service__name_sv",
    "service__name_en", "team__name", "customer_name", "assignee__username", "assignee__first_name",
    "assignee__last_name",
)
HISTORY_COLUMNS = (
    "pk", "reference", "created_at", "subject", "channel", "status", "handoff_count", "service__name_fi",
    "service__name_sv", "service__name_en", "team__name", "intake_site__name", "intake_owner__username",
    "intake_owner__first_name", "intake_owner__last_name", "assignee__username", "assignee__first_name",
    "assignee__last_name",
)


class ServiceRequest(models.Model):
    reference = models.CharField(_("reference"), max_length=30, unique=True)
    service = models.ForeignKey(
        "catalogue.Service", on_delete=models.PROTECT, related_name="requests", verbose_name=_("service")
    )
    team = models.ForeignKey("teams.Team", on_delete=models.PROTECT, related_name="requests", verbose_name=_("team"))
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="requests", verbose_name=_("customer"))
    # The customer's name, kept with the request (set at intake, renewed by a merge): the queue's free-text
    # search reads it from the row itself, without searching 200,000 customers first.
    customer_name = models.CharField(max_length=200, blank=True, default="", db_default="")
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    intake_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="intakes", verbose_name=_("intake owner")
    )
    intake_site = models.ForeignKey(
        "teams.Site", on_delete=models.SET_NULL, null=True, blank=True, related_name="intakes",
        verbose_name=_("intake site"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="assigned_requests", verbose_name=_("assignee"),
    )
    created_at = models.DateTimeField(_("logged"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    first_reply_at = models.DateTimeField(_("first reply"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    handoff_count = models.PositiveIntegerField(_("hand-offs"), default=0)
    # Kept current by the commitment clocks, so lists can filter and sort without joining them.
    commitment_state = models.CharField(
        _("commitment"), max_length=20, choices=CommitmentState.choices, default=CommitmentState.NONE
    )
    next_deadline_at = models.DateTimeField(_("next deadline"), null=True, blank=True)

    objects = ServiceRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [("view_all_requests", "Can see every request")]
        indexes = [
            models.Index(fields=["team", "status", "-created_at"], name="request_team_status"),
            models.Index(fields=["team", "-created_at"], name="request_team_created"),
            models.Index(fields=["assignee", "status"], name="request_assignee_status"),
            models.Index(fields=["intake_owner", "-created_at"], name="request_intake_owner"),
            models.Index(fields=["customer", "-created_at"], name="request_customer"),
            models.Index(fields=["service", "-created_at"], name="request_service"),
            models.Index(
                fields=["team", "next_deadline_at"], condition=~Q(status="resolved"), name="request_open_deadline"
            ),
            # "Breached" or "warning" in deadline order: the few open rows in that state, already sorted.
            models.Index(fields=["team", "commitment_state", "next_deadline_at"], condition=~Q(status="resolved"),
                         name="request_open_state_deadline"),
            # The default queue: a team's open requests by age, a few thousand among a million.
            models.Index(fields=["team", "created_at"], condition=~Q(status="resolved"), name="request_open_created"),
            # A site's open requests: without it the planner ANDed the site's 90,000 rows with the team's open ones.
            models.Index(fields=["intake_site", "created_at"], condition=~Q(status="resolved"), name="request_open_site"),
            # Dashboards: what came in and what was resolved in a period, by team, service, site and channel,
            # answered from these indexes alone.
            models.Index(fields=["created_at"], include=["team", "service", "intake_site", "channel", "first_reply_at"],
                         name="request_created_cover"),
            models.Index(fields=["resolved_at"], include=["created_at", "team", "service", "intake_site"],
                         condition=Q(resolved_at__isnull=False), name="request_resolved_cover"),
        ]

    def __str__(self):
        return self.reference

    @property
    def is_resolved(self) -> bool:
        return self.status == Status.RESOLVED


class CallbackRequest(models.Model):
    """A customer asked to be called back: the number and the window they prefer."""

    request = models.OneToOneField(ServiceRequest, on_delete=models.CASCADE, related_name="callback")
    phone = models.CharField(_("phone number"), max_length=40)
    window_start = models.DateTimeField(_("call between"))
    window_end = models.DateTimeField(_("and"))
    called_at = models.DateTimeField(_("called"), null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(window_start__lt=models.F("window_end")), name="callback_window_order")
        ]


class Event(models.TextChoices):
    LOGGED = "logged", _("Logged")
    CLAIMED = "claimed", _("Claimed")
    UNCLAIMED = "unclaimed", _("Released")
    ASSIGNED = "assigned", _("Assigned")
    HANDED_OFF = "handed_off", _("Handed off")
    REPLIED = "replied", _("Replied to customer")
    CUSTOMER_MESSAGE = "customer_message", _("Message from customer")
    NOTED = "noted", _("Internal note")
    WAITING = "waiting", _("Waiting for customer")
    RESUMED = "resumed", _("Resumed")
    CALLED_BACK = "called_back", _("Called back")
    RESOLVED = "resolved", _("Resolved")
    REOPENED = "reopened", _("Reopened")
    COMMITMENT_WARNING = "commitment_warning", _("Commitment warning")
    COMMITMENT_BREACHED = "commitment_breached", _("Commitment breached")
    COMMITMENT_MET = "commitment_met", _("Commitment met")
    ESCALATED = "escalated", _("Escalated")
    CUSTOMER_MERGED = "customer_merged", _("Customer records merged")


class TimelineEvent(models.Model):
    """Append-only history of a request: rows are written once and never changed."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(max_length=30, choices=Event.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(db_index=True)
    text = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["request", "created_at"], name="timeline_request")]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Timeline events are append-only.")
        super().save(*args, **kwargs)

    @classmethod
    def record(cls, request, kind, *, actor=None, at, text="", **data) -> "TimelineEvent":
        return cls.objects.create(request=request, kind=kind, actor=actor, created_at=at, text=text, data=data)


class Message(models.Model):
    """What was said to or by the customer."""

    class Direction(models.TextChoices):
        OUTGOING = "out", _("To customer")
        INCOMING = "in", _("From customer")

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=3, choices=Direction.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    body = models.TextField()
    to_email = models.EmailField(blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    # Delivery is a due row, like a clock: the sweep hands on whatever is due and unsent, so a lost task or
    # a mail server that is down delays a reply but never loses it. Null: nothing more to try.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # Defaults in the database too: bulk loaders (bench/generate.py) write messages without these columns.
    send_attempts = models.PositiveSmallIntegerField(default=0, db_default=0)
    send_error = models.CharField(max_length=300, blank=True, default="", db_default="")

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(sent_at__isnull=True, next_attempt_at__isnull=False),
                         name="message_delivery_due"),
        ]

    @property
    def is_undelivered(self) -> bool:
        return self.direction == self.Direction.OUTGOING and self.sent_at is None and bool(self.to_email)


class Handoff(models.Model):
    """A request passed from one service (and team) to another, with the reason why."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="handoffs")
    from_service = models.ForeignKey("catalogue.Service", on_delete=models.PROTECT, related_name="+")
    to_service = models.ForeignKey("catalogue.Service", on_delete=models.PROTECT, related_name="+")
    from_team = models.ForeignKey("teams.Team", on_delete=models.PROTECT, related_name="handoffs_out")
    to_team = models.ForeignKey("teams.Team", on_delete=models.PROTECT, related_name="handoffs_in")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField()
    # Where the request was taken in, so a site's dashboard counts its hand-offs without joining requests.
    intake_site = models.ForeignKey("teams.Site", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["from_team", "to_team", "created_at"], name="handoff_teams"),
            models.Index(fields=["intake_site", "created_at"], name="handoff_site"),
        ]


# --- Commitments and their clocks -------------------------------------------------------------------------


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


class RequestClock(models.Model):
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


class Notification(models.Model):
    """In-app notice to one person; e-mailed after commit (emailed_at set once handled)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="notifications")
    outcome = models.ForeignKey(TimerOutcome, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications")
    title = models.CharField(max_length=200)
    text = models.TextField(blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "outcome"], name="one_notification_per_outcome")
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], condition=Q(read_at__isnull=True), name="notification_unread"),
            models.Index(fields=["created_at"], condition=Q(emailed_at__isnull=True), name="notification_unmailed"),
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


# --- Dashboard figures ---------------------------------------------------------------------------------------

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

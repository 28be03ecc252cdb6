"""A request, its timeline, its conversation, its hand-offs and its callback."""

import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from catalogue.models import Channel
from servicedesk.choices import ChoiceLabels
from servicedesk.languages import LANGUAGES, in_every_language, in_reading_order

from .customers import Customer


class ReferenceCounter(models.Model):
    """The last request number given out in a year; references read SD-2026-000123."""

    year = models.PositiveIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)


def reference_pattern() -> re.Pattern:
    """A reference as the desk gives them out, in any case and not inside a longer word: the find box, the
    queue's text filter and a mail's subject read it alike."""
    return re.compile(rf"(?<!\w){re.escape(settings.DESK_REFERENCE_PREFIX)}-\d{{4}}-\d{{6}}(?!\w)", re.IGNORECASE)


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

    def locked(self, request_id: int) -> "ServiceRequest":
        """The request under a no-key row lock, with its team: how every operation on a request begins."""
        return self.select_for_update(no_key=True).select_related("team").get(pk=request_id)

    def for_page(self):
        """One request with everything its page shows of the related rows, and nothing it does not: the
        service's search columns and descriptions and the team's charter are most of the row's width."""
        return self.select_related(
            "service__area", "team", "customer", "assignee", "intake_owner", "intake_site",
        ).annotate(follow_up_reference=models.F("follow_up_of__reference")).defer(
            "service__search_vector", "service__search_names", "service__search_text", "service__keywords", "service__partners",
            "service__description_fi", "service__description_sv", "service__description_en",
            "service__area__description_fi", "service__area__description_sv", "service__area__description_en",
            "service__public_web_form", "service__retention_months", "service__acknowledge_by_mail",
            "service__resolution_notice_by_mail", "service__retired_at", "service__created_at", "service__updated_at",
            "service__channels", "service__owning_team_id", "service__area__position",
            *(f"team__{text}_{language}" for text in ("description", "charter_roles", "charter_rules", "charter_decisions")
              for language in LANGUAGES),
            "team__calendar_id", "team__escalation_contact_id", "team__reopen_days",
            "customer__merged_at", "customer__merged_by_id", "customer__created_at",
            "intake_site__city", "intake_site__address", "intake_site__calendar_id",
            # Of the people, the names the page shows.
            *(f"{person}__{field}" for person in ("assignee", "intake_owner") for field in (
                "password", "last_login", "is_superuser", "email", "is_staff", "is_active", "date_joined",
                "home_unit_id", "home_site_id", "title", "phone")),
        )

    def for_list(self):
        """Everything a queue row shows, in one query."""
        return self.select_related("service", "team", "customer", "assignee", "intake_owner").only(
            "reference", "subject", "status", "channel", "created_at", "updated_at", "handoff_count",
            "commitment_state", "next_deadline_at", "resolved_at",
            "service__code", "service__name_fi", "service__name_sv", "service__name_en",
            "team__slug", "team__name_fi", "team__name_sv", "team__name_en",
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
    "next_deadline_at", "customer_replied_at", "team_id", "assignee_id", "intake_owner_id", "service__name_fi", "service__name_sv",
    "service__name_en", "team__name_fi", "team__name_sv", "team__name_en", "customer_name", "assignee__username", "assignee__first_name",
    "assignee__last_name",
)
HISTORY_COLUMNS = (
    "pk", "reference", "created_at", "subject", "channel", "status", "handoff_count", "service__name_fi",
    "service__name_sv", "service__name_en", "team__name_fi", "team__name_sv", "team__name_en", "intake_site__name_fi", "intake_site__name_sv",
    "intake_site__name_en", "intake_owner__username",
    "intake_owner__first_name", "intake_owner__last_name", "assignee__username", "assignee__first_name",
    "assignee__last_name",
)


class ServiceRequest(ChoiceLabels, models.Model):
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
    # Null when the request came in by itself (an e-mail to a team's mailbox, the public web form).
    intake_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="intakes",
        verbose_name=_("intake owner"),
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
    # Set by a customer's message, cleared by the answer: "customer replied" in the queue.
    customer_replied_at = models.DateTimeField(_("customer replied"), null=True, blank=True)
    # Where mail to the customer goes: the address the request was logged with, until the team confirms the
    # customer record's new one (a merge must not send a reply to someone else's address).
    reply_to = models.EmailField(_("replies go to"), blank=True, default="", db_default="")
    # When its personal data was removed (retention or erasure); what and where stay for the figures.
    anonymised_at = models.DateTimeField(_("personal data removed"), null=True, blank=True)
    # A message on a request resolved too long ago to reopen opens a new one, linked to the old.
    follow_up_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="follow_ups",
        verbose_name=_("follow-up of"),
    )

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
    ANSWERED = "answered", _("Answered without mail")
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
    CUSTOMER_UNMERGED = "customer_unmerged", _("Customer records separated again")
    REPLY_ADDRESS_CHANGED = "reply_address_changed", _("Reply address changed")
    PERSONAL_DATA_REMOVED = "personal_data_removed", _("Personal data removed")
    FILES_ADDED = "files_added", _("Files added")
    STATUS_LINKS_REVOKED = "links_revoked", _("Status links revoked")


class TimelineEvent(ChoiceLabels, models.Model):
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

    @property
    def shown_text(self) -> str:
        """The text in the reader's language where the desk wrote it in all three (`data["texts"]`: timer
        outcomes and the desk's own words), otherwise as written."""
        texts = self.data.get("texts") if isinstance(self.data, dict) else None
        return (in_reading_order(texts) if isinstance(texts, dict) else "") or self.text

    @classmethod
    def record(cls, request, kind, *, actor=None, at, text="", **data) -> "TimelineEvent":
        """`text` is what a person wrote, or the desk's own words: a function wording them (called in each
        language), or texts already worded by language (`in_every_language`, for many events at once). Those
        are kept in every language and read in the reader's."""
        if callable(text):
            text = in_every_language(text)
        if isinstance(text, dict):
            data["texts"], text = text, in_reading_order(text)
        return cls.objects.create(request=request, kind=kind, actor=actor, created_at=at, text=text, data=data)


class Contact(models.TextChoices):
    """How something was said: a customer's message came, or an answer was given, this way."""

    EMAIL = "email", _("E-mail")
    WEB = "web", _("Web form")
    PHONE = "phone", _("Phone")
    VISIT = "visit", _("In person")
    LETTER = "letter", _("Letter")


class Message(ChoiceLabels, models.Model):
    """What was said to or by the customer."""

    class Direction(models.TextChoices):
        OUTGOING = "out", _("To customer")
        INCOMING = "in", _("From customer")

    class Purpose(models.TextChoices):
        REPLY = "reply", _("Reply")
        ACKNOWLEDGEMENT = "acknowledgement", _("Acknowledgement")
        RESOLUTION = "resolution", _("Resolution notice")
        STATUS_LINK = "status_link", _("Status link")

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=3, choices=Direction.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    channel = models.CharField(max_length=10, choices=Contact.choices, default=Contact.EMAIL, db_default="email")
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.REPLY, db_default="reply")
    # What people read: for mail, the new text with quoted history and signature folded away ...
    body = models.TextField()
    # ... and the whole of it, and a mail's HTML made safe, kept beside it.
    full_text = models.TextField(blank=True, default="", db_default="")
    html = models.TextField(blank=True, default="", db_default="")
    attachments = models.JSONField(default=list, blank=True, db_default=models.Value("[]"))
    # The Message-ID this mail went out with, or came in with: what a customer's answer names to find its request.
    mail_id = models.CharField(max_length=300, null=True, blank=True, unique=True)
    to_email = models.EmailField(blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    # Delivery is a due row, like a clock: the sweep hands on whatever is due and unsent, so a lost task or
    # a mail server that is down delays a reply but never loses it. Null: nothing more to try.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # Defaults in the database too: bulk loaders (bench/generate.py) write messages without these columns.
    send_attempts = models.PositiveSmallIntegerField(default=0, db_default=0)
    send_error = models.CharField(max_length=300, blank=True, default="", db_default="")
    # Set, and committed, just before the mail server is spoken to; cleared with the result.
    sending_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(sent_at__isnull=True, next_attempt_at__isnull=False),
                         name="message_delivery_due"),
        ]

    @property
    def is_undelivered(self) -> bool:
        return self.is_mail_out and self.sent_at is None

    @property
    def is_mail_out(self) -> bool:
        return self.direction == self.Direction.OUTGOING and self.channel == Contact.EMAIL and bool(self.to_email)


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


from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.dispatch import Signal
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from servicedesk.languages import translated

# Several paragraphs, as real service descriptions have; far below what the search columns can hold.
DESCRIPTION_LIMIT = 20_000


class Channel(models.TextChoices):
    DESK = "desk", _("Service desk")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    WEB = "web", _("Web form")
    CALLBACK = "callback", _("Callback request")


class TranslatedName(models.Model):
    name_fi = models.CharField(_("name (Finnish)"), max_length=200)
    name_sv = models.CharField(_("name (Swedish)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        return translated(self, "name")

    def __str__(self):
        return self.name


class ServiceArea(TranslatedName):
    code = models.SlugField(_("identifier"), max_length=80, unique=True)
    description_fi = models.TextField(_("description (Finnish)"), blank=True, max_length=DESCRIPTION_LIMIT)
    description_sv = models.TextField(_("description (Swedish)"), blank=True, max_length=DESCRIPTION_LIMIT)
    description_en = models.TextField(_("description (English)"), blank=True, max_length=DESCRIPTION_LIMIT)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name_fi"]

    @property
    def description(self) -> str:
        return translated(self, "description")


class CustomerGroup(TranslatedName):
    code = models.SlugField(_("identifier"), max_length=80, unique=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name_fi"]


class ServiceQuerySet(models.QuerySet):
    def offered(self):
        """Services open for new requests."""
        return self.filter(retired_at__isnull=True)


class Service(TranslatedName):
    code = models.SlugField(_("identifier"), max_length=80, unique=True)
    area = models.ForeignKey(ServiceArea, on_delete=models.PROTECT, related_name="services", verbose_name=_("service area"))
    customer_groups = models.ManyToManyField(
        CustomerGroup, blank=True, related_name="services", verbose_name=_("customer groups")
    )
    description_fi = models.TextField(_("description (Finnish)"), blank=True, max_length=DESCRIPTION_LIMIT)
    description_sv = models.TextField(_("description (Swedish)"), blank=True, max_length=DESCRIPTION_LIMIT)
    description_en = models.TextField(_("description (English)"), blank=True, max_length=DESCRIPTION_LIMIT)
    keywords = models.TextField(
        _("keywords"), blank=True, help_text=_("Everyday words and synonyms customers use, separated by commas.")
    )
    owning_team = models.ForeignKey(
        "teams.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_services",
        verbose_name=_("owning team"),
    )
    contributing_units = models.ManyToManyField(
        "teams.Unit", blank=True, related_name="contributed_services", verbose_name=_("contributing units")
    )
    partners = models.TextField(_("external partners"), blank=True, help_text=_("One partner per line."))
    channels = models.JSONField(_("channels"), default=list, blank=True)
    promise_fi = models.CharField(_("service promise (Finnish)"), max_length=300, blank=True)
    promise_sv = models.CharField(_("service promise (Swedish)"), max_length=300, blank=True)
    promise_en = models.CharField(_("service promise (English)"), max_length=300, blank=True)
    public_web_form = models.BooleanField(_("can be requested on the public web form"), default=False)
    # How long a resolved request keeps its personal data (then it is anonymised; its figures stay).
    retention_months = models.PositiveSmallIntegerField(
        _("personal data kept (months after resolution)"), default=24,
        validators=[MinValueValidator(1), MaxValueValidator(600)])
    acknowledge_by_mail = models.BooleanField(
        _("mail the customer an acknowledgement"), default=True,
        help_text=_("When a request is logged: its reference, the promise and how to answer."))
    resolution_notice_by_mail = models.BooleanField(
        _("mail the customer the resolution"), default=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Kept by a PostgreSQL trigger (migrations 0004, 0008): weighted words in Finnish, Swedish, English and
    # as typed (names and keywords alone, and with the descriptions), and the unaccented names and keywords
    # for trigram matching. Unused on SQLite; pages leave them unread (SEARCH_FIELDS).
    search_vector = SearchVectorField(null=True, blank=True, editable=False)
    search_names = SearchVectorField(null=True, blank=True, editable=False)
    search_text = models.TextField(blank=True, default="", editable=False)
    SEARCH_FIELDS = ("search_vector", "search_names", "search_text")

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["name_fi"]
        indexes = [models.Index(fields=["owning_team"], condition=Q(retired_at__isnull=True), name="offered_by_team")]
        permissions = [("maintain_catalogue", "Can maintain the service catalogue")]

    def clean(self):
        # One spelling for lists kept as text, so comparisons and exports are stable.
        self.keywords = ", ".join(self.keyword_list)
        self.partners = "\n".join(self.partner_list)
        unknown = [c for c in self.channels or [] if c not in Channel.values]
        if not isinstance(self.channels, list) or unknown:
            raise ValidationError(
                {"channels": _("Unknown channel: %(channels)s.") % {"channels": ", ".join(map(str, unknown))}}
            )
        if len(set(self.channels)) != len(self.channels):
            raise ValidationError({"channels": _("Each channel may be listed once.")})

    @property
    def description(self) -> str:
        return translated(self, "description")

    @property
    def promise(self) -> str:
        return translated(self, "promise")

    @property
    def is_offered(self) -> bool:
        return self.retired_at is None

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.split(",") if k.strip()]

    @property
    def partner_list(self) -> list[str]:
        return [p.strip() for p in self.partners.splitlines() if p.strip()]

    def get_absolute_url(self) -> str:
        return reverse("catalogue:service", args=[self.code])

    def get_channels_display(self) -> list[str]:
        labels = dict(Channel.choices)
        return [str(labels.get(c, c)) for c in self.channels]


class UnitTask(models.Model):
    """A task a unit does, mapped to the services it is part of."""

    unit = models.ForeignKey("teams.Unit", on_delete=models.CASCADE, related_name="tasks", verbose_name=_("unit"))
    code = models.SlugField(_("identifier"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=DESCRIPTION_LIMIT)
    services = models.ManyToManyField(Service, blank=True, related_name="unit_tasks", verbose_name=_("services"))

    class Meta:
        ordering = ["unit", "name"]

    def __str__(self):
        return self.name


# Sent after an import wrote its changes in bulk (no post_save per row): by, and how many changes.
catalogue_imported = Signal()


class CatalogueChange(models.Model):
    """Who changed what in the catalogue, and when; shown on the service page."""

    changed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, null=True, blank=True, related_name="changes")
    object_type = models.CharField(max_length=40)
    object_code = models.CharField(max_length=80)
    action = models.CharField(max_length=20)
    summary = models.CharField(max_length=300)
    diff = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.object_type} {self.object_code}: {self.action} · {self.summary}"

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from servicedesk.languages import translated_property


class Calendar(models.Model):
    """Working hours per weekday, Finnish public holidays and a site's own closure days."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    holiday_country = models.CharField(_("public holidays of"), max_length=2, default="FI")
    is_default = models.BooleanField(_("shared default"), default=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True), name="one_default_calendar")
        ]

    def __str__(self):
        return self.name


class WorkingHours(models.Model):
    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="working_hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        ordering = ["calendar", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(condition=Q(opens__lt=models.F("closes")), name="working_hours_open_before_close")
        ]


class ClosureDay(models.Model):
    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="closure_days")
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["calendar", "date"], name="one_closure_per_calendar_day")]


class Site(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    # Finnish (required) and, for the bilingual and English-speaking, Swedish and English; `name` reads the
    # reader's language (translated_property), as for teams and services.
    name_fi = models.CharField(_("name (Finnish)"), max_length=150)
    name_sv = models.CharField(_("name (Swedish)"), max_length=150, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    calendar = models.ForeignKey(Calendar, on_delete=models.PROTECT, null=True, blank=True, related_name="sites")

    name = translated_property("name")

    class Meta:
        ordering = ["name_fi"]

    def __str__(self):
        return self.name


class Unit(models.Model):
    """An administrative unit; units form a tree (a unit may have sub-units)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_fi = models.CharField(_("name (Finnish)"), max_length=150)
    name_sv = models.CharField(_("name (Swedish)"), max_length=150, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent unit")
    )
    manager = models.ForeignKey(
        "teams.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="managed_units"
    )
    sites = models.ManyToManyField(Site, blank=True, related_name="units")

    name = translated_property("name")

    class Meta:
        ordering = ["name_fi"]

    def __str__(self):
        return self.name

    def descendant_ids(self) -> list[int]:
        """This unit and every unit below it (the tree is a handful of levels deep)."""
        ids, frontier = [self.pk], [self.pk]
        while frontier:
            frontier = list(Unit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
            ids.extend(frontier)
        return ids


class User(AbstractUser):
    home_unit = models.ForeignKey(Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="people")
    home_site = models.ForeignKey(Site, on_delete=models.SET_NULL, null=True, blank=True, related_name="people")
    title = models.CharField(_("title"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # The language the person last chose or signed in with: their notifications are mailed in it.
    language = models.CharField(_("language"), max_length=2, blank=True, default="",
                                choices=[("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))])

    class Meta:
        ordering = ["first_name", "last_name", "username"]

    def __str__(self):
        return self.get_full_name() or self.username


class Team(models.Model):
    """A self-organising service team; it may span units and sites and include external partners."""

    slug = models.SlugField(_("code"), max_length=60, unique=True)
    # In Finnish (required), Swedish and English, like services; `name`, `description` and the charter's
    # texts read in the reader's language (translated_property).
    name_fi = models.CharField(_("name (Finnish)"), max_length=150)
    name_sv = models.CharField(_("name (Swedish)"), max_length=150, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    description_fi = models.TextField(_("description (Finnish)"), blank=True)
    description_sv = models.TextField(_("description (Swedish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    units = models.ManyToManyField(Unit, blank=True, related_name="teams", verbose_name=_("units"))
    sites = models.ManyToManyField(Site, blank=True, related_name="teams", verbose_name=_("sites"))
    email = models.EmailField(_("team e-mail"), blank=True)
    calendar = models.ForeignKey(
        Calendar, on_delete=models.PROTECT, null=True, blank=True, related_name="teams", verbose_name=_("calendar")
    )
    # The charter: the team's own words on how it works.
    charter_roles_fi = models.TextField(_("roles (Finnish)"), blank=True)
    charter_roles_sv = models.TextField(_("roles (Swedish)"), blank=True)
    charter_roles_en = models.TextField(_("roles (English)"), blank=True)
    charter_rules_fi = models.TextField(_("rules (Finnish)"), blank=True)
    charter_rules_sv = models.TextField(_("rules (Swedish)"), blank=True)
    charter_rules_en = models.TextField(_("rules (English)"), blank=True)
    charter_decisions_fi = models.TextField(_("what a member may decide alone (Finnish)"), blank=True)
    charter_decisions_sv = models.TextField(_("what a member may decide alone (Swedish)"), blank=True)
    charter_decisions_en = models.TextField(_("what a member may decide alone (English)"), blank=True)
    escalation_contact = models.ForeignKey(
        "teams.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("escalation contact"),
        help_text=_("Told when a commitment is breached; the team lead when empty."),
    )
    reopen_days = models.PositiveSmallIntegerField(
        _("reopen window (days)"), default=14,
        help_text=_("A customer's message this many days after resolution reopens the request; later, it opens a "
                    "follow-up request."),
    )
    members = models.ManyToManyField(User, through="Membership", related_name="teams")

    TRANSLATED = ("name", "description", "charter_roles", "charter_rules", "charter_decisions")
    name = translated_property("name")
    description = translated_property("description")
    charter_roles = translated_property("charter_roles")
    charter_rules = translated_property("charter_rules")
    charter_decisions = translated_property("charter_decisions")

    class Meta:
        ordering = ["name_fi"]

    def __str__(self):
        return self.name

    def has_member(self, user) -> bool:
        return user.is_authenticated and self.memberships.filter(user=user).exists()

    def is_lead(self, user) -> bool:
        return user.is_authenticated and self.memberships.filter(user=user, role=Membership.Role.LEAD).exists()

    @property
    def leads(self):
        return User.objects.filter(memberships__team=self, memberships__role=Membership.Role.LEAD)


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        LEAD = "lead", _("Team lead")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    external_partner = models.CharField(
        _("external partner"), max_length=150, blank=True, help_text=_("The partner organisation, for external members.")
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["team", "role", "user"]
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="one_membership_per_team")]

    def __str__(self):
        return f"{self.user} @ {self.team}"


class TeamChange(models.Model):
    """What changed in a team and who changed it: charter edits, people joining, leaving, changing role."""

    class Kind(models.TextChoices):
        CHARTER = "charter", _("Charter changed")
        JOINED = "joined", _("Joined")
        ROLE = "role", _("Role changed")
        LEFT = "left", _("Left")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    person = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    text = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["team", "-created_at"], name="teamchange_team")]


class ApiToken(models.Model):
    """One integration's key to the API. Only the key's SHA-256 is kept (the key is shown once, when made);
    it acts as `user`, limited to reading unless `can_write`, and to `teams` when any are named."""

    name = models.CharField(_("integration"), max_length=100)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("acts as"))
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12, help_text=_("The key's first characters, to tell keys apart."))
    can_write = models.BooleanField(_("may change requests"), default=False)
    teams = models.ManyToManyField(Team, blank=True, related_name="+", verbose_name=_("only these teams"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

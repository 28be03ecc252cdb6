import datetime as dt

import django_filters
from django import forms
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from catalogue.models import Channel, CustomerGroup, Service, ServiceArea
from teams.models import Site, Team, Unit, User

from ..commitments import deadlines
from ..commitments.calendars import load_calendar
from ..models import (
    ClockKind,
    CommitmentState,
    Handoff,
    OutcomeKind,
    ServiceRequest,
    Status,
    TimerOutcome,
    access,
    reference_pattern,
)
from ..requests.paging import BY_DEADLINE, NEWEST, OLDEST, Ordering

ANY_STATUS = "all"
ALL_TEAMS = "all"
OPTION_LISTS = ("assigned_to", "service", "area", "customer_group", "site")
OPTION_LISTS_SECONDS = 60

ASSIGNEE_CHOICES = [("none", _("Unclaimed")), ("me", _("Claimed by me")), ("anyone", _("Claimed by anyone"))]
SORT_CHOICES = [
    ("deadline", _("Next deadline first")),
    ("oldest", _("Oldest first")),
    ("newest", _("Newest first")),
]
COMMITMENT_CHOICES = [
    (CommitmentState.ON_TRACK, CommitmentState.ON_TRACK.label),
    (CommitmentState.WARNING, CommitmentState.WARNING.label),
    (CommitmentState.BREACHED, CommitmentState.BREACHED.label),
    (CommitmentState.PAUSED, CommitmentState.PAUSED.label),
]


MAX_DAYS = 36_500  # a century: any age a request can have, and no date arithmetic overflows


class DayField(forms.DateField):
    """A day the desk can count from: between 1900 and 2999, so a day after it, or midnight of it in any time
    zone, is still a date (Python's dates end in 9999 and begin in year 1)."""

    FIRST, LAST = dt.date(1900, 1, 1), dt.date(2999, 12, 31)

    def validate(self, value):
        super().validate(value)
        if value and not self.FIRST <= value <= self.LAST:
            raise forms.ValidationError(_("Give a date between 1900 and 2999."), code="out_of_range")


class DayFilter(django_filters.DateFilter):
    field_class = DayField


class QueueFilter(django_filters.FilterSet):
    """Everything a queue can be narrowed by; the names are the URL's, so a view can be bookmarked and shared."""

    q = django_filters.CharFilter(method="filter_text", label=_("Search"),
                                  widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Reference, customer or subject")}))
    status = django_filters.ChoiceFilter(choices=[*Status.choices, (ANY_STATUS, _("Any status"))],
                                         method="filter_status", label=_("Status"), empty_label=_("Any open"))
    assignee = django_filters.ChoiceFilter(choices=ASSIGNEE_CHOICES, method="filter_assignee", label=_("Assignee"),
                                           empty_label=_("Anyone or nobody"))
    assigned_to = django_filters.ModelChoiceFilter(field_name="assignee", queryset=User.objects.all(),
                                                   label=_("Assigned to"), empty_label=_("Anyone"))
    commitment = django_filters.ChoiceFilter(field_name="commitment_state", choices=COMMITMENT_CHOICES,
                                             label=_("Commitment"), empty_label=_("All commitment states"))
    service = django_filters.ModelChoiceFilter(queryset=Service.objects.all(), label=_("Service"),
                                               empty_label=_("All services"))
    area = django_filters.ModelChoiceFilter(field_name="service__area", queryset=ServiceArea.objects.all(),
                                            label=_("Service area"), empty_label=_("All areas"))
    customer_group = django_filters.ModelChoiceFilter(method="filter_customer_group",
                                                      queryset=CustomerGroup.objects.all(), label=_("Customer group"),
                                                      empty_label=_("All customer groups"))
    site = django_filters.ModelChoiceFilter(field_name="intake_site", queryset=Site.objects.all(), label=_("Site"),
                                            empty_label=_("All sites"))
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=_("Channel"), empty_label=_("All channels"))
    customer_replied = django_filters.BooleanFilter(method="filter_customer_replied", label=_("Customer replied"),
                                                    widget=forms.CheckboxInput)
    older_than = django_filters.NumberFilter(method="filter_older_than", label=_("Older than (days)"), min_value=0,
                                             max_value=MAX_DAYS)
    older_than_working_days = django_filters.NumberFilter(
        method="filter_older_than_working_days", label=_("Older than (working days)"), min_value=0, max_value=250,
    )
    created_after = DayFilter(method="filter_created_after", label=_("Logged from"),
                                              widget=forms.DateInput(attrs={"type": "date"}))
    created_before = DayFilter(method="filter_created_before", label=_("Logged until"),
                                               widget=forms.DateInput(attrs={"type": "date"}))
    # The order is applied by the page (keyset pagination needs to know it), not here.
    # Deadline order unless asked otherwise: the order the teams' charters work in.
    sort = django_filters.ChoiceFilter(choices=SORT_CHOICES, method="keep", label=_("Sort"), empty_label=None)

    class Meta:
        model = ServiceRequest
        fields = []

    def __init__(self, *args, teams=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.teams = user, teams
        if teams is not None:
            self.filters["service"].queryset = Service.objects.filter(owning_team__in=teams).order_by("name_fi")
            self.filters["assigned_to"].queryset = User.objects.filter(memberships__team__in=teams).distinct()
        self._use_cached_option_lists(teams)

    def _use_cached_option_lists(self, teams) -> None:
        """The option lists (services, people, areas, groups, sites) change seldom but were five queries on
        every queue page and every 30-second refresh: they are kept for a minute. Validating a chosen value
        still reads the database, so a stale list can offer something gone, never accept it."""
        key = "queue-options:{}:{}".format(
            ",".join(str(team.pk) for team in teams) if teams is not None else "all", get_language())

        def build():
            lists = {}
            for name in OPTION_LISTS:
                field = self.filters[name].field
                lists[name] = [(str(value), str(label)) for value, label in field.choices]
            return lists

        for name, choices in cache.get_or_set(key, build, OPTION_LISTS_SECONDS).items():
            self.form.fields[name].widget.choices = choices  # what is shown; the queryset still validates

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.open()
        return super().filter_queryset(queryset)

    def filter_status(self, queryset, name, value):
        return queryset if value == ANY_STATUS else queryset.filter(status=value)

    @property
    def ordering(self) -> Ordering:
        sort = (self.form.cleaned_data.get("sort") if self.is_bound and self.is_valid() else None) or "deadline"
        if sort == "deadline":
            # Resolved and waiting requests have no running deadline: for them the order is the age.
            status = self.form.cleaned_data.get("status")
            return OLDEST if status in (Status.RESOLVED, Status.WAITING) else BY_DEADLINE
        return OLDEST if sort == "oldest" else NEWEST

    def keep(self, queryset, name, value):
        return queryset

    def filter_text(self, queryset, name, value):
        """A reference finds that request; other words are looked for in the subject and the customer's name,
        both on the request's own row (each with a trigram index, for searches across many teams)."""
        value = value.strip()
        if not value:
            return queryset
        if reference_pattern().fullmatch(value):
            return queryset.filter(reference=value.upper())
        # Only among the requests this person may open: matching another team's hidden subject or customer
        # would tell, a letter at a time, what the row does not show.
        return queryset.filter(Q(subject__icontains=value) | Q(customer_name__icontains=value),
                               pk__in=access.openable_requests(self.user).values("pk"))

    def filter_customer_replied(self, queryset, name, value):
        return queryset.filter(customer_replied_at__isnull=False) if value else queryset

    def filter_customer_group(self, queryset, name, value):
        return queryset.filter(service__in=Service.objects.filter(customer_groups=value).values("pk"))

    def filter_created_after(self, queryset, name, value):
        return queryset.filter(created_at__gte=_start_of(value))

    def filter_created_before(self, queryset, name, value):
        return queryset.filter(created_at__lt=_start_of(value + dt.timedelta(days=1)))

    def filter_assignee(self, queryset, name, value):
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        if value == "me":
            return queryset.filter(assignee=self.user)
        return queryset.filter(assignee__isnull=False)

    def filter_older_than_working_days(self, queryset, name, value):
        """Counted on the team's calendar (the shared default for a combined queue): weekends and public
        holidays do not age a request."""

        calendar = load_calendar(team=self.teams[0] if self.teams and len(self.teams) == 1 else None)
        return queryset.filter(created_at__lt=deadlines.working_days_before(timezone.now(), int(value), calendar))

    def filter_older_than(self, queryset, name, value):
        return queryset.filter(created_at__lt=timezone.now() - dt.timedelta(days=float(value)))


class FigureFilter(QueueFilter):
    """The queue with the filters a dashboard figure links with as well (and the API, which offers every
    filter). A separate class because the queue is rendered all shift long and copying thirteen more filters
    and form fields on every page cost more than its query."""

    # Kept in the URL and in hidden fields, not shown as controls.
    unit = django_filters.ModelChoiceFilter(queryset=Unit.objects.all(), method="filter_unit", label=_("Unit"))
    in_team = django_filters.ModelChoiceFilter(queryset=Team.objects.all(), to_field_name="slug",
                                               field_name="team", label=_("Team"))
    newer_than = django_filters.NumberFilter(method="filter_newer_than", label=_("Newer than (days)"), min_value=0,
                                             max_value=MAX_DAYS)
    replied = django_filters.BooleanFilter(field_name="first_reply_at", lookup_expr="isnull", exclude=True,
                                           label=_("Replied to"))
    resolved_after = DayFilter(method="filter_resolved_after", label=_("Resolved from"))
    resolved_before = DayFilter(method="filter_resolved_before", label=_("Resolved until"))
    clock = django_filters.ChoiceFilter(choices=ClockKind.choices, method="keep", label=_("Clock"))
    breached_after = DayFilter(method="keep", label=_("Breached from"))
    breached_before = DayFilter(method="keep", label=_("Breached until"))
    handoff_from = django_filters.ModelChoiceFilter(queryset=Team.objects.all(), to_field_name="slug",
                                                    method="keep", label=_("Handed off by"))
    handoff_to = django_filters.ModelChoiceFilter(queryset=Team.objects.all(), to_field_name="slug",
                                                  method="keep", label=_("Handed off to"))
    handed_off_after = DayFilter(method="keep", label=_("Handed off from"))
    handed_off_before = DayFilter(method="keep", label=_("Handed off until"))

    def filter_queryset(self, queryset):
        return self._breached(self._handed_off(super().filter_queryset(queryset)))

    def filter_unit(self, queryset, name, value):
        return queryset.filter(team__in=Team.objects.filter(units__in=value.descendant_ids()).values("pk"))

    def filter_newer_than(self, queryset, name, value):
        return queryset.filter(created_at__gt=timezone.now() - dt.timedelta(days=float(value)))

    def filter_resolved_after(self, queryset, name, value):
        return queryset.filter(resolved_at__gte=_start_of(value))

    def filter_resolved_before(self, queryset, name, value):
        return queryset.filter(resolved_at__lt=_start_of(value + dt.timedelta(days=1)))

    def _breached(self, queryset):
        """Requests with a breach whose deadline fell in the dates given (of one clock, if given)."""
        data = self.form.cleaned_data
        if not (data.get("breached_after") or data.get("breached_before")):
            return queryset
        outcomes = TimerOutcome.objects.filter(kind=OutcomeKind.BREACH)
        if data.get("breached_after"):
            outcomes = outcomes.filter(deadline_at__gte=_start_of(data["breached_after"]))
        if data.get("breached_before"):
            outcomes = outcomes.filter(deadline_at__lt=_start_of(data["breached_before"] + dt.timedelta(days=1)))
        if data.get("clock"):
            outcomes = outcomes.filter(clock_kind=data["clock"])
        return queryset.filter(pk__in=outcomes.values("request_id"))

    def _handed_off(self, queryset):
        """Requests handed off between two teams (either may be left open) in the dates given."""
        data = self.form.cleaned_data
        wanted = {key: data.get(key) for key in ("handoff_from", "handoff_to", "handed_off_after", "handed_off_before")}
        if not any(wanted.values()):
            return queryset
        moves = Handoff.objects.all()
        if wanted["handoff_from"]:
            moves = moves.filter(from_team=wanted["handoff_from"])
        if wanted["handoff_to"]:
            moves = moves.filter(to_team=wanted["handoff_to"])
        if wanted["handed_off_after"]:
            moves = moves.filter(created_at__gte=_start_of(wanted["handed_off_after"]))
        if wanted["handed_off_before"]:
            moves = moves.filter(created_at__lt=_start_of(wanted["handed_off_before"] + dt.timedelta(days=1)))
        return queryset.filter(pk__in=moves.values("request_id"))


# Filters a dashboard link sets; the queue keeps them as hidden fields rather than showing more controls.
DRILL_DOWN = tuple(name for name in FigureFilter.base_filters if name not in QueueFilter.base_filters)


def queue_filter_for(params) -> type[QueueFilter]:
    return FigureFilter if any(params.get(name) for name in DRILL_DOWN) else QueueFilter


def _start_of(day: dt.date) -> dt.datetime:
    """Midnight of a day in the desk's time zone: a range on the column itself, which its index can serve."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))

import datetime as dt

import django_filters
from django import forms
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.models import Channel, CustomerGroup, Service, ServiceArea
from teams.models import Site, User

from .models import CommitmentState, ServiceRequest, Status

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


class QueueFilter(django_filters.FilterSet):
    """Everything a queue can be narrowed by; the names are the URL's, so a view can be bookmarked and shared."""

    q = django_filters.CharFilter(method="filter_text", label=_("Search"),
                                  widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Reference, customer or subject")}))
    status = django_filters.ChoiceFilter(choices=Status.choices, label=_("Status"), empty_label=_("Any open"))
    assignee = django_filters.ChoiceFilter(choices=ASSIGNEE_CHOICES, method="filter_assignee", label=_("Assignee"),
                                           empty_label=_("Anyone or nobody"))
    assigned_to = django_filters.ModelChoiceFilter(field_name="assignee", queryset=User.objects.all(),
                                                   label=_("Assigned to"))
    commitment = django_filters.ChoiceFilter(field_name="commitment_state", choices=COMMITMENT_CHOICES,
                                             label=_("Commitment"))
    service = django_filters.ModelChoiceFilter(queryset=Service.objects.all(), label=_("Service"))
    area = django_filters.ModelChoiceFilter(field_name="service__area", queryset=ServiceArea.objects.all(),
                                            label=_("Service area"))
    customer_group = django_filters.ModelChoiceFilter(field_name="service__customer_groups",
                                                      queryset=CustomerGroup.objects.all(), label=_("Customer group"))
    site = django_filters.ModelChoiceFilter(field_name="intake_site", queryset=Site.objects.all(), label=_("Site"))
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=_("Channel"))
    older_than = django_filters.NumberFilter(method="filter_older_than", label=_("Older than (days)"), min_value=0)
    created_after = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte", label=_("Logged from"),
                                              widget=forms.DateInput(attrs={"type": "date"}))
    created_before = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte", label=_("Logged until"),
                                               widget=forms.DateInput(attrs={"type": "date"}))
    sort = django_filters.ChoiceFilter(choices=SORT_CHOICES, method="sort_rows", label=_("Sort"),
                                       empty_label=_("Newest first"))

    class Meta:
        model = ServiceRequest
        fields = []

    def __init__(self, *args, teams=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if teams is not None:
            self.filters["service"].queryset = Service.objects.filter(owning_team__in=teams).order_by("name_fi")
            self.filters["assigned_to"].queryset = User.objects.filter(memberships__team__in=teams).distinct()

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.open()
        queryset = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("customer_group"):
            queryset = queryset.distinct()
        return queryset

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(reference__iexact=value) | Q(subject__icontains=value) | Q(customer__name__icontains=value)
        )

    def filter_assignee(self, queryset, name, value):
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        if value == "me":
            return queryset.filter(assignee=self.user)
        return queryset.filter(assignee__isnull=False)

    def filter_older_than(self, queryset, name, value):
        return queryset.filter(created_at__lt=timezone.now() - dt.timedelta(days=float(value)))

    def sort_rows(self, queryset, name, value):
        if value == "deadline":
            return queryset.order_by(F("next_deadline_at").asc(nulls_last=True), "created_at", "pk")
        if value == "oldest":
            return queryset.order_by("created_at", "pk")
        return queryset.order_by("-created_at", "-pk")

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import ClockKind, TimerOutcome


class BreachFilter(django_filters.FilterSet):
    clock = django_filters.ChoiceFilter(field_name="clock_kind", label=_("Clock"), choices=ClockKind.choices)
    reviewed = django_filters.BooleanFilter(
        label=_("Reviewed"), method="filter_reviewed",
        widget=django_filters.widgets.BooleanWidget(),
    )
    since = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__gte", label=_("Breached on or after"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = TimerOutcome
        fields = []

    def filter_reviewed(self, queryset, name, value):
        return queryset.filter(request__breach_review__isnull=not value)

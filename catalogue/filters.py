"""Every catalogue list is a FilterSet; its state lives in the query string."""

import django_filters
from django import forms
from django.db.models import Case, IntegerField, When
from django.utils.translation import gettext_lazy as _

from teams.models import Team, Unit

from .models import CustomerGroup, Service, ServiceArea, UnitTask
from .search import search_services
from .selectors import mapped_to_offered

SEARCH_LIMIT = 200


class ServiceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="filter_q",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off",
                                      "placeholder": _("Everyday words, e.g. salary, parking permit")}),
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Service area"), queryset=ServiceArea.objects.all(), to_field_name="code", empty_label=_("All areas")
    )
    customer_group = django_filters.ModelChoiceFilter(
        label=_("Customer group"), field_name="customer_groups", queryset=CustomerGroup.objects.all(),
        to_field_name="code", empty_label=_("All customer groups"),
    )
    owning_team = django_filters.ModelChoiceFilter(
        label=_("Owning team"), queryset=Team.objects.all(), to_field_name="slug", empty_label=_("Any team")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), method="filter_status", empty_label=_("Offered"),
        choices=[("retired", _("Retired")), ("all", _("Offered and retired"))],
    )

    class Meta:
        model = Service
        fields = ["q", "area", "customer_group", "owning_team", "status"]

    def filter_q(self, queryset, name, value):
        # Relevance order from the catalogue search; the other filters narrow it further.
        ids = [s.pk for s in search_services(value, limit=SEARCH_LIMIT, offered_only=False)]
        order = Case(*[When(pk=pk, then=i) for i, pk in enumerate(ids)], output_field=IntegerField())
        return queryset.filter(pk__in=ids).order_by(order)

    def filter_status(self, queryset, name, value):
        if value == "retired":
            return queryset.filter(retired_at__isnull=False)
        return queryset

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.offered()
        return super().filter_queryset(queryset)


class UnitTaskFilter(django_filters.FilterSet):
    unit = django_filters.ModelChoiceFilter(
        label=_("Unit (with its sub-units)"), queryset=Unit.objects.all(), to_field_name="code", method="filter_unit",
        empty_label=_("All units"),
    )
    mapped = django_filters.ChoiceFilter(
        label=_("Mapped"), method="filter_mapped", empty_label=_("All tasks"),
        choices=[("no", _("Not mapped to a service")), ("yes", _("Mapped"))],
    )
    q = django_filters.CharFilter(label=_("Task name"), field_name="name", lookup_expr="icontains")

    class Meta:
        model = UnitTask
        fields = ["unit", "mapped", "q"]

    def filter_unit(self, queryset, name, value):
        return queryset.filter(unit_id__in=value.descendant_ids())

    def filter_mapped(self, queryset, name, value):
        mapped = mapped_to_offered()
        return queryset.filter(mapped if value == "yes" else ~mapped)


class CoverageFilter(django_filters.FilterSet):
    unit = django_filters.ModelChoiceFilter(
        label=_("Unit (with its sub-units)"), queryset=Unit.objects.all(), to_field_name="code",
        method="filter_unit", empty_label=_("All units"),
    )

    class Meta:
        model = UnitTask
        fields = ["unit"]

    def filter_unit(self, queryset, name, value):
        return queryset.filter(unit_id__in=value.descendant_ids())

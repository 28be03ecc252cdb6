import django_filters
from django.utils.translation import gettext_lazy as _

from catalogue.models import Service
from teams.models import User

from .models import ServiceRequest, Status


class QueueFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Status.choices, label=_("Status"), empty_label=_("Any open"))
    service = django_filters.ModelChoiceFilter(queryset=Service.objects.all(), label=_("Service"))
    assignee = django_filters.ModelChoiceFilter(
        queryset=User.objects.all(), label=_("Assignee"), null_label=_("Unclaimed"), null_value="none"
    )

    class Meta:
        model = ServiceRequest
        fields = ["status", "service", "assignee"]

    def __init__(self, *args, team=None, **kwargs):
        super().__init__(*args, **kwargs)
        if team is not None:
            self.filters["service"].queryset = Service.objects.filter(owning_team=team)
            self.filters["assignee"].queryset = team.members.all()

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.open()
        return super().filter_queryset(queryset)

from django import forms
from django.utils.translation import gettext_lazy as _

from catalogue.models import Service


class SortForm(forms.Form):
    service = forms.ModelChoiceField(
        queryset=Service.objects.offered().filter(owning_team__isnull=False), label=_("Service"),
        error_messages={"required": _("Choose the service from the catalogue."),
                        "invalid_choice": _("That service is not offered; search the catalogue again.")},
    )

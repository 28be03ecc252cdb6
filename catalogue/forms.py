"""Forms validate what a maintainer typed; catalogue.services enforces the rules again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from teams.models import Team, Unit

from .models import Channel, CustomerGroup, Service, ServiceArea, UnitTask


class ServiceAreaForm(forms.ModelForm):
    class Meta:
        model = ServiceArea
        fields = ["code", "name_fi", "name_sv", "name_en", "description_fi", "description_sv", "description_en",
                  "position"]
        widgets = {f"description_{lang}": forms.Textarea(attrs={"rows": 3}) for lang in ("fi", "sv", "en")}


class CustomerGroupForm(forms.ModelForm):
    class Meta:
        model = CustomerGroup
        fields = ["code", "name_fi", "name_sv", "name_en", "position"]


class ServiceForm(forms.ModelForm):
    channels = forms.MultipleChoiceField(
        label=_("Channels"), choices=Channel.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    customer_groups = forms.ModelMultipleChoiceField(
        label=_("Customer groups"), queryset=CustomerGroup.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    contributing_units = forms.ModelMultipleChoiceField(
        label=_("Contributing units"), queryset=Unit.objects.all(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    owning_team = forms.ModelChoiceField(
        label=_("Owning team"), queryset=Team.objects.all(), required=False, empty_label=_("No owner yet")
    )

    class Meta:
        model = Service
        fields = [
            "code", "area", "name_fi", "name_sv", "name_en", "description_fi", "description_sv", "description_en",
            "keywords", "customer_groups", "owning_team", "contributing_units", "partners", "channels",
            "promise_fi", "promise_sv", "promise_en", "public_web_form", "acknowledge_by_mail",
            "resolution_notice_by_mail", "retention_months",
        ]
        widgets = {
            **{f"description_{lang}": forms.Textarea(attrs={"rows": 3}) for lang in ("fi", "sv", "en")},
            "keywords": forms.Textarea(attrs={"rows": 2}),
            "partners": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["retention_months"].required = False  # left empty: as it was (24 months for a new service)

    def clean_retention_months(self):
        months = self.cleaned_data["retention_months"]
        return self.instance.retention_months if months is None else months


class UnitTaskForm(forms.ModelForm):
    services = forms.ModelMultipleChoiceField(
        label=_("Services"), queryset=Service.objects.all(), required=False, widget=forms.MultipleHiddenInput,
        help_text=_("Search for services and tick the ones this task is part of."),
    )

    class Meta:
        model = UnitTask
        fields = ["unit", "code", "name", "description", "services"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Catalogue file (CSV or JSON)"))
    apply = forms.BooleanField(
        label=_("Apply the changes if the whole file is valid"), required=False,
        help_text=_("Leave unticked to check the file first; nothing is written then."),
    )

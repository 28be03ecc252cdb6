from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import AuditEntry


class AuditFilter(forms.Form):
    person = forms.CharField(label=_("Person (user name)"), required=False, max_length=150)
    customer = forms.IntegerField(label=_("Customer record"), required=False, min_value=1, max_value=2**31 - 1)
    reference = forms.CharField(label=_("Request reference"), required=False, max_length=30)
    kind = forms.ChoiceField(label=_("What"), required=False, choices=[("", "—"), *AuditEntry.Kind.choices])
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    before = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)

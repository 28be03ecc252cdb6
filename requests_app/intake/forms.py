import datetime as dt

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.models import Channel, Service
from servicedesk.errors import MAX_TEXT

from ..models import Customer, access
from .services import MAX_SUBJECT


class IntakeForm(forms.Form):
    """'I'll handle this and pass it on': what the front line records while the customer is there."""

    service = forms.ModelChoiceField(
        queryset=Service.objects.offered().filter(owning_team__isnull=False).select_related("owning_team"),
        label=_("Service"),
        error_messages={
            "required": _("Choose the service from the catalogue."),
            "invalid_choice": _("That service is not offered; search the catalogue again."),
        },
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.DESK)
    subject = forms.CharField(label=_("Subject"), max_length=MAX_SUBJECT)
    description = forms.CharField(label=_("What the customer needs"), widget=forms.Textarea, required=False,
                                  max_length=MAX_TEXT)
    # A returning customer, found as the clerk types (only those the clerk may see); else a new record.
    customer = forms.ModelChoiceField(queryset=Customer.objects.none(), required=False, label=_("Returning customer"),
                                      error_messages={"invalid_choice": _("That customer is not one you can pick; "
                                                                          "search again or fill in a new one.")})
    customer_name = forms.CharField(label=_("Customer name"), max_length=200, required=False)
    customer_kind = forms.ChoiceField(label=_("Customer is"), choices=Customer.Kind.choices, initial="person")
    customer_email = forms.EmailField(label=_("E-mail"), required=False)
    customer_phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    customer_business_id = forms.CharField(label=_("Business ID"), max_length=20, required=False)
    customer_language = forms.ChoiceField(label=_("Language for mail to the customer"), choices=settings.LANGUAGES,
                                          initial="fi", required=False)

    # A phone call can leave a callback request instead: the number and when the customer would like the call.
    callback_phone = forms.CharField(label=_("Number to call back"), max_length=40, required=False,
                                     help_text=_("The customer's phone number if left empty."))
    callback_day = forms.DateField(label=_("Call back on"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))
    callback_from = forms.TimeField(label=_("between"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    callback_until = forms.TimeField(label=_("and"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = access.visible_customers(user).for_search()

    def clean(self):
        data = super().clean()
        if not data.get("customer") and not data.get("customer_name") and "customer" not in self.errors:
            self.add_error("customer_name", _("Pick the returning customer, or give a new customer's name."))
        if data.get("channel") != Channel.CALLBACK:
            return data
        returning = data.get("customer")
        if not (data.get("callback_phone") or data.get("customer_phone") or (returning and returning.phone)):
            self.add_error("callback_phone", _("Give the number to call back."))
        for name in ("callback_day", "callback_from", "callback_until"):
            if not data.get(name) and name not in self.errors:
                self.add_error(name, _("Give the day and the time the customer would like to be called."))
        return data

    def callback(self) -> dict | None:
        """The callback request for log_request (which checks the window against the clock)."""
        data = self.cleaned_data
        if data["channel"] != Channel.CALLBACK:
            return None
        day = data["callback_day"]
        return {
            "phone": (data["callback_phone"] or data["customer_phone"]
                      or (data["customer"].phone if data["customer"] else "")),
            "window_start": timezone.make_aware(dt.datetime.combine(day, data["callback_from"])),
            "window_end": timezone.make_aware(dt.datetime.combine(day, data["callback_until"])),
        }

    def new_customer(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["customer_name"],
            "kind": data["customer_kind"],
            "email": data["customer_email"],
            "phone": data["customer_phone"],
            "business_id": data["customer_business_id"],
            "language": data["customer_language"],
        }

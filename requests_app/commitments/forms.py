"""Forms for commitments and breach reviews: they check input; the services enforce the rules."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import ClockKind, Commitment, NotifyRole

TEAM_SCOPE = "team"


def _minutes(hours) -> int | None:
    return None if hours in (None, "") else int(round(Decimal(hours) * 60))


def _hours(minutes):
    return None if minutes is None else (Decimal(minutes) / 60).normalize()


class CommitmentForm(forms.Form):
    WARN_NONE, WARN_PERCENT, WARN_BEFORE = "none", "percent", "before"

    scope = forms.ChoiceField(label=_("Applies to"))
    kind = forms.ChoiceField(label=_("Clock"), choices=ClockKind.choices)
    target_hours = forms.DecimalField(
        label=_("Target (hours)"), min_value=Decimal("0.02"), max_digits=7, decimal_places=2,
        help_text=_("For example 24, or 0.5 for half an hour."),
    )
    hours = forms.ChoiceField(label=_("Counted in"), choices=Commitment.Hours.choices, widget=forms.RadioSelect)
    warning = forms.ChoiceField(
        label=_("Warning"), widget=forms.RadioSelect,
        choices=[(WARN_NONE, _("No warning")), (WARN_PERCENT, _("When a share of the time is used")),
                 (WARN_BEFORE, _("Some hours before the deadline"))],
    )
    warn_percent = forms.IntegerField(label=_("Warn when this per cent of the time is used"), min_value=1, max_value=99,
                                      required=False)
    warn_hours_before = forms.DecimalField(label=_("Warn this many hours before"), min_value=Decimal("0.02"),
                                           max_digits=7, decimal_places=2, required=False)
    notify_on_warning = forms.MultipleChoiceField(
        label=_("Tell on warning"), choices=NotifyRole.choices, widget=forms.CheckboxSelectMultiple, required=False)
    notify_on_breach = forms.MultipleChoiceField(
        label=_("Tell on breach"), choices=NotifyRole.choices, widget=forms.CheckboxSelectMultiple, required=False)
    escalate_after_hours = forms.DecimalField(
        label=_("Escalate to the unit manager after (hours)"), min_value=Decimal("0.02"), max_digits=7,
        decimal_places=2, required=False, help_text=_("Empty: no second escalation."))
    pauses_when_waiting = forms.BooleanField(label=_("Waiting for the customer pauses the clock"), required=False)

    def __init__(self, *args, team, instance: Commitment | None = None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "scope": str(instance.service_id) if instance.service_id else TEAM_SCOPE,
                "kind": instance.kind, "target_hours": _hours(instance.target_minutes), "hours": instance.hours,
                "warning": self.WARN_PERCENT if instance.warn_percent else
                self.WARN_BEFORE if instance.warn_minutes_before else self.WARN_NONE,
                "warn_percent": instance.warn_percent, "warn_hours_before": _hours(instance.warn_minutes_before),
                "notify_on_warning": instance.notify_on_warning, "notify_on_breach": instance.notify_on_breach,
                "escalate_after_hours": _hours(instance.escalate_after_minutes),
                "pauses_when_waiting": instance.pauses_when_waiting,
            }
        kwargs.setdefault("initial", {
            "scope": TEAM_SCOPE, "hours": Commitment.Hours.WORKING, "warning": self.WARN_PERCENT, "warn_percent": 75,
            "notify_on_warning": [NotifyRole.ASSIGNEE], "notify_on_breach": [NotifyRole.ASSIGNEE, NotifyRole.TEAM_LEAD],
            "pauses_when_waiting": True,
        })
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = [(TEAM_SCOPE, _("The team's default"))] + [
            (str(service.pk), _("Only %(service)s") % {"service": service})
            for service in team.owned_services.offered()
        ]

    def clean(self):
        data = super().clean()
        warning = data.get("warning")
        if warning == self.WARN_PERCENT and not data.get("warn_percent"):
            self.add_error("warn_percent", _("Say at what share of the time to warn."))
        if warning == self.WARN_BEFORE and not data.get("warn_hours_before"):
            self.add_error("warn_hours_before", _("Say how many hours before the deadline to warn."))
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "service_id": None if data["scope"] == TEAM_SCOPE else int(data["scope"]),
            "kind": data["kind"],
            "target_minutes": _minutes(data["target_hours"]),
            "hours": data["hours"],
            "warn_percent": data["warn_percent"] if data["warning"] == self.WARN_PERCENT else None,
            "warn_minutes_before": _minutes(data["warn_hours_before"]) if data["warning"] == self.WARN_BEFORE else None,
            "notify_on_warning": data["notify_on_warning"],
            "notify_on_breach": data["notify_on_breach"],
            "pauses_when_waiting": data["pauses_when_waiting"],
            "escalate_after_minutes": _minutes(data["escalate_after_hours"]),
        }


class BreachReviewForm(forms.Form):
    what_happened = forms.CharField(label=_("What happened"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    what_we_change = forms.CharField(label=_("What we change"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

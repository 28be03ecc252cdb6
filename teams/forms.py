from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Membership, Team, User
from .services import MAX_CHARTER_TEXT


class CharterForm(forms.Form):
    description = forms.CharField(label=_("What the team does"), widget=forms.Textarea, required=False,
                                  max_length=MAX_CHARTER_TEXT)
    email = forms.EmailField(label=_("Team e-mail"), required=False)
    charter_roles = forms.CharField(label=_("Roles"), widget=forms.Textarea, required=False, max_length=MAX_CHARTER_TEXT)
    charter_rules = forms.CharField(label=_("Rules"), widget=forms.Textarea, required=False, max_length=MAX_CHARTER_TEXT)
    charter_decisions = forms.CharField(label=_("What a member may decide alone"), widget=forms.Textarea,
                                        required=False, max_length=MAX_CHARTER_TEXT)
    escalation_contact = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, label=_("Escalation contact"),
        empty_label=_("The team lead"), help_text=_("Told when a commitment is breached."),
    )

    def __init__(self, *args, team: Team, **kwargs):
        kwargs.setdefault("initial", {
            "description": team.description, "email": team.email, "charter_roles": team.charter_roles,
            "charter_rules": team.charter_rules, "charter_decisions": team.charter_decisions,
            "escalation_contact": team.escalation_contact_id,
        })
        super().__init__(*args, **kwargs)
        self.fields["escalation_contact"].queryset = User.objects.filter(memberships__team=team).order_by(
            "last_name", "first_name")


class AddMemberForm(forms.Form):
    user = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Person"),
                                  error_messages={"invalid_choice": _("Choose someone who is not in the team yet.")})
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER)
    external_partner = forms.CharField(label=_("External partner"), max_length=150, required=False,
                                       help_text=_("The partner organisation, for external members."))

    def __init__(self, *args, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            User.objects.filter(is_active=True).exclude(memberships__team=team).order_by("last_name", "first_name")
        )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)

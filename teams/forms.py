from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from servicedesk.languages import LANGUAGES

from .models import Membership, Team, User
from .services import CHARTER_FIELDS, MAX_CHARTER_TEXT, MAX_NAME

IN_LANGUAGE = {"fi": _("in Finnish"), "sv": _("in Swedish"), "en": _("in English")}
TEXTS = {"name": _("Name"), "description": _("What the team does"), "charter_roles": _("Roles"),
         "charter_rules": _("Rules"), "charter_decisions": _("What a member may decide alone")}


def _text_field(text: str, language: str) -> forms.CharField:
    label = format_lazy("{} ({})", TEXTS[text], IN_LANGUAGE[language])
    if text == "name":
        # Finnish is required: readers in the other languages fall back to it.
        return forms.CharField(label=label, max_length=MAX_NAME, required=language == "fi")
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": 4}), required=False,
                           max_length=MAX_CHARTER_TEXT)


class CharterForm(forms.Form):
    """The team's name, what it does and its charter in Finnish, Swedish and English; e-mail and escalation."""

    email = forms.EmailField(label=_("Team e-mail"), required=False)
    escalation_contact = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, label=_("Escalation contact"),
        empty_label=_("The team lead"), help_text=_("Told when a commitment is breached."),
    )

    def __init__(self, *args, team: Team, **kwargs):
        kwargs.setdefault("initial", {
            **{field: getattr(team, field) for field in CHARTER_FIELDS}, "escalation_contact": team.escalation_contact_id,
        })
        super().__init__(*args, **kwargs)
        self.fields["escalation_contact"].queryset = User.objects.filter(memberships__team=team).order_by(
            "last_name", "first_name")


# The texts first, each in every language, then the e-mail and the escalation contact.
CharterForm.base_fields = {**{f"{text}_{language}": _text_field(text, language) for text in TEXTS for language in LANGUAGES},
                           **CharterForm.base_fields}


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

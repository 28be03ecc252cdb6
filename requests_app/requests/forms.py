from django import forms
from django.utils.translation import gettext_lazy as _

from catalogue.models import Service
from servicedesk.errors import MAX_TEXT
from teams.models import User

from ..attachments.forms import FilesField
from .services import ANSWER_CHANNELS, CONTACT_CHANNELS


class TextForm(forms.Form):
    same_on_every_page = True

    text = forms.CharField(widget=forms.Textarea, max_length=MAX_TEXT, strip=True)

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["text"].label = label


class ReplyForm(TextForm):
    attachments = FilesField()


class FilesForm(forms.Form):
    same_on_every_page = True

    attachments = FilesField(required=True, label=_("Files"))
    note = forms.CharField(label=_("What they are (optional)"), required=False, max_length=500)


class AssignForm(forms.Form):
    person = forms.ModelChoiceField(queryset=None, label=_("Assign to"),
                                    error_messages={"invalid_choice": _("Choose a member of the team.")})

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        # Anyone may be posted; the domain refuses non-members with its own words.
        self.fields["person"].queryset = User.objects.all()
        self.fields["person"].widget.choices = [("", "—")] + [
            (user.pk, str(user)) for user in team.members.order_by("first_name", "last_name").only("username", "first_name", "last_name")
        ]


class HandoffForm(forms.Form):
    same_on_every_page = True

    service = forms.ModelChoiceField(
        queryset=Service.objects.all(), label=_("Hand off to the service"),
        error_messages={"required": _("Choose the service that owns this need."),
                        "invalid_choice": _("That service is not in the catalogue.")},
    )
    note = forms.CharField(label=_("Why (the receiving team reads this first)"), widget=forms.Textarea,
                           max_length=MAX_TEXT,
                           error_messages={"required": _("Say why the request moves; the receiving team reads it first.")})

    def add_prefix(self, field_name):
        # The catalogue picker's radios are named "service", as on the intake form.
        return "service" if field_name == "service" else super().add_prefix(field_name)


class ContactForm(forms.Form):
    """"The customer called / came by / wrote": a customer's message taken by a member of staff."""

    same_on_every_page = True

    channel = forms.ChoiceField(label=_("How"), choices=[(c.value, c.label) for c in CONTACT_CHANNELS])
    text = forms.CharField(label=_("What the customer said"), widget=forms.Textarea, max_length=MAX_TEXT)
    attachments = FilesField(label=_("What they brought or sent (scans, photos)"))


class AnswerForm(forms.Form):
    """An answer given without mail: by phone or in person."""

    same_on_every_page = True

    channel = forms.ChoiceField(label=_("How"), choices=[(c.value, c.label) for c in ANSWER_CHANNELS])
    text = forms.CharField(label=_("What the customer was told"), widget=forms.Textarea, max_length=MAX_TEXT)


class CalledBackForm(forms.Form):
    same_on_every_page = True

    early = forms.BooleanField(required=False, label=_("I called before the time the customer asked for"))

"""The public forms: a request, a message on the status page, a lost link."""

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from servicedesk.errors import MAX_TEXT

from ..attachments.forms import FilesField
from ..intake.services import MAX_SUBJECT


class Honeypot(forms.CharField):
    """A field no person sees or fills in (hidden by the page's style and from assistive technology)."""

    def __init__(self):
        super().__init__(required=False, label=_("Leave this empty"),
                         widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))


class PublicForm(forms.Form):
    """A public form with the field only bots fill in."""

    website = Honeypot()

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get(self.add_prefix("website")))


class PublicRequestForm(PublicForm):
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), required=False,
                             help_text=_("We send the confirmation, our answers and the link to your request here."))
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    language = forms.ChoiceField(label=_("Language for our answers"), choices=settings.LANGUAGES)
    subject = forms.CharField(label=_("What is it about (in a few words)"), max_length=MAX_SUBJECT)
    description = forms.CharField(label=_("Tell us more"), widget=forms.Textarea, max_length=MAX_TEXT)
    attachments = FilesField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = (get_language() or "fi")[:2]

    def clean(self):
        data = super().clean()
        if not (data.get("email") or data.get("phone")) and "email" not in self.errors:
            self.add_error("email", _("Give an e-mail address or a phone number, so we can answer you."))
        return data


class PublicMessageForm(PublicForm):
    text = forms.CharField(label=_("Your message"), widget=forms.Textarea, max_length=MAX_TEXT)
    attachments = FilesField()


class LostLinkForm(forms.Form):
    reference = forms.CharField(label=_("Reference of your request"), max_length=40,
                                help_text=_("For example SD-2026-000123, from the confirmation."))
    email = forms.EmailField(label=_("The e-mail address you gave"))

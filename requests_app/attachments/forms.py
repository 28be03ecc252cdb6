"""The upload field: several files, each checked from its content and scanned before a form is valid."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .checks import Refused
from .services import accept


def limits_in_words() -> str:
    return _("At most %(count)d files, each up to %(size)s: PDF, photos, office documents or plain text.") % {
        "count": settings.ATTACHMENT_MAX_COUNT, "size": filesizeformat(settings.ATTACHMENT_MAX_BYTES)}


class FilesInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Cleans to a list of `Checked` files (empty when none was chosen)."""

    widget = FilesInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", gettext_lazy("Attachments"))
        kwargs.setdefault("help_text", lazy(limits_in_words, str)())
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "multiple": True}

    def clean(self, data, initial=None):
        uploads = [upload for upload in (data if isinstance(data, list | tuple) else [data]) if upload]
        if self.required and not uploads:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if len(uploads) > settings.ATTACHMENT_MAX_COUNT:
            raise forms.ValidationError(_("At most %(count)d files at once.") % {"count": settings.ATTACHMENT_MAX_COUNT})
        checked, errors = [], []
        for upload in uploads:
            super().clean(upload, initial)  # a real upload with a name
            try:
                file = accept(upload.name, upload.read(settings.ATTACHMENT_MAX_BYTES + 1))
            except Refused as refused:
                errors.append(refused.message)
            else:
                checked.append(file)
        if errors:
            raise forms.ValidationError(errors)
        return checked

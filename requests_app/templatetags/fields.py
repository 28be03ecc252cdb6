"""Form fields as the desk shows them: `{% load fields %}` then `{% field_row form.text %}`."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

REQUIRED = mark_safe(' <span aria-hidden="true">*</span>')

# An empty field of a form that is the same on every page, by form, field, label, help and language.
_EMPTY_ROWS = {}


@register.simple_tag
def field_row(field):
    """Label (a star when required), control, help and errors. Built here rather than included from a
    template: an include per field cost more than the widget itself on the request page's eight forms.
    A form marked `same_on_every_page` (no initial values, no choices read from the database) renders each
    empty field once per language: the request page shows a dozen of them on every view."""
    form = field.form
    if form.is_bound or not getattr(form, "same_on_every_page", False):
        return _row(field)
    key = (type(form), field.html_name, field.auto_id, str(field.label), str(field.help_text), get_language())
    row = _EMPTY_ROWS.get(key)
    if row is None:
        row = _EMPTY_ROWS[key] = _row(field)
    return row


def _row(field):
    return format_html(
        '<p>\n  <label for="{}">{}{}</label>\n  {}\n  {}{}\n</p>',
        field.id_for_label, field.label, REQUIRED if field.field.required else "", field,
        format_html('<br><small class="muted">{}</small>', field.help_text) if field.help_text else "",
        format_html('<span class="error" role="alert" id="{}-error">{}</span>', field.id_for_label,
                    " ".join(field.errors)) if field.errors else "",
    )

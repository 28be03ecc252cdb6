"""Form fields as the desk shows them: `{% load fields %}` then `{% field_row form.text %}`."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

REQUIRED = mark_safe(' <span aria-hidden="true">*</span>')


@register.simple_tag
def field_row(field):
    """Label (a star when required), control, help and errors. Built here rather than included from a
    template: an include per field cost more than the widget itself on the request page's eight forms."""
    return format_html(
        '<p>\n  <label for="{}">{}{}</label>\n  {}\n  {}{}\n</p>',
        field.id_for_label, field.label, REQUIRED if field.field.required else "", field,
        format_html('<br><small class="muted">{}</small>', field.help_text) if field.help_text else "",
        format_html('<span class="error" role="alert" id="{}-error">{}</span>', field.id_for_label,
                    " ".join(field.errors)) if field.errors else "",
    )

"""The form renderer: Django's, with the everyday widgets written in Python.

Through their templates (an include for every attribute list and every option) the widgets were a fifth of
the request page's time. The HTML is the same as the templates make (`tests/test_widget_renderer.py`
compares them); any other template, a widget with a value to show beside a file input included, still goes
through the templates."""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape

INPUTS = {f"django/forms/widgets/{kind}.html" for kind in (
    "input", "text", "email", "url", "number", "password", "hidden", "date", "datetime", "time", "search", "tel",
    "color", "file", "checkbox")}


def _attrs(attrs: dict) -> str:
    return "".join(
        f" {conditional_escape(name)}" if value is True else f' {conditional_escape(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items() if value is not False)


def _input(widget: dict) -> str | None:
    value = "" if widget["value"] is None else f' value="{conditional_escape(widget["value"])}"'
    return f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"' \
           f'{value}{_attrs(widget["attrs"])}>'


def _textarea(widget: dict) -> str:
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _select(widget: dict) -> str | None:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            if option["template_name"] != "django/forms/widgets/select_option.html":
                return None
            parts.append(f'\n  <option value="{conditional_escape(option["value"])}"{_attrs(option["attrs"])}>'
                         f'{conditional_escape(option["label"])}</option>\n')  # the option template's last line
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _file_input(widget: dict) -> str | None:
    if widget["is_initial"]:
        return None  # a stored file to show and maybe clear: the template says it
    return f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"' \
           f'{_attrs(widget["attrs"])}>'


WIDGETS = {
    **dict.fromkeys(INPUTS, _input),
    "django/forms/widgets/textarea.html": _textarea,
    "django/forms/widgets/select.html": _select,
    "django/forms/widgets/clearable_file_input.html": _file_input,
}


class DeskFormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        build = WIDGETS.get(template_name)
        html = build(context["widget"]) if build is not None and "widget" in context else None
        return super().render(template_name, context, request) if html is None else html

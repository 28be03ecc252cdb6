"""The desk's form renderer writes the everyday widgets in Python: it must write what Django's templates write."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from requests_app.attachments.forms import FilesInput
from servicedesk.widgets import DeskFormRenderer

CHOICES = [("", "—"), ("a", "Tom & Jerry"), ("Group <1>", [(1, "One"), (2, mark_safe("<b>Two</b>"))])]

CASES = [
    (forms.TextInput(), "q", None, {}),
    (forms.TextInput(attrs={"placeholder": 'say "hi" <now>'}), "q", "a & b", {"required": True}),
    (forms.TextInput(), "q", 0, {"disabled": False, "autofocus": True}),
    (forms.EmailInput(), "e", "aino@example.org", {"id": "id_e", "maxlength": 254}),
    (forms.NumberInput(), "n", 12, {"min": 0}),
    (forms.HiddenInput(), "h", mark_safe("<safe>"), {}),
    (forms.DateInput(attrs={"type": "date"}), "d", "2026-12-06", {}),
    (forms.PasswordInput(render_value=True), "p", "secret", {}),
    (forms.CheckboxInput(), "c", True, {"id": "id_c"}),
    (forms.CheckboxInput(), "c", False, {}),
    (forms.Textarea(), "t", None, {"id": "id_t"}),
    (forms.Textarea(), "t", "Line one\n<script>alert(1)</script>", {"required": True}),
    (forms.Select(choices=CHOICES), "s", "a", {"id": "id_s"}),
    (forms.Select(choices=CHOICES), "s", 2, {}),
    (forms.Select(choices=[]), "s", None, {}),
    (forms.SelectMultiple(choices=CHOICES), "m", ["a", 1], {}),
    (forms.FileInput(), "f", None, {"accept": ".pdf"}),
    (FilesInput(), "files", None, {"multiple": True, "id": "id_files"}),
    (forms.ClearableFileInput(), "f", None, {}),
]


@pytest.mark.parametrize(("widget", "name", "value", "attrs"), CASES)
def test_each_everyday_widget_is_written_as_djangos_templates_write_it(widget, name, value, attrs):
    assert widget.render(name, value, attrs, renderer=DeskFormRenderer()) == \
        widget.render(name, value, attrs, renderer=DjangoTemplates())


def test_widgets_it_does_not_write_still_go_through_their_templates():
    class Stored:
        url = "/files/a.pdf"

        def __str__(self):
            return "a.pdf"

    for widget, value in ((forms.RadioSelect(choices=CHOICES), "a"), (forms.ClearableFileInput(), Stored())):
        html = widget.render("r", value, {"id": "id_r"}, renderer=DeskFormRenderer())
        assert html == widget.render("r", value, {"id": "id_r"}, renderer=DjangoTemplates())
        assert html  # the fallback really rendered something

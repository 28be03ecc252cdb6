"""An empty field of the request page's forms is built once per language; a sent one always shows its input."""

from django.utils import translation

from requests_app.requests.forms import AnswerForm, ReplyForm
from requests_app.templatetags.fields import field_row


def test_an_empty_field_row_follows_the_readers_language_and_the_forms_label():
    with translation.override("en"):
        english = field_row(AnswerForm(prefix="answer_form")["text"])
        reply = field_row(ReplyForm(label="Reply to the customer", prefix="reply_form")["text"])
        note = field_row(ReplyForm(label="Internal note", prefix="note_form")["text"])
    with translation.override("fi"):
        finnish = field_row(AnswerForm(prefix="answer_form")["text"])
    assert "What the customer was told" in english and "What the customer was told" not in finnish
    assert 'for="id_answer_form-text"' in finnish
    assert "Reply to the customer" in reply and "Internal note" in note and 'id="id_note_form-text"' in note


def test_a_sent_form_shows_what_was_typed_and_what_went_wrong_after_the_empty_one_was_shown():
    with translation.override("en"):
        field_row(AnswerForm(prefix="answer_form")["text"])
        sent = AnswerForm({"answer_form-channel": "phone", "answer_form-text": ""}, prefix="answer_form")
        sent.is_valid()
        row = field_row(sent["text"])
        typed = AnswerForm({"answer_form-channel": "nonsense", "answer_form-text": "Told them"}, prefix="answer_form")
        typed.is_valid()
    assert 'role="alert"' in row and "required" in row
    assert "Told them" in field_row(typed["text"])

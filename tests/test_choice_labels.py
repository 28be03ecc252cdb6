"""Choice labels read from a dict made once still follow the reader's language."""

from django.utils import translation

from requests_app.models import Event, TimelineEvent


def test_a_choice_label_is_in_the_active_language_and_an_unknown_value_is_shown_as_it_is():
    event = TimelineEvent(kind=Event.CLAIMED)
    with translation.override("en"):
        english = event.get_kind_display()
    with translation.override("fi"):
        finnish = event.get_kind_display()
    assert english == Event.CLAIMED.label and finnish != english and finnish
    assert TimelineEvent(kind="no_such_kind").get_kind_display() == "no_such_kind"

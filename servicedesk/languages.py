"""Texts the organisation writes in Finnish, Swedish and English (`name_fi`, `name_sv`, `name_en`): read in
the reader's language, falling back to Finnish, which is always there."""

from django.utils import translation

LANGUAGES = ("fi", "sv", "en")


def reading_order() -> tuple[str, ...]:
    """The languages to try for a translated field: the reader's, then Finnish (always present), then any."""
    return ((translation.get_language() or "fi")[:2], "fi", "en", "sv")


def translated(obj, field: str) -> str:
    """The field in the reader's language, falling back as `reading_order` says."""
    for lang in reading_order():
        value = getattr(obj, f"{field}_{lang}", "")
        if value:
            return value
    return ""


def translated_property(field: str) -> property:
    """`obj.<field>` read in the reader's language; written (as in `Team(name=...)`), the Finnish text."""
    return property(lambda obj: translated(obj, field), lambda obj, value: setattr(obj, f"{field}_fi", value),
                    doc=f"The {field} in the reader's language.")


def in_reading_order(texts: dict) -> str:
    """Of texts by language ({"fi": ..., "sv": ..., "en": ...}), the first there in the reader's order."""
    return next((texts[lang] for lang in reading_order() if texts.get(lang)), "")


def in_every_language(text) -> dict:
    """`text()` called once in each language ({"fi": ..., "sv": ..., "en": ...}): words the desk writes into a
    row that people of every language read later."""
    texts = {}
    for language in LANGUAGES:
        with translation.override(language):
            texts[language] = str(text())
    return texts

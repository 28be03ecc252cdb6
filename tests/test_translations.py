"""The desk reads in Finnish, Swedish and English: every text is translated, placeholders intact, and the
compiled catalogues are the ones the sources give."""

import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.urls import reverse

from tests.factories import MembershipFactory

LOCALE = Path(__file__).resolve().parents[1] / "locale"
LANGUAGES = ["fi", "sv"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|\{\w+\}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_is_translated_with_its_placeholders(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    assert len(catalogue) > 800
    untranslated = [entry.msgid for entry in catalogue if not entry.translated()]
    assert untranslated == []
    for entry in catalogue:
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for translation in translations:
            expected = set(PLACEHOLDER.findall(entry.msgid)) - {"%(counter)s"}
            assert expected <= set(PLACEHOLDER.findall(translation)), (entry.msgid, translation)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed")
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_is_the_one_its_source_gives(language, tmp_path):
    source = LOCALE / language / "LC_MESSAGES" / "django.po"
    subprocess.run(["msgfmt", "--check-format", "-o", str(tmp_path / "django.mo"), str(source)], check=True)
    assert (tmp_path / "django.mo").read_bytes() == (LOCALE / language / "LC_MESSAGES" / "django.mo").read_bytes()


@pytest.mark.django_db
@pytest.mark.parametrize("language, words", [
    ("fi", ["Jono", "Uusi pyyntö", "Omat työt", "Tilannekuvat", "Suodata jonoa"]),
    ("sv", ["Kö", "Nytt ärende", "Mitt arbete", "Lägesbilder", "Filtrera kön"]),
    ("en", ["Queue", "New request", "My work", "Dashboards", "Filter the queue"]),
])
def test_the_queue_reads_in_the_persons_language(client, language, words):
    member = MembershipFactory().user
    client.force_login(member)
    page = client.get(reverse("requests:queue"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    for word in words:
        assert word in page


@pytest.mark.django_db
def test_the_login_page_reads_in_finnish(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    assert "Käyttäjätunnus" in page and "Salasana" in page

"""The search behind the catalogue pages and the intake form's picker: the intended service comes first
for typos, Finnish inflection and everyday words, on PostgreSQL and on the SQLite fallback alike."""

import pytest

from catalogue.search import base_forms, compound_tails, normalise, search_services


def first_code(query, **kwargs):
    found = search_services(query, **kwargs)
    return found[0].code if found else None


@pytest.mark.parametrize(
    "query, intended",
    [
        ("palkkka", "palkanmaksu"),
        ("matkalasku", "matkalaskut"),
        ("matkaläsku", "matkalaskut"),
    ],
)
def test_misspelt_query_finds_the_intended_service_first(everyday_catalogue, query, intended):
    assert first_code(query) == intended


@pytest.mark.parametrize(
    "query, intended",
    [
        ("palkkani", "palkanmaksu"),
        ("matkalaskun", "matkalaskut"),
        ("matkalaskuni", "matkalaskut"),
        ("rakennusluvan", "rakennusluvat"),
        ("kalastusluvan", "kalastusluvat"),
    ],
)
def test_inflected_finnish_query_finds_the_intended_service_first(everyday_catalogue, query, intended):
    assert first_code(query) == intended


@pytest.mark.parametrize(
    "query, intended",
    [
        ("salasana unohtui", "tunnukset"),
        ("päiväkoti", "varhaiskasvatus"),
        ("paivakoti", "varhaiskasvatus"),
        ("parkkilupa", "pysakointi"),
        ("kilometrikorvaus", "matkalaskut"),
        ("remontti", "rakennusluvat"),
        ("lomaraha", "palkanmaksu"),
        ("salary", "palkanmaksu"),
        ("parking", "pysakointi"),
        ("bygglov", "rakennusluvat"),
    ],
)
def test_everyday_words_find_the_intended_service_first(everyday_catalogue, query, intended):
    assert first_code(query) == intended


@pytest.mark.parametrize("query, intended", [("matk", "matkalaskut"), ("pysäk", "pysakointi"), ("kalast", "kalastusluvat")])
def test_a_partly_typed_word_already_finds_the_service(everyday_catalogue, query, intended):
    assert first_code(query) == intended


def test_retired_services_are_not_offered_but_can_be_found_for_history(everyday_catalogue):
    assert "vanha-palkka" not in [s.code for s in search_services("palkka", limit=20)]
    assert "vanha-palkka" in [s.code for s in search_services("palkka", limit=20, offered_only=False)]


def test_unrelated_words_find_nothing(everyday_catalogue):
    assert search_services("xyzzy qwerty") == []


def test_empty_or_punctuation_query_finds_nothing_and_limit_is_kept(everyday_catalogue):
    assert search_services("") == []
    assert search_services("  ,.;!  ") == []
    assert len(search_services("a", limit=2)) <= 2


def test_normalise_drops_accents_and_punctuation():
    assert normalise("Päivähoito, Åland!") == "paivahoito aland"


def test_renamed_service_is_found_by_its_new_name_at_once(everyday_catalogue):
    service = everyday_catalogue["kalastusluvat"]
    service.name_fi = "Onkiluvat ja kalastus"
    service.keywords = "vapa"
    service.save()
    assert first_code("onkiluv") == "kalastusluvat"
    assert first_code("vapa") == "kalastusluvat"


def test_postgres_uses_the_finnish_stemmer_on_descriptions(everyday_catalogue, needs_postgres):
    # "käsittely" appears only in a description; the partitive "käsittelyä" stems to the same word.
    assert first_code("käsittelyä") == "laskujen-maksu"


def test_postgres_matches_swedish_and_english_inflections(everyday_catalogue, needs_postgres):
    assert first_code("reseräkning") == "matkalaskut"
    assert first_code("permit fishing") == "kalastusluvat"


@pytest.mark.parametrize(
    "query, intended",
    [
        ("travel claim not paid", "matkalaskut"),
        ("forgot my password", "tunnukset"),
        ("palkkani ei tullut", "palkanmaksu"),
        ("my salary did not come", "palkanmaksu"),
        ("jag har glömt mitt lösenord till användarkonto", "tunnukset"),
        ("haluaisin hakea päiväkotipaikkaa lapselle", "varhaiskasvatus"),
        ("building permit for a sauna", "rakennusluvat"),
    ],
)
def test_a_sentence_finds_the_service_its_meaningful_words_name_though_not_every_word_matches(
        everyday_catalogue, query, intended):
    assert first_code(query) == intended


@pytest.mark.parametrize(
    "query, intended",
    [
        ("kalastuslpua viehe", "kalastusluvat"),
        ("matkalsku kilometrikorvaus", "matkalaskut"),
        ("salasna unohtui", "tunnukset"),
        ("parkking permit", "pysakointi"),
    ],
)
def test_a_typo_in_one_word_of_several_is_forgiven(everyday_catalogue, query, intended):
    assert first_code(query) == intended


@pytest.mark.parametrize(
    "query, intended",
    [
        ("työtodistuksen", None),  # no such service here: the base form finds nothing either
        ("rakennusluvan hakeminen", "rakennusluvat"),
        ("uusi kalastuslupa", "kalastusluvat"),  # "uusi" says nothing about which service
    ],
)
def test_inflected_and_filler_words_do_not_mislead(everyday_catalogue, query, intended):
    assert first_code(query) == intended


def test_the_last_part_of_a_compound_finds_the_service_its_keywords_name(everyday_catalogue):
    # "kesämökkiremontti" is no keyword, but "remontti" is.
    assert first_code("kesämökkiremontti") == "rakennusluvat"
    assert compound_tails("vesivuoto") == ["ivuoto", "vuoto"]
    assert base_forms("työtodistuksen") == ["työtodistus"] and base_forms("palkka") == []

"""Finding a service by the words a customer uses: everyday words, typos and Finnish inflection.

On PostgreSQL each service carries a weighted search vector in Finnish, Swedish, English and as typed
(`simple`), and its unaccented names and keywords for trigram matching; both are kept by a trigger
(migration 0004) and indexed with GIN. A service matches when the query's words are prefixes of words in
any of those languages (the stemmer turns "palkkani" into "palk"), or when the query is close to a word of
the names or keywords by trigram word similarity ("palkkka"); services matching every word come first.
A sentence need not match whole ("travel claim not paid"): when too few services match every word, any
word will do, and services are ranked first by how many of its words they match, then by how well.

On SQLite (the embedded desk) the same idea runs in Python: normalised prefix and substring matching,
a crude suffix trim for inflection, and difflib for typos.
"""

import difflib
import functools
import operator
import re
import unicodedata
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection
from django.db.models import Case, F, FloatField, Q, Value, When

from .models import Service

MAX_WORDS = 8
MAX_WORD_LENGTH = 40
# Words that carry no meaning in a search box; Finnish, Swedish and English.
FILLER = frozenset((
    "ja tai sekä on ei se että kun kuin mun minun mulla minulla mua minua en et ole oli ollut olen sen sitä "
    "och eller att är en ett inte min mitt mina jag har hade det den som "
    "the and or of for to in a an my i me is are was not no did do does have has been with"
).split())
CONFIGS = ("finnish", "swedish", "english", "simple")
CANDIDATES = 50  # from each index, before the final ranking
MIN_TYPO_LENGTH = 3  # shorter input is a prefix being typed, not a typo


def normalise(text: str) -> str:
    """Lower case, without accents or punctuation: "Päivähoito!" -> "paivahoito"."""
    decomposed = unicodedata.normalize("NFKD", (text or "").lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.findall(r"\w+", stripped))


def query_words(query: str) -> list[str]:
    words = [w[:MAX_WORD_LENGTH] for w in re.findall(r"\w+", (query or "").lower())]
    meaningful = [w for w in words if w not in FILLER]
    return (meaningful or words)[:MAX_WORDS]


def search_services(query: str, *, limit: int = 10, offered_only: bool = True, public_only: bool = False
                    ) -> list[Service]:
    """The services that best match `query`, best first (`public_only`: those on the public web form)."""
    words = query_words(query)
    if not words or limit <= 0:
        return []
    qs = Service.objects.select_related("area", "owning_team").defer("search_vector", "search_text")
    if offered_only:
        qs = qs.offered()
    if public_only:
        qs = qs.filter(public_web_form=True, owning_team__isnull=False)
    if connection.vendor == "postgresql":
        return _search_postgres(qs, words, limit)
    return _search_python(qs, words, limit)


def _search_postgres(qs, words: list[str], limit: int) -> list[Service]:
    per_word = []
    for word in words:
        # Each word as a prefix, stemmed by each language.
        any_language = None
        for config in CONFIGS:
            part = SearchQuery(f"{word}:*", config=config, search_type="raw")
            any_language = part if any_language is None else any_language | part
        per_word.append(any_language)
    every_word = functools.reduce(operator.and_, per_word)
    found = _ranked_postgres(qs, words, every_word, limit)
    if len(found) >= limit or len(words) == 1:
        return found
    # Too few services match every word (a sentence: "travel claim not paid"): any word will do, and how
    # many of them a service matches counts first. Only then, as ranking every service that matches one
    # common word costs more than the usual keystroke.
    matched = sum((Case(When(Q(search_vector=word_query), then=Value(1.0)), default=Value(0.0),
                        output_field=FloatField()) for word_query in per_word), Value(0.0))
    return _ranked_postgres(qs, words, functools.reduce(operator.or_, per_word), limit, matched=matched)


def _ranked_postgres(qs, words, tsquery, limit, *, matched=Value(0.0)) -> list[Service]:
    typed = normalise(" ".join(words))
    rank = SearchRank(F("search_vector"), tsquery)
    closeness = TrigramWordSimilarity(Value(typed), "search_text")
    # Two candidate lists, each from its own GIN index, then one ranking of their union. (A single
    # WHERE with OR makes the planner scan every row and compute trigram similarity for each.)
    candidates = Q(pk__in=qs.filter(search_vector=tsquery).order_by(-rank).values("pk")[:CANDIDATES])
    if len(typed) >= MIN_TYPO_LENGTH:
        candidates |= Q(pk__in=qs.filter(search_text__trigram_word_similar=typed)
                        .order_by(-closeness).values("pk")[:CANDIDATES])
    ranked = qs.filter(candidates).annotate(score=matched + rank + closeness)
    return list(ranked.order_by("-score", "name_fi", "pk")[:limit])


# --- SQLite fallback -----------------------------------------------------------------------------

NAME_WEIGHT, KEYWORD_WEIGHT, DESCRIPTION_WEIGHT = 1.0, 0.9, 0.35
TYPO_RATIO = 0.75


@dataclass
class _Fields:
    names: list[str]
    keywords: list[str]
    description: str


def _word_score(word: str, tokens: list[str]) -> float:
    """How well one query word fits a list of words: prefix 1, inflected stem less, typo less still."""
    best = 0.0
    shortest_stem = min(len(word), 4)
    for token in tokens:
        if token.startswith(word):
            return 1.0
        if word in token:
            best = max(best, 0.8)
            continue
        # Finnish inflection and consonant gradation: "palkkani" shares "palk" with "palkanmaksu".
        for end in range(len(word) - 1, shortest_stem - 1, -1):
            if token.startswith(word[:end]):
                best = max(best, 0.75 * end / len(word))
                break
        if token[:1] == word[:1] and abs(len(token[: len(word) + 2]) - len(word)) <= 3:
            matcher = difflib.SequenceMatcher(None, word, token[: len(word) + 2])
            if matcher.real_quick_ratio() >= TYPO_RATIO and matcher.quick_ratio() >= TYPO_RATIO:
                ratio = matcher.ratio()
                if ratio >= TYPO_RATIO:
                    best = max(best, 0.7 * ratio)
    return best


def _score(words: list[str], fields: _Fields) -> float:
    """How many words match (first), then how well; 0 when none does."""
    matched, total = 0, 0.0
    for word in words:
        best = max(
            NAME_WEIGHT * _word_score(word, fields.names),
            KEYWORD_WEIGHT * _word_score(word, fields.keywords),
            DESCRIPTION_WEIGHT * (1.0 if word in fields.description else 0.0),
        )
        if best > 0:
            matched += 1
            total += best
    return matched + total if matched else 0.0


def _search_python(qs, words: list[str], limit: int) -> list[Service]:
    words = [normalise(w) for w in words if normalise(w)]
    rows = qs.values_list(
        "pk", "name_fi", "name_sv", "name_en", "keywords", "description_fi", "description_sv", "description_en"
    )
    scored = []
    for pk, name_fi, name_sv, name_en, keywords, *descriptions in rows:
        fields = _Fields(
            names=normalise(f"{name_fi} {name_sv} {name_en}").split(),
            keywords=normalise(keywords).split(),
            description=normalise(" ".join(descriptions)),
        )
        score = _score(words, fields)
        if score > 0:
            scored.append((-score, name_fi, pk))
    scored.sort()
    best_ids = [pk for _, _, pk in scored[:limit]]
    by_id = qs.in_bulk(best_ids)
    return [by_id[pk] for pk in best_ids]


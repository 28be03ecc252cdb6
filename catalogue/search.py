"""Finding a service by the words a customer uses: sentences, everyday words, typos and Finnish inflection.

Every word of the query counts on its own: a service is ranked by how many of the words it matches and how
well (a word in its names or keywords counts more than one in its description, a long word more than a
short one), so "travel claim not paid" finds travel claims though "not" and "paid" match nothing there.
Words that say nothing about the service (filler, questions, time, "broken") are dropped when others remain.
A word matches when it is a prefix of a word of the service in any of its languages, after the Finnish,
Swedish or English stemmer ("palkkani" -> "palk"), as the Finnish base form of an inflected "-us" noun
("työtodistuksen" -> "työtodistus"), as the last part of a compound ("vesivuoto" -> "vuoto"), or with a typo
("salasnaa"). Each result also says in which language its name matched (`matched_name`).

On PostgreSQL each service carries two weighted search vectors kept by a trigger (migrations 0004, 0008),
names and keywords alone and with the descriptions, each with a GIN index; and its unaccented names and
keywords with a GiST trigram index, which reads the nearest spellings first. Candidates come from those
indexes, at most a few dozen from each, and only they are scored. On SQLite (the embedded desk) the same
rules run in Python over every service.
"""

import difflib
import functools
import operator
import re
import unicodedata
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordDistance, TrigramWordSimilarity
from django.db import connection
from django.db.models import BooleanField, Case, Count, F, FloatField, Q, Value, When
from django.db.models.expressions import RawSQL

from servicedesk.languages import LANGUAGES, reading_order

from .models import Service, ServiceArea

PICKER_LIMIT = 8
MAX_WORDS = 8
MAX_WORD_LENGTH = 40
# Words that say nothing about which service is meant, in Finnish, Swedish and English: filler, questions,
# wishes, time, and how things fail ("kone rikki": the machine matters, not that it is broken).
FILLER = frozenset((
    "ja tai sekä on ei se että kun kuin mun minun mulla minulla mua minua en et ole oli ollut olen sen sitä "
    "mä mie sä hän me te he tämä tää se ne mikä mitä missä mistä miten miksi milloin kuka onko voiko voinko "
    "haluan haluaisin tarvitsen tarvitaan pitää pitäisi voisitteko voitteko saisinko saako apua kiitos hei "
    "tänään huomenna eilen nyt ensi viime vuonna viikolla uusi uuden uutta vielä jo taas "
    "rikki hajosi hajonnut toimi toimii tullut tule tulee tilille puuttuu puuttuvat "
    "och eller att är en ett inte min mitt mina jag har hade det den som var vad hur när varför vem kan vill "
    "om på av till från för med "
    "behöver skulle ska hej tack idag imorgon igår nu nästa förra ny nytt nya fungerar trasig sönder saknas "
    "the and or of for from to in on at by about into a an my i me is are was not no did do does have has been "
    "with what where how when why who can could would should please need want help hello thanks today tomorrow "
    "yesterday now next last new again still working broken works missing"
).split())
CONFIGS = ("finnish", "swedish", "english", "simple")
CANDIDATES = 40  # by names and keywords, and by description, before the final scoring
TYPO_CANDIDATES = 15  # each word's nearest spellings
MIN_TYPO_LENGTH = 4  # shorter input is a prefix being typed, not a typo
TYPO_SIMILARITY = 0.5
# How much one word's match counts: a whole word of the names or keywords, the start of one, a compound's last
# part or a typo of one, or only in the description.
NAMES, NAMES_PREFIX, TAIL, TYPO, DESCRIPTION = 1.0, 0.8, 0.6, 0.9, 0.4
INFLECTED_US_NOUN = re.compile(r"(\w{3,}[uyoöi])ks[ei]\w*")
MIN_TAIL = 5  # "vuoto" in "vesivuoto"; the part before it at least 3 letters


def normalise(text: str) -> str:
    """Lower case, without accents or punctuation: "Päivähoito!" -> "paivahoito"."""
    decomposed = unicodedata.normalize("NFKD", (text or "").lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.findall(r"\w+", stripped))


def query_words(query: str) -> list[str]:
    words = [w[:MAX_WORD_LENGTH] for w in re.findall(r"\w+", (query or "").lower())]
    meaningful = [w for w in words if w not in FILLER]
    return list(dict.fromkeys(meaningful or words))[:MAX_WORDS]


def base_forms(word: str) -> list[str]:
    """The Finnish base form of an inflected -us/-ys/-os noun, which the stemmer keeps apart."""
    inflected = INFLECTED_US_NOUN.fullmatch(word)
    return [inflected.group(1) + "s"] if inflected else []


def compound_tails(word: str) -> list[str]:
    """The possible last parts of a Finnish compound, longest first: "vesivuoto" -> "ivuoto", "vuoto"."""
    return [word[i:] for i in range(3, len(word) - MIN_TAIL + 1)]


def word_weight(word: str) -> float:
    """A long word says more than a short one; a prefix being typed ("pa") says little."""
    return min(len(word), 6) / 6


def search_services(query: str, *, limit: int = 10, offered_only: bool = True, public_only: bool = False
                    ) -> list[Service]:
    """The services that best match `query`, best first (`public_only`: those on the public web form)."""
    words = query_words(query)
    if not words or limit <= 0:
        return []
    qs = Service.objects.select_related("area", "owning_team").defer(*Service.SEARCH_FIELDS)
    if offered_only:
        qs = qs.offered()
    if public_only:
        qs = qs.filter(public_web_form=True, owning_team__isnull=False)
    search = _search_postgres if connection.vendor == "postgresql" else _search_python
    return _name_the_match(search(qs, words, limit), words)


def picker_choices(query: str, area_code: str = "") -> dict:
    """What the picker shows: the services that best match `query`, or those of one area (`area_code`);
    when nothing matches, the areas to browse."""
    query = query.strip()
    area = ServiceArea.objects.filter(code=area_code[:80]).first() if area_code else None
    if area is not None:
        services = area.services.offered().select_related("area").defer(*Service.SEARCH_FIELDS).order_by("name_fi")
        return {"query": query, "area": area, "services": list(services)}
    found = search_services(query, limit=PICKER_LIMIT) if query else []
    return {"query": query, "services": found, "areas": [] if found or not query else _areas_to_browse()}


def _areas_to_browse() -> list[ServiceArea]:
    """The service areas offering services, in their order, each with how many."""
    return list(ServiceArea.objects.annotate(offered=Count("services", filter=Q(services__retired_at__isnull=True)))
                .filter(offered__gt=0).order_by("position", "name_fi"))


def _score(words: list[str], evidence: list[float]) -> float:
    """How many words match, each as well as it does; a word matched only in part counts by its length."""
    return sum((1 if how_well >= NAMES else word_weight(word)) * (1 + how_well)
               for word, how_well in zip(words, evidence, strict=True) if how_well > 0)


# --- PostgreSQL ----------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _lexemes(word: str) -> tuple[str, ...]:
    """The word as PostgreSQL's Finnish, Swedish, English and `simple` configurations store it ("palkkani" ->
    "palk", "palkkani"), and its Finnish base form likewise. Asked once per word and process: the queries
    then carry a few plain lexemes, not a stemmer call per language, which the planner estimates far better."""
    parts = [(config, word) for config in CONFIGS] + [(c, b) for b in base_forms(word) for c in ("finnish", "simple")]
    sql = " || ".join(["to_tsvector(%s::regconfig, %s)"] * len(parts))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tsvector_to_array({sql})", [value for part in parts for value in part])
        return tuple(cursor.fetchone()[0])


def _query(lexemes, *, prefix: bool) -> SearchQuery:
    """Any of the lexemes, whole or as the start of a word (where a shorter one already covers a longer one's
    start, only the shorter)."""
    if prefix:
        lexemes = [x for x in lexemes if not any(x != y and x.startswith(y) for y in lexemes)]
    terms = ["'" + x.replace("'", "''") + "'" + (":*" if prefix else "") for x in sorted(set(lexemes))]
    return SearchQuery(" | ".join(terms), config="simple", search_type="raw")


def _any(queries):
    return functools.reduce(operator.or_, queries)


def _search_postgres(qs, words: list[str], limit: int) -> list[Service]:
    # Per word: its forms in every language, whole or as the start of a word; a compound's last parts.
    lexemes = [_lexemes(w) or (w,) for w in words]
    forms = [_query(x, prefix=True) for x in lexemes]
    tails = [_query(compound_tails(w), prefix=True) if compound_tails(w) else None for w in words]
    typed = [normalise(w) for w in words]
    in_names = _any(forms + [t for t in tails if t is not None])
    candidates = _candidates(qs, in_names, forms, typed)

    # One level per word, the best that holds (a long description is read only when the names do not match).
    evidence = {}
    for i, (form, tail) in enumerate(zip(forms, tails, strict=True)):
        levels = [When(search_names=_query(lexemes[i], prefix=False), then=Value(NAMES)),
                  When(search_names=form, then=Value(NAMES_PREFIX))]
        if tail is not None:
            levels.append(When(search_names=tail, then=Value(TAIL)))
        levels.append(When(search_vector=form, then=Value(DESCRIPTION)))
        evidence[f"level_{i}"] = Case(*levels, default=Value(0.0), output_field=FloatField())
        if len(typed[i]) >= MIN_TYPO_LENGTH:
            evidence[f"typo_{i}"] = TrigramWordSimilarity(Value(typed[i]), "search_text")
    # Scored as plain rows: a hundred candidates' long descriptions need not travel, only the best few's.
    rows = qs.filter(candidates).values("pk", "name_fi", rank=SearchRank(F("search_names"), in_names), **evidence)

    def how_well(row, i):
        typo = row.get(f"typo_{i}", 0.0)
        return max(row[f"level_{i}"], TYPO * typo if typo >= TYPO_SIMILARITY else 0.0)

    scored = [(_score(words, [how_well(row, i) for i in range(len(words))]), row) for row in rows]
    scored.sort(key=lambda pair: (-pair[0], -pair[1]["rank"], pair[1]["name_fi"], pair[1]["pk"]))
    return _in_order(qs, [row["pk"] for score, row in scored[:limit] if score > 0])


def _in_order(qs, ids: list[int]) -> list[Service]:
    """The services of `ids`, in that order (the best first)."""
    by_id = qs.in_bulk(ids)
    return [by_id[pk] for pk in ids]


def _candidates(qs, in_names, forms, typed) -> RawSQL:
    """A few dozen services from each index, in one query: the best by their names and keywords, those whose
    descriptions hold every word (GIN), and each word's nearest spellings (GiST, read nearest first). Only
    these are scored; without the limits a word being typed ("pa") would have every service read and ranked."""
    parts = [qs.filter(search_names=in_names).order_by(-SearchRank(F("search_names"), in_names))]
    if min(len(word) for word in typed) >= MIN_TYPO_LENGTH:  # a word being typed is no word to read texts for
        parts.append(qs.filter(search_vector=functools.reduce(operator.and_, forms)).order_by())
    sliced = [part.values_list("pk", flat=True)[:CANDIDATES] for part in parts]
    sliced += [qs.order_by(TrigramWordDistance(Value(word), "search_text")).values_list("pk", flat=True)[:TYPO_CANDIDATES]
               for word in typed if len(word) >= MIN_TYPO_LENGTH]
    union = sliced[0].union(*sliced[1:], all=True) if len(sliced) > 1 else sliced[0]
    # "= ANY(ARRAY(...))": the union is read once and each candidate then by its key; as "IN (...)" the planner
    # may read every service to test it against the union.
    sql, params = union.query.sql_with_params()
    return RawSQL(f'"catalogue_service"."id" = ANY(ARRAY({sql}))', params, output_field=BooleanField())


def _name_the_match(services: list[Service], words: list[str]) -> list[Service]:
    """Say in which language a result's name matched, when not in the language the page is in: a Finnish
    page asked "bygglov" shows "Bygglov" beside "Rakennuslupa"."""
    words = [normalise(w) for w in words]
    page = reading_order()[0]
    for service in services:
        service.matched_name = ""
        names = {lang: getattr(service, f"name_{lang}") for lang in LANGUAGES}
        fit = {lang: sum(_best_fit(w, normalise(name).split()) for w in words) for lang, name in names.items() if name}
        best = max(fit, key=fit.get, default=page)
        shown = service.name
        if fit.get(best, 0) > 0 and names[best] != shown and fit[best] > fit.get(page, 0):
            service.matched_name, service.matched_language = names[best], best
    return services


# --- SQLite fallback -----------------------------------------------------------------------------

TYPO_RATIO = 0.75


@dataclass
class _Fields:
    names: list[str]
    keywords: list[str]
    description: str


def _word_score(word: str, token: str) -> float:
    """How well one query word fits one word of a service: whole, its start, inside it, an inflected stem, a typo."""
    if token == word:
        return NAMES
    if token.startswith(word):
        return NAMES_PREFIX
    if word in token:
        return 0.7
    # Finnish inflection and consonant gradation: "palkkani" shares "palk" with "palkanmaksu".
    for end in range(len(word) - 1, min(len(word), 4) - 1, -1):
        if token.startswith(word[:end]):
            return 0.75 * end / len(word)
    if token[:1] == word[:1] and abs(len(token[: len(word) + 2]) - len(word)) <= 3:
        matcher = difflib.SequenceMatcher(None, word, token[: len(word) + 2])
        if matcher.real_quick_ratio() >= TYPO_RATIO and matcher.quick_ratio() >= TYPO_RATIO:
            ratio = matcher.ratio()
            if ratio >= TYPO_RATIO:
                return 0.7 * ratio
    return 0.0


def _best_fit(word: str, tokens: list[str]) -> float:
    return max((_word_score(word, token) for token in tokens), default=0.0)


def _how_well_python(word: str, fields: _Fields) -> tuple[float, int]:
    """How well the word matches, and how often (names twice): the tie-break ts_rank gives on PostgreSQL."""
    tokens = fields.names + fields.keywords
    scores = [_word_score(word, token) for token in tokens]  # each token once: difflib is the costly part
    in_names = max([*scores, *(_best_fit(form, tokens) for form in base_forms(word))], default=0.0)
    tail = any(token.startswith(part) for part in compound_tails(word) for token in tokens)
    how_well = max(in_names, TAIL if tail else 0.0, DESCRIPTION if word in fields.description else 0.0)
    named = len(fields.names)
    often = 2 * sum(score > 0 for score in scores[:named]) + sum(score > 0 for score in scores[named:])
    return how_well, often


def _search_python(qs, words: list[str], limit: int) -> list[Service]:
    typed = [normalise(w) for w in words]
    rows = qs.values_list(
        "pk", "name_fi", "name_sv", "name_en", "keywords", "description_fi", "description_sv", "description_en"
    )
    scored = []
    for pk, name_fi, name_sv, name_en, keywords, *descriptions in rows:
        fields = _Fields(names=normalise(f"{name_fi} {name_sv} {name_en}").split(), keywords=normalise(keywords).split(),
                         description=normalise(" ".join(descriptions)))
        evidence = [_how_well_python(word, fields) for word in typed]
        score = _score(typed, [how_well for how_well, _ in evidence])
        if score > 0:
            scored.append((-score, -sum(often for _, often in evidence), name_fi, pk))
    scored.sort()
    return _in_order(qs, [pk for *_, pk in scored[:limit]])

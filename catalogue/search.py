"""Finding a service by the words a customer uses: sentences, everyday words, typos and Finnish inflection.

Every word of the query counts on its own: a service is ranked by how many of the words it matches and how
well (a word in its names or keywords counts more than one in its description, a long word more than a
short one), so "travel claim not paid" finds travel claims though "not" and "paid" match nothing there.
Words that say nothing about the service (filler, questions, time, "broken") are dropped when others remain.
A word matches when it is a prefix of a word of the service in any of its languages, after the Finnish,
Swedish or English stemmer ("palkkani" -> "palk"), as the Finnish base form of an inflected "-us" noun
("työtodistuksen" -> "työtodistus"), as the last part of a compound ("vesivuoto" -> "vuoto"), or with a typo
("salasnaa"). Each result also says in which language its name matched (`matched_name`).

On PostgreSQL each service carries two weighted search vectors kept by a trigger (migrations 0004, 0008):
names and keywords alone, and with the descriptions; and its unaccented names and keywords for trigram
matching; each has a GIN index. Candidates come from those indexes, at most a few dozen from each, and only
they are scored. On SQLite (the embedded desk) the same rules run in Python over every service.
"""

import difflib
import functools
import operator
import re
import unicodedata
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection
from django.db.models import Case, Count, F, FloatField, Q, Value, When
from django.utils.translation import get_language

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
    "rikki hajosi hajonnut toimi toimii ei_toimi tullut tule tulee tilille "
    "och eller att är en ett inte min mitt mina jag har hade det den som var vad hur när varför vem kan vill "
    "behöver skulle ska hej tack idag imorgon igår nu nästa förra ny nytt nya fungerar trasig sönder "
    "om på av till från för med "
    "the and or of for from to in on at by about into a an my i me is are was not no did do does have has been with what where how "
    "when why who can could would should please need want help hello thanks today tomorrow yesterday now "
    "next last new again still working broken works missing puuttuu puuttuvat saknas"
).split())
CONFIGS = ("finnish", "swedish", "english", "simple")
CANDIDATES = 40  # from each index, before the final scoring
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


def _raw(text: str, config: str, *, prefix: bool = True) -> SearchQuery:
    return SearchQuery(f"{text}:*" if prefix else text, config=config, search_type="raw")


def _any(queries):
    return functools.reduce(operator.or_, queries)


def _search_postgres(qs, words: list[str], limit: int) -> list[Service]:
    # Per word: its forms in every language; the last parts of a compound, in names and keywords as written.
    def forms_of(word, prefix=True):
        return _any([_raw(word, c, prefix=prefix) for c in CONFIGS]
                    + [_raw(b, c, prefix=prefix) for b in base_forms(word) for c in ("finnish", "simple")])

    forms = [forms_of(w) for w in words]
    tails = [_any([_raw(t, "simple") for t in compound_tails(w)]) if compound_tails(w) else None for w in words]
    typed = [normalise(w) for w in words]
    in_names = _any(forms + [t for t in tails if t is not None])

    candidates = Q(pk__in=qs.filter(search_names=in_names)
                   .order_by(-SearchRank(F("search_names"), in_names)).values("pk")[:CANDIDATES])
    candidates |= Q(pk__in=qs.filter(search_vector=functools.reduce(operator.and_, forms)).values("pk")[:CANDIDATES])
    for word in typed:
        if len(word) >= MIN_TYPO_LENGTH:
            candidates |= Q(pk__in=qs.filter(search_text__trigram_word_similar=word)
                            .order_by(-TrigramWordSimilarity(Value(word), "search_text")).values("pk")[:CANDIDATES])

    def hit(field, query, weight):
        return Case(When(Q(**{field: query}), then=Value(weight)), default=Value(0.0), output_field=FloatField())

    evidence = {}
    for i, (form, tail, word) in enumerate(zip(forms, tails, typed, strict=True)):
        evidence[f"names_{i}"] = hit("search_names", forms_of(words[i], prefix=False), NAMES)
        evidence[f"prefix_{i}"] = hit("search_names", form, NAMES_PREFIX)
        evidence[f"anywhere_{i}"] = hit("search_vector", form, DESCRIPTION)
        if tail is not None:
            evidence[f"tail_{i}"] = hit("search_names", tail, TAIL)
        if len(word) >= MIN_TYPO_LENGTH:
            evidence[f"typo_{i}"] = TrigramWordSimilarity(Value(word), "search_text")
    found = list(qs.filter(candidates).annotate(rank=SearchRank(F("search_names"), in_names), **evidence))

    def how_well(service, i):
        typo = getattr(service, f"typo_{i}", 0.0)
        return max(getattr(service, f"names_{i}"), getattr(service, f"prefix_{i}"), getattr(service, f"anywhere_{i}"),
                   getattr(service, f"tail_{i}", 0.0), TYPO * typo if typo >= TYPO_SIMILARITY else 0.0)

    scored = [(_score(words, [how_well(s, i) for i in range(len(words))]), s) for s in found]
    scored.sort(key=lambda pair: (-pair[0], -pair[1].rank, pair[1].name_fi, pair[1].pk))
    return [service for score, service in scored[:limit] if score > 0]


def _name_the_match(services: list[Service], words: list[str]) -> list[Service]:
    """Say in which language a result's name matched, when not in the language the page is in: a Finnish
    page asked "bygglov" shows "Bygglov" beside "Rakennuslupa"."""
    words = [normalise(w) for w in words]
    page = (get_language() or "fi")[:2]
    for service in services:
        service.matched_name = ""
        names = {lang: getattr(service, f"name_{lang}") for lang in ("fi", "sv", "en")}
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
    in_names = max(_best_fit(form, tokens) for form in [word, *base_forms(word)])
    tail = any(token.startswith(part) for part in compound_tails(word) for token in tokens)
    how_well = max(in_names, TAIL if tail else 0.0, DESCRIPTION if word in fields.description else 0.0)
    often = 2 * sum(_word_score(word, t) > 0 for t in fields.names) + sum(_word_score(word, t) > 0 for t in fields.keywords)
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
    best_ids = [pk for *_, pk in scored[:limit]]
    by_id = qs.in_bulk(best_ids)
    return [by_id[pk] for pk in best_ids]

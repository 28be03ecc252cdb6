"""Catalogue at scale: 5,000 services and 20,000 unit tasks, each service described in several paragraphs.

Measures, on its own PostgreSQL database (desk_bench_catalogue by default, created if missing):
  * importing the 5,000-service file (JSON, then the same catalogue as CSV), and re-importing it unchanged;
  * search-as-you-type: every prefix (2+ characters) of realistic queries, as the intake picker sends them,
    through search_services() and through the picker view (HTTP in-process, template included): p50 / p95;
  * the coverage figures over 20,000 tasks.

    DATABASE_URL=postgres://postgres@127.0.0.1/desk_bench_catalogue \\
        /work/main/.venv/bin/python bench/catalogue_bench.py

Results print as a table and are saved in bench/results/catalogue.json (not committed).
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1/desk_bench_catalogue"

TOPICS = [
    ("palkka", "lön", "salary", "palkkalaskelma, tilinauha, palkkapäivä"),
    ("matkalasku", "reseräkning", "travel claim", "kilometrikorvaus, päiväraha, matkakulut"),
    ("loma", "semester", "holiday", "vuosiloma, lomaraha, sairausloma"),
    ("rakennus", "bygg", "building", "remontti, rakentaminen, talo"),
    ("pysäköinti", "parkering", "parking", "parkki, auto, asukaspysäköinti"),
    ("kalastus", "fiske", "fishing", "onkiminen, viehe, kalastuslupa"),
    ("asunto", "bostad", "housing", "vuokra-asunto, asuminen, vuokra"),
    ("koulu", "skola", "school", "oppilas, opetus, koulukuljetus"),
    ("päivähoito", "dagvård", "day care", "päiväkoti, varhaiskasvatus, hoitopaikka"),
    ("vero", "skatt", "tax", "kiinteistövero, verotus, veroilmoitus"),
    ("jäte", "avfall", "waste", "jäteastia, kierrätys, roskat"),
    ("vesi", "vatten", "water", "vesimittari, vesimaksu, viemäri"),
    ("liikunta", "idrott", "sports", "uimahalli, kuntosali, liikuntapaikka"),
    ("kirjasto", "bibliotek", "library", "laina, kirja, e-kirja"),
    ("terveys", "hälsa", "health", "lääkäri, ajanvaraus, terveysasema"),
    ("sosiaaliturva", "social trygghet", "social security", "toimeentulotuki, etuus, avustus"),
    ("ympäristö", "miljö", "environment", "melu, luonto, ilmanlaatu"),
    ("katu", "gata", "street", "katuvalo, auraus, kuoppa"),
    ("yritys", "företag", "business", "yrittäjä, toimitila, elinkeino"),
    ("työterveys", "företagshälsa", "occupational health", "työkyky, työterveyshuolto"),
    ("käyttäjätunnus", "användarkonto", "user account", "salasana unohtui, kirjautuminen, tunnus lukittu"),
    ("tietokone", "dator", "computer", "kannettava, näyttö, tulostin"),
    ("hankinta", "upphandling", "procurement", "tarjous, kilpailutus, sopimus"),
    ("lasku", "faktura", "invoice", "ostolasku, maksumuistutus, laskutus"),
    ("avustus", "bidrag", "grant", "apuraha, tuki, hakemus"),
    ("vuokraus", "uthyrning", "rental", "tilavaraus, sali, vuokrasopimus"),
    ("nimenkirjoitus", "namnteckning", "signature", "valtakirja, allekirjoitus"),
    ("arkisto", "arkiv", "archive", "asiakirja, tietopyyntö, kopio"),
    ("kuljetus", "transport", "transport", "kuljetuspalvelu, taksi, matka"),
    ("vanhuspalvelu", "äldreomsorg", "elderly care", "kotihoito, palvelutalo, omaishoito"),
]
KINDS = [
    ("lupa", "tillstånd", "permit"), ("ilmoitus", "anmälan", "notification"), ("neuvonta", "rådgivning", "advice"),
    ("hakemus", "ansökan", "application"), ("maksu", "avgift", "fee"), ("todistus", "intyg", "certificate"),
    ("tuki", "stöd", "support"), ("laskutus", "fakturering", "billing"), ("rekisteröinti", "registrering",
                                                                          "registration"),
    ("muutos", "ändring", "change"), ("palautus", "återbetalning", "refund"), ("varaus", "bokning", "booking"),
]
AUDIENCES = ["asukkaille", "yrityksille", "henkilöstölle", "opiskelijoille", "ikäihmisille", "yhdistyksille",
             "kiinteistöille", "lapsiperheille"]
PLACES = ["Keskusta", "Hervanta", "Lielahti", "Kaleva", "Tesoma", "Linnainmaa", "Messukylä", "Pispala",
          "Härmälä", "Vuores", "Kauppi", "Nekala", "Peltolammi", "Atala"]
CHANNELS = ["desk", "phone", "email", "web", "callback"]

QUERIES = [
    "palkkani", "matkalaskun", "pysäköintilupa", "rakennuslupa hakemus", "päiväkoti", "salasana unohtui",
    "jäteastia", "kalastuslupa", "vesimaksu", "koulukuljetus", "paivahoito", "palkkka", "kiinteistövero",
    "uimahalli", "tilavaraus", "parking permit", "lön", "ajanvaraus lääkäri",
]


def capitalised(text):
    return text[:1].upper() + text[1:]


def real_descriptions() -> list[dict]:
    """Finland's service catalogue descriptions (catalogue/data/ptv), fi/sv/en, as paragraphs to build long
    descriptions from: real public-service vocabulary, not repeated filler."""
    from django.conf import settings

    from catalogue.ptv import read_ptv

    return [{lang: record.data[f"description_{lang}"] for lang in ("fi", "sv", "en")}
            for record in read_ptv(settings.PTV_DATA_DIR) if record.kind == "service" and record.data["description_fi"]]


def generate(n_services: int, n_tasks: int, units: list[str], teams: list[str], seed: int = 7,
             paragraphs: int = 0, texts: list[dict] = ()) -> dict:
    rng = random.Random(seed)
    areas = [{"identifier": f"area-{i}", "prefLabel": {"fi": capitalised(t[0]), "sv": capitalised(t[1]),
                                                        "en": capitalised(t[2])}, "position": i}
             for i, t in enumerate(TOPICS)]
    groups = [{"identifier": code, "prefLabel": {"fi": fi, "en": en}, "position": i}
              for i, (code, fi, en) in enumerate([("citizens", "Kansalaiset", "Citizens"),
                                                  ("companies", "Yritykset", "Companies"),
                                                  ("staff", "Henkilöstö", "Staff"),
                                                  ("authorities", "Viranomaiset", "Other authorities")])]
    services = []
    for i in range(n_services):
        t = i % len(TOPICS)
        topic = TOPICS[t]
        kind = KINDS[(i // len(TOPICS)) % len(KINDS)]
        audience = AUDIENCES[(i // (len(TOPICS) * len(KINDS))) % len(AUDIENCES)]
        place = PLACES[(i // (len(TOPICS) * len(KINDS) * len(AUDIENCES))) % len(PLACES)]
        fi = f"{capitalised(topic[0])}{kind[0]} {audience}, {place}"
        team = rng.choice(teams) if rng.random() > 0.05 else None
        contributing = rng.sample(units, rng.randint(0, 2))
        services.append({
            "@type": "PublicService",
            "identifier": f"service-{i:05d}",
            "name": {"fi": fi, "sv": f"{capitalised(topic[1])} {kind[1]}, {place}",
                     "en": f"{capitalised(topic[2])} {kind[2]}, {place}"},
            "description": _description(rng, paragraphs, texts, f"{capitalised(topic[0])}{kind[0]} {audience}. "
                                        f"Palvelupiste {place}. Asioi verkossa, puhelimessa tai palvelupisteessä."),
            "keyword": [k.strip() for k in topic[3].split(",")],
            "thematicArea": f"area-{t}",
            "targetGroup": rng.sample([g["identifier"] for g in groups], rng.randint(1, 2)),
            "hasCompetentAuthority": {"identifier": team} if team else None,
            "hasParticipation": [{"role": "contributor", "hasParticipant": {"identifier": u}} for u in contributing],
            "hasChannel": [{"type": c} for c in rng.sample(CHANNELS, rng.randint(1, 3))],
            "servicePromise": {"fi": "Vastaamme kahden arkipäivän kuluessa."} if rng.random() > 0.1 else {},
            "publicWebForm": rng.random() > 0.5,
        })
    tasks = []
    for i in range(n_tasks):
        topic = rng.choice(TOPICS)
        mapped = [] if rng.random() < 0.1 else [f"service-{rng.randrange(n_services):05d}"
                                                 for _ in range(rng.randint(1, 2))]
        tasks.append({"identifier": f"task-{i:05d}", "unit": rng.choice(units),
                      "name": f"{capitalised(topic[0])}asioiden käsittely {i}", "description": "",
                      "services": sorted(set(mapped))})
    return {"format": "servicedesk-catalogue/1", "serviceAreas": areas, "customerGroups": groups,
            "publicServices": services, "unitTasks": tasks}


def _description(rng, paragraphs: int, texts: list[dict], opening: str) -> dict:
    """The service's own opening, then `paragraphs` real descriptions in each language."""
    chosen = rng.sample(texts, paragraphs) if paragraphs else []
    return {lang: "\n\n".join([opening] * (lang == "fi") + [t[lang] for t in chosen if t[lang]])
            for lang in ("fi", "sv", "en")}


def percentile(values, p):
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--services", type=int, default=5000)
    parser.add_argument("--tasks", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=5, help="Times each search query runs.")
    parser.add_argument("--paragraphs", type=int, default=15,
                        help="Real descriptions joined into each service's description, per language (0: one line).")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    if not url.startswith("postgres"):
        sys.exit("The benchmark runs on PostgreSQL: set DATABASE_URL=postgres://.../desk_bench_catalogue")
    os.environ.update(DATABASE_URL=url, SECRET_KEY=os.environ.get("SECRET_KEY", "bench"), DEBUG="0",
                      DJANGO_SETTINGS_MODULE="servicedesk.settings", ALLOWED_HOSTS="testserver")
    ensure_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from catalogue import exporting, importing, selectors
    from catalogue.models import CatalogueChange, CustomerGroup, Service, ServiceArea, UnitTask
    from catalogue.search import search_services
    from teams.models import Team, Unit, User

    call_command("migrate", verbosity=0)
    results = {"services": args.services, "tasks": args.tasks,
               "postgres": connection.cursor().connection.info.server_version}

    # The organisation: 6 units, two of them with sub-units; 40 teams.
    units = []
    for u in range(6):
        parent, _ = Unit.objects.get_or_create(code=f"unit-{u}", defaults={"name": f"Yksikkö {u}"})
        units.append(parent.code)
        if u < 2:
            for s in range(3):
                child, _ = Unit.objects.get_or_create(code=f"unit-{u}-{s}",
                                                      defaults={"name": f"Yksikkö {u}.{s}", "parent": parent})
                units.append(child.code)
    teams = [Team.objects.get_or_create(slug=f"team-{t}", defaults={"name": f"Tiimi {t}"})[0].slug
             for t in range(40)]

    data_dir = ROOT / "bench" / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    document = generate(args.services, args.tasks, units, teams, paragraphs=args.paragraphs,
                        texts=real_descriptions() if args.paragraphs else [])
    described = [len(s["description"].get("fi", "")) + len(s["description"].get("sv", "")) + len(s["description"].get("en", ""))
                 for s in document["publicServices"]]
    results["description_chars_median"] = statistics.median(described)
    print(f"Descriptions: {args.paragraphs} paragraphs per language, median {results['description_chars_median']:.0f} "
          f"characters per service (fi+sv+en)")
    json_path = data_dir / f"catalogue-{args.services}.json"
    json_path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")

    def wipe():
        UnitTask.objects.all().delete()
        CatalogueChange.objects.all().delete()
        Service.objects.all().delete()
        CustomerGroup.objects.all().delete()
        ServiceArea.objects.all().delete()

    def timed_import(path, fmt):
        started = time.perf_counter()
        report = importing.import_file(path.read_bytes(), fmt=fmt)
        elapsed = time.perf_counter() - started
        assert report.ok, [str(p) for p in report.problems[:5]]
        return elapsed, report

    wipe()
    results["import_json_s"], report = timed_import(json_path, "json")
    print(f"JSON import, empty catalogue: {results['import_json_s']:.1f} s  ({report.summary()})")
    results["reimport_json_s"], report = timed_import(json_path, "json")
    print(f"JSON re-import, nothing to change: {results['reimport_json_s']:.1f} s  ({report.summary()})")

    csv_path = data_dir / f"catalogue-{args.services}.csv"
    csv_path.write_text(exporting.export_csv(), encoding="utf-8")
    started = time.perf_counter()
    exporting.export_json()
    results["export_json_s"] = time.perf_counter() - started
    wipe()
    results["import_csv_s"], report = timed_import(csv_path, "csv")
    print(f"CSV import, empty catalogue: {results['import_csv_s']:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE catalogue_service")

    # Search as you type: every prefix of 2+ characters, as the picker sends them after each pause.
    queries = sorted({q[:n] for q in QUERIES for n in range(2, len(q) + 1)})
    for q in queries[:20]:  # warm the caches
        search_services(q, limit=8)
    timings = []
    for _ in range(args.repeat):
        for q in queries:
            started = time.perf_counter()
            search_services(q, limit=8)
            timings.append((time.perf_counter() - started) * 1000)
    results["search_queries"] = len(queries)
    # The plan: candidates come from the GIN indexes, not from reading every service.
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        search_services("rakennuslupa hakemus", limit=8)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + captured.captured_queries[-2]["sql"])  # the scoring, candidates inside
        plan = "\n".join(row[0] for row in cursor.fetchall())
    results["plan_indexes"] = sorted({name for name in ("catalogue_service_search_names", "catalogue_service_search_vector",
                                                        "catalogue_service_search_trgm_gist") if name in plan})
    results["plan_reads_every_service"] = "Seq Scan on catalogue_service" in plan
    print(plan)
    results["search_p50_ms"] = statistics.median(timings)
    results["search_p95_ms"] = percentile(timings, 95)
    results["search_max_ms"] = max(timings)

    user, _ = User.objects.get_or_create(username="bench-staff")
    client = Client()
    client.force_login(user)
    picker = reverse("catalogue:picker")
    http = []
    for _ in range(max(1, args.repeat // 2)):
        for q in queries:
            started = time.perf_counter()
            response = client.get(picker, {"q": q}, HTTP_HX_REQUEST="true")
            http.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
    results["picker_http_p50_ms"] = statistics.median(http)
    results["picker_http_p95_ms"] = percentile(http, 95)

    firsts = {q: (search_services(q, limit=1) or [None])[0] for q in QUERIES}
    results["first_hits"] = {q: s.name_fi if s else None for q, s in firsts.items()}

    started = time.perf_counter()
    selectors.coverage_by_unit()
    results["coverage_s"] = time.perf_counter() - started

    print(f"Search over {args.services} services, {len(queries)} partial queries x {args.repeat}: "
          f"p50 {results['search_p50_ms']:.1f} ms, p95 {results['search_p95_ms']:.1f} ms, "
          f"max {results['search_max_ms']:.1f} ms")
    print(f"Picker over HTTP (view + template): p50 {results['picker_http_p50_ms']:.1f} ms, "
          f"p95 {results['picker_http_p95_ms']:.1f} ms")
    print(f"Coverage over {args.tasks} tasks: {results['coverage_s'] * 1000:.0f} ms")
    print(f"Export JSON: {results['export_json_s']:.1f} s")
    for q, name in results["first_hits"].items():
        print(f"  {q!r:24} -> {name}")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "catalogue.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()

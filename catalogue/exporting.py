"""The catalogue written out as JSON (in the shape of the EU Core Public Service Vocabulary, CPSV-AP) or as
one CSV file; catalogue.importing reads both back, so export -> import gives the same catalogue.

Both forms carry the same records: service areas, customer groups, services and unit tasks, each named
by its identifier. Teams and units are referred to by their codes; they belong to the teams app.
"""

import csv
import io
import json

from django.db.models import Prefetch
from django.utils import timezone

from servicedesk.csvcells import safe_cell
from servicedesk.languages import LANGUAGES
from teams.models import Unit

from .models import CustomerGroup, Service, ServiceArea, UnitTask

FORMAT = "servicedesk-catalogue/1"
CONTEXT = {
    "@vocab": "http://data.europa.eu/m8g/",
    "cpsv": "http://purl.org/vocab/cpsv#",
    "dct": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "PublicService": "cpsv:PublicService",
    "identifier": "dct:identifier",
    "name": "dct:title",
    "description": "dct:description",
    "prefLabel": "skos:prefLabel",
    "definition": "skos:definition",
    "desk": "urn:servicedesk:catalogue:",
    "servicePromise": "desk:servicePromise",
    "publicWebForm": "desk:publicWebForm",
    "retiredAt": "desk:retiredAt",
    "targetGroup": "desk:targetGroup",
    "position": "desk:position",
    "unitTasks": "desk:unitTask",
}

CSV_COLUMNS = [
    "kind", "identifier", "name_fi", "name_sv", "name_en", "description_fi", "description_sv", "description_en",
    "position", "area", "customer_groups", "keywords", "owning_team", "contributing_units", "partners",
    "channels", "promise_fi", "promise_sv", "promise_en", "public_web_form", "retired_at", "unit", "services",
]
LIST_SEPARATOR = "|"


# --- one canonical record per row, shared by both formats ----------------------------------------------

def _texts(obj, field):
    return {lang: getattr(obj, f"{field}_{lang}") for lang in LANGUAGES}


def catalogue_records() -> dict[str, list[dict]]:
    areas = [
        {"code": a.code, **_prefixed(_texts(a, "name"), "name"), **_prefixed(_texts(a, "description"), "description"),
         "position": a.position}
        for a in ServiceArea.objects.order_by("code")
    ]
    groups = [
        {"code": g.code, **_prefixed(_texts(g, "name"), "name"), "position": g.position}
        for g in CustomerGroup.objects.order_by("code")
    ]
    services = []
    for s in (
        Service.objects.order_by("code").select_related("area", "owning_team").defer(*Service.SEARCH_FIELDS)
        .prefetch_related(
            Prefetch("customer_groups", queryset=CustomerGroup.objects.only("code")),
            Prefetch("contributing_units", queryset=Unit.objects.only("code", *(f"name_{lang}" for lang in LANGUAGES))),
        )
    ):
        services.append({
            "code": s.code, "area": s.area.code,
            **_prefixed(_texts(s, "name"), "name"), **_prefixed(_texts(s, "description"), "description"),
            "keywords": s.keyword_list,
            "owning_team": s.owning_team.slug if s.owning_team else None,
            "partners": s.partner_list,
            "channels": list(s.channels),
            **_prefixed(_texts(s, "promise"), "promise"),
            "public_web_form": s.public_web_form,
            "retired_at": s.retired_at,
            "customer_groups": sorted(g.code for g in s.customer_groups.all()),
            "contributing_units": sorted(u.code for u in s.contributing_units.all()),
            # Carried for readers of the JSON form; import does not read them back.
            "_team": s.owning_team,
            "_units": {u.code: u.name for u in s.contributing_units.all()},
        })
    tasks = [
        {"code": t.code, "unit": t.unit.code, "name": t.name, "description": t.description,
         "services": sorted(s.code for s in t.services.all())}
        for t in UnitTask.objects.order_by("code").select_related("unit").prefetch_related(
            Prefetch("services", queryset=Service.objects.only("code")))
    ]
    return {"area": areas, "customer_group": groups, "service": services, "unit_task": tasks}


def _prefixed(texts: dict, field: str) -> dict:
    return {f"{field}_{lang}": value for lang, value in texts.items()}


def _lang_map(record: dict, field: str) -> dict:
    return {lang: record[f"{field}_{lang}"] for lang in LANGUAGES if record.get(f"{field}_{lang}")}


# --- JSON (CPSV-AP shape) ---------------------------------------------------------------------------------

def _service_json(r: dict) -> dict:
    team = r["_team"]
    participations = [
        {"@type": "Participation", "role": "contributor",
         "hasParticipant": {"@type": "PublicOrganisation", "identifier": code, "prefLabel": r["_units"][code]}}
        for code in r["contributing_units"]
    ] + [
        {"@type": "Participation", "role": "partner", "hasParticipant": {"@type": "Organisation", "prefLabel": p}}
        for p in r["partners"]
    ]
    return {
        "@type": "PublicService",
        "identifier": r["code"],
        "name": _lang_map(r, "name"),
        "description": _lang_map(r, "description"),
        "keyword": r["keywords"],
        "thematicArea": r["area"],
        "targetGroup": r["customer_groups"],
        "hasCompetentAuthority": (
            {"@type": "PublicOrganisation", "identifier": team.slug, "prefLabel": team.name} if team else None
        ),
        "hasParticipation": participations,
        "hasChannel": [{"@type": "Channel", "identifier": c, "type": c} for c in r["channels"]],
        "hasContactPoint": [{"@type": "ContactPoint", "email": team.email}] if team and team.email else [],
        "servicePromise": _lang_map(r, "promise"),
        "publicWebForm": r["public_web_form"],
        "status": "withdrawn" if r["retired_at"] else "active",
        "retiredAt": r["retired_at"].isoformat() if r["retired_at"] else None,
    }


def catalogue_document() -> dict:
    records = catalogue_records()
    return {
        "@context": CONTEXT,
        "format": FORMAT,
        "generatedAt": timezone.now().isoformat(),
        "serviceAreas": [
            {"@type": "skos:Concept", "identifier": a["code"], "prefLabel": _lang_map(a, "name"),
             "definition": _lang_map(a, "description"), "position": a["position"]}
            for a in records["area"]
        ],
        "customerGroups": [
            {"@type": "skos:Concept", "identifier": g["code"], "prefLabel": _lang_map(g, "name"),
             "position": g["position"]}
            for g in records["customer_group"]
        ],
        "publicServices": [_service_json(s) for s in records["service"]],
        "unitTasks": [
            {"identifier": t["code"], "unit": t["unit"], "name": t["name"], "description": t["description"],
             "services": t["services"]}
            for t in records["unit_task"]
        ],
    }


def export_json() -> str:
    return json.dumps(catalogue_document(), ensure_ascii=False, indent=2) + "\n"


# --- CSV: one file, one row per record, the kind in the first column ----------------------------------------

def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def csv_rows() -> list[dict]:
    records = catalogue_records()
    rows = []
    for kind in ("area", "customer_group", "service", "unit_task"):
        for r in records[kind]:
            row = {k: _cell(v) for k, v in r.items() if not k.startswith("_") and k != "code"}
            row.update(kind=kind, identifier=r["code"])
            for field in ("customer_groups", "contributing_units", "channels", "services"):
                if field in r:
                    row[field] = LIST_SEPARATOR.join(r[field])
            if kind == "unit_task":  # a task has one name and description; they use the Finnish columns
                row["name_fi"], row["description_fi"] = row.pop("name"), row.pop("description")
            if kind == "service":
                row["keywords"] = ", ".join(r["keywords"])
                row["partners"] = "\n".join(r["partners"])
            rows.append(row)
    return rows


def export_csv() -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows({column: safe_cell(value) for column, value in row.items()} for row in csv_rows())
    return out.getvalue()

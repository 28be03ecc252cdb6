"""The Finnish Service Catalogue (Palvelutietovaranto, PTV) as a starting point for ours.

Reads the public code lists and general descriptions PTV publishes:
  ServiceClasses.json      -> service areas: the top-level classes (P1 Asuminen, P2 ...), identifiers ptv-p1...
  TargetGroups.json        -> customer groups (KR1 Kansalaiset, KR1.2 ...), identifiers ptv-kr1, ptv-kr1-2...
  GeneralDescriptions.json -> services with their Finnish, Swedish and English names and descriptions; the
                              file holds several versions of many descriptions: one service per ReferenceCode
                              (versions without one are grouped by their Finnish name), taking the version
                              with the most languages and text.
The records go through catalogue.importing like any catalogue file: checked whole, written all or nothing,
matched by identifier, so importing again changes nothing.
"""

import json
import uuid
from collections import defaultdict
from pathlib import Path

from servicedesk.languages import LANGUAGES

from .importing import Record

UNCLASSIFIED = "ptv-unclassified"
NAMELESS_NAMESPACE = uuid.UUID("6f1b7a52-3a0e-4d7e-9a57-6b0d2f0c9e11")


def _code(notation: str) -> str:
    return "ptv-" + notation.lower().replace(".", "-")


def _label(labels: dict | None, lang: str) -> str:
    return ((labels or {}).get(lang.capitalize()) or "").strip()


def _texts(entries: list) -> dict:
    """PTV's [{"Lang": "fi", "Label": "..."}] as {"fi": "..."}; rich text (Draft.js JSON) as plain text."""
    texts = {}
    for entry in entries or []:
        label = entry.get("Label") or ""
        if label.startswith("{") and '"blocks"' in label:
            try:
                label = "\n".join(b.get("text", "") for b in json.loads(label)["blocks"]).strip()
            except (ValueError, KeyError, TypeError):
                pass
        if label.strip():
            texts[entry.get("Lang")] = label.strip()
    return texts


def _top_notation(notation: str) -> str:
    return notation.split(".")[0]


def _position(notation: str) -> int:
    digits = "".join(ch for ch in _top_notation(notation) if ch.isdigit())
    return int(digits or 0)


def read_ptv(data_dir: Path) -> list[Record]:
    data_dir = Path(data_dir)
    classes = json.loads((data_dir / "ServiceClasses.json").read_text(encoding="utf-8"))
    groups = json.loads((data_dir / "TargetGroups.json").read_text(encoding="utf-8"))
    descriptions = json.loads((data_dir / "GeneralDescriptions.json").read_text(encoding="utf-8"))

    records = []
    # A class is referred to by its old URI in the descriptions; the first part of its notation is its area.
    area_of_uri = {}
    for cls in classes:
        area_of_uri[cls["OldUri"]] = _code(_top_notation(cls["Notation"]))
        area_of_uri[cls["Id"]] = area_of_uri[cls["OldUri"]]
        if "." not in cls["Notation"]:
            records.append(Record("area", None, {
                "code": _code(cls["Notation"]),
                **{f"name_{lang}": _label(cls["Label"], lang) for lang in LANGUAGES},
                **{f"description_{lang}": _label(cls.get("Notes"), lang) for lang in LANGUAGES},
                "position": _position(cls["Notation"]),
            }))
    group_of_uri = {}
    for position, group in enumerate(sorted(groups, key=lambda g: [int(p) for p in g["Notation"][2:].split(".")])):
        group_of_uri[group["OldUri"]] = group_of_uri[group["Id"]] = _code(group["Notation"])
        records.append(Record("customer_group", None, {
            "code": _code(group["Notation"]),
            **{f"name_{lang}": _label(group["Label"], lang) for lang in LANGUAGES},
            "position": position,
        }))

    versions = defaultdict(list)
    for description in descriptions:
        names = _texts(description.get("Name"))
        if not names.get("fi"):
            continue
        key = description.get("ReferenceCode") or str(uuid.uuid5(NAMELESS_NAMESPACE, names["fi"].lower()))
        versions[key].append(description)

    unclassified = False
    for code in sorted(versions):
        best = min(versions[code], key=lambda d: (
            -len(_texts(d.get("Name"))),
            -sum(len(_texts(d.get(part))) for part in ("ShortDescription", "Description")),
            d["Id"],
        ))
        names = _texts(best.get("Name"))
        short, long = _texts(best.get("ShortDescription")), _texts(best.get("Description"))
        # The chosen version's class, or any other version's if it has none.
        areas = [area_of_uri[c["Key"]] for d in [best, *versions[code]] for c in d.get("ServiceClass") or []
                 if c.get("Key") in area_of_uri]
        if not areas:
            unclassified = True
        keywords = []
        for term in best.get("OntologyTerm") or []:
            word = (term.get("Value") or "").replace(",", " ").strip()
            if word and word not in keywords:
                keywords.append(word)
        records.append(Record("service", None, {
            "code": code,
            "area": areas[0] if areas else UNCLASSIFIED,
            **{f"name_{lang}": names.get(lang, "")[:200] for lang in LANGUAGES},
            **{f"description_{lang}": "\n\n".join(t for t in (short.get(lang), long.get(lang)) if t) for lang in LANGUAGES},
            **{f"promise_{lang}": "" for lang in LANGUAGES},
            "keywords": keywords,
            "customer_groups": sorted({group_of_uri[g["Key"]] for g in best.get("TargetGroup") or []
                                       if g.get("Key") in group_of_uri}),
            "owning_team": None,
            "contributing_units": [],
            "partners": [],
            "channels": [],
            "public_web_form": False,
            "retired_at": None,
        }))
    if unclassified:
        records.insert(0, Record("area", None, {
            "code": UNCLASSIFIED, "name_fi": "Luokittelematon", "name_sv": "Oklassificerad", "name_en": "Unclassified",
            "description_fi": "", "description_sv": "", "description_en": "", "position": 999,
        }))
    return records

"""Reading a catalogue file (CSV or JSON, as catalogue.exporting writes them) into the catalogue.

All or nothing: the whole file is checked first and every problem reported with its line and field (one
message for a problem many rows share); if there is any, nothing is written. Rows match existing entries by
identifier, never by name, so importing the same file again changes nothing. Entries missing from the file are
left as they are, and so are fields: a CSV column or a JSON key that is not there leaves that field unchanged,
while an empty cell clears it. CSV and JSON are read alike (text trimmed, keywords split at commas).
"""

import csv
import io
import json
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicedesk.csvcells import read_cell
from servicedesk.languages import LANGUAGES
from teams.models import Team, Unit

from .exporting import CSV_COLUMNS, LIST_SEPARATOR
from .models import (
    DESCRIPTION_LIMIT,
    CatalogueChange,
    Channel,
    CustomerGroup,
    Service,
    ServiceArea,
    UnitTask,
    catalogue_imported,
)
from .permissions import require_maintainer
from .services import natural_key

KINDS = ("area", "customer_group", "service", "unit_task")
KIND_LABELS = {"area": gettext_lazy("service area"), "customer_group": gettext_lazy("customer group"),
               "service": gettext_lazy("service"), "unit_task": gettext_lazy("unit task")}
MODELS = {"area": ServiceArea, "customer_group": CustomerGroup, "service": Service, "unit_task": UnitTask}
TEXT_LIMITS = {"name": 200, "promise": 300, "description": DESCRIPTION_LIMIT}
# Above this a CSV reader refuses a cell (Python's default); the longest field allowed is far below it.
CELL_LIMIT = 131_072
# Without these a new entry cannot be made; a file without the column says so once, not once per row.
NEEDED_FOR_NEW = {"area": ["name_fi"], "customer_group": ["name_fi"], "service": ["name_fi", "area"],
                  "unit_task": ["name", "unit"]}
BATCH = 500


@dataclass
class Problem:
    line: int | None
    field: str
    message: str
    record: str = ""

    def __str__(self):
        where = _("Line %(line)s") % {"line": self.line} if self.line else _("File")
        if self.record:
            where = f"{where} ({self.record})"
        return f"{where}, {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


@dataclass
class Record:
    kind: str
    line: int | None
    data: dict
    # Fields the file does not carry (no such column or key): filled in from the catalogue, unchanged.
    missing: frozenset = frozenset()

    @property
    def code(self) -> str:
        return self.data.get("code") or ""

    @property
    def label(self) -> str:
        return f"{KIND_LABELS[self.kind]} {self.code}".strip()


@dataclass
class ImportReport:
    problems: list[Problem] = field(default_factory=list)
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    applied: bool = False
    records: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        parts = []
        for kind in KINDS:
            if self.created[kind] or self.updated[kind] or self.unchanged[kind]:
                parts.append(_("%(kind)s: %(created)d new, %(updated)d changed, %(unchanged)d unchanged") % {
                    "kind": KIND_LABELS[kind], "created": self.created[kind], "updated": self.updated[kind],
                    "unchanged": self.unchanged[kind]})
        return "; ".join(parts) or _("The file holds no catalogue entries.")


class _NoProgress:
    def update(self, n=1):
        pass

    def close(self):
        pass


Progress = Callable[[str, int], object]  # (stage, total) -> something with update(n) and close()


# --- reading the two formats into records --------------------------------------------------------------

def parse(content: bytes | str, *, fmt: str) -> tuple[list[Record], list[Problem]]:
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = content.count(b"\n", 0, error.start) + 1
            return [], [Problem(line, "", _("The file is not UTF-8 text: save it as UTF-8 (the first other "
                                            "character is on this line)."))]
    content = content.lstrip("\ufeff")
    if fmt == "json":
        return _parse_json(content)
    if fmt == "csv":
        return _parse_csv(content)
    return [], [Problem(None, "", _("Unknown format %(fmt)s; use csv or json.") % {"fmt": fmt})]


def guess_format(filename: str | None, content: bytes | str) -> str:
    if filename and filename.lower().endswith(".json"):
        return "json"
    if filename and filename.lower().endswith(".csv"):
        return "csv"
    head = content[:1] if isinstance(content, str) else content[:4].decode("utf-8-sig", "ignore")[:1]
    return "json" if head.strip() in ("{", "[") else "csv"


def _split(value: str, sep: str = LIST_SEPARATOR) -> list[str]:
    return [v.strip() for v in (value or "").split(sep) if v.strip()]


def _parse_csv(text: str) -> tuple[list[Record], list[Problem]]:
    first_line = text.split("\n", 1)[0]
    # Spreadsheets set to Finnish save with semicolons.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    problems = []
    try:
        columns = reader.fieldnames or []
    except csv.Error as error:
        return [], [Problem(1, "", _("The header cannot be read: %(error)s.") % {"error": error})]
    unknown = [c for c in columns if c not in CSV_COLUMNS]
    if unknown:
        problems.append(Problem(1, ", ".join(unknown), _("Unknown column; the columns are: %(columns)s.") % {
            "columns": ", ".join(CSV_COLUMNS)}))
    for needed in ("kind", "identifier"):
        if needed not in columns:
            problems.append(Problem(1, needed, _("This column is required.")))
    if problems:
        return [], problems
    records = []
    line = 2
    rows = iter(reader)
    while True:
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as error:
            # The reader cannot go on past a broken cell: the file stops here, and so does the import.
            message = (_("A cell is longer than %(limit)d characters; no field may be that long.") % {
                "limit": CELL_LIMIT} if "field larger" in str(error) else str(error))
            problems.append(Problem(reader.line_num, "", message))
            return [], problems
        start, line = line, reader.line_num + 1
        if None in row:
            problems.append(Problem(start, "", _("This row has more cells than the header has columns.")))
            continue
        if any(value is None for value in row.values()):
            if any(row.values()):
                problems.append(Problem(start, "", _("This row has fewer cells than the header has columns: is the "
                                                     "file cut short?")))
            continue
        cells = {k: read_cell(v).strip() if k != "partners" else read_cell(v) for k, v in row.items()}
        if not any(cells.values()):
            continue
        kind = cells.get("kind", "")
        if kind not in KINDS:
            problems.append(Problem(start, "kind", _("Unknown kind %(kind)r; use one of: %(kinds)s.") % {
                "kind": kind, "kinds": ", ".join(KINDS)}))
            continue
        records.append(_csv_record(kind, start, cells))
    return records, problems


def _csv_record(kind: str, line: int, cells: dict) -> Record:
    """A row's fields, for the columns the file has (the others stay as they are)."""
    data, missing = {"code": cells["identifier"]}, set()
    for name, (column, read) in READERS[kind].items():
        if column in cells:
            data[name] = read(cells[column])
        else:
            missing.add(name)
    return Record(kind, line, data, frozenset(missing))


def _csv_readers(kind: str) -> dict:
    """Each field of a kind of entry: (its column, how its cell is read)."""
    readers = {}
    if kind == "unit_task":
        readers.update(name=("name_fi", str), description=("description_fi", str), unit=("unit", str),
                       services=("services", _split))
    else:
        readers.update({f"name_{lang}": (f"name_{lang}", str) for lang in LANGUAGES})
    if kind in ("area", "service"):
        readers.update({f"description_{lang}": (f"description_{lang}", str) for lang in LANGUAGES})
    if kind in ("area", "customer_group"):
        readers["position"] = ("position", lambda value: value or "0")
    if kind == "service":
        readers.update({f"promise_{lang}": (f"promise_{lang}", str) for lang in LANGUAGES})
        readers.update(
            area=("area", str), customer_groups=("customer_groups", _split),
            keywords=("keywords", lambda value: _split(value, ",")), owning_team=("owning_team", lambda v: v or None),
            contributing_units=("contributing_units", _split),
            partners=("partners", lambda value: [p.strip() for p in value.splitlines() if p.strip()]),
            channels=("channels", _split), public_web_form=("public_web_form", str),
            retired_at=("retired_at", lambda value: value or None),
        )
    return readers


READERS = {kind: _csv_readers(kind) for kind in KINDS}  # built once: every row of a file asks


SECTIONS = {"serviceAreas": "area", "customerGroups": "customer_group", "publicServices": "service",
            "unitTasks": "unit_task"}


def _json_items_with_lines(text: str):
    """Yield (section, line, item) for the records of the top-level sections, so problems name their line."""
    decoder = json.JSONDecoder()
    length = len(text)

    def skip(i):
        while i < length and text[i] in " \t\r\n":
            i += 1
        return i

    counted = [0, 1]  # position and line reached so far; records come in order, so count forward only

    def line_of(i):
        counted[1] += text.count("\n", counted[0], i)
        counted[0] = i
        return counted[1]

    i = skip(0)
    if i >= length or text[i] != "{":
        raise ValueError(_("The file must hold one JSON object with the catalogue's sections."))
    i = skip(i + 1)
    while i < length and text[i] != "}":
        key, i = decoder.raw_decode(text, i)
        i = skip(i)
        if text[i] != ":":
            raise ValueError(_("Expected ':' at line %(line)d.") % {"line": line_of(i)})
        i = skip(i + 1)
        if key in SECTIONS and text[i] == "[":
            i = skip(i + 1)
            while text[i] != "]":
                item, end = decoder.raw_decode(text, i)
                yield key, line_of(i), item
                i = skip(end)
                if text[i] == ",":
                    i = skip(i + 1)
            i += 1
        else:
            _skipped, i = decoder.raw_decode(text, i)
        i = skip(i)
        if text[i] == ",":
            i = skip(i + 1)


def _parse_json(text: str) -> tuple[list[Record], list[Problem]]:
    try:
        json.loads(text)  # a clear message for broken JSON, with the position
    except json.JSONDecodeError as error:
        return [], [Problem(error.lineno, "", _("Not valid JSON: %(msg)s (column %(col)d).") % {
            "msg": error.msg, "col": error.colno})]
    records, problems = [], []
    try:
        items = list(_json_items_with_lines(text))
    except (ValueError, IndexError) as error:
        return [], [Problem(None, "", str(error))]
    for section, line, item in items:
        kind = SECTIONS[section]
        if not isinstance(item, dict):
            problems.append(Problem(line, section, _("Each entry must be a JSON object.")))
            continue
        try:
            records.append(_from_json(kind, item, line))
        except (TypeError, AttributeError, ValueError, KeyError) as error:
            problems.append(Problem(line, section, _("Malformed entry: %(error)s") % {"error": error}))
    return records, problems


def _langs(value, field: str) -> dict:
    if value is None:
        value = {}
    if isinstance(value, str):  # a bare string is the Finnish text
        value = {"fi": value}
    if not isinstance(value, dict):
        raise ValueError(_("%(field)s must map languages to text") % {"field": field})
    return {f"{field}_{lang}": _trimmed(value.get(lang) or "") for lang in LANGUAGES}


def _trimmed(value):
    """Text as a CSV cell is read: without the spaces around it."""
    return value.strip() if isinstance(value, str) else value


def _keywords(values) -> list[str]:
    """Keywords are kept as one comma-separated text: a keyword with a comma in it is several keywords."""
    return [word.strip() for value in values or [] for word in str(value).split(",") if word.strip()]


def _from_json(kind: str, item: dict, line: int) -> Record:
    """An entry's fields, for the keys it has (the others stay as they are)."""
    code = _trimmed(item.get("identifier") or "")
    readers = {}
    if kind in ("area", "customer_group"):
        readers.update(prefLabel=lambda v: _langs(v, "name"), position=lambda v: {"position": v})
        if kind == "area":
            readers["definition"] = lambda v: _langs(v, "description")
    elif kind == "unit_task":
        readers.update(unit=lambda v: {"unit": _trimmed(v or "")}, name=lambda v: {"name": _trimmed(v or "")},
                       description=lambda v: {"description": _trimmed(v or "")},
                       services=lambda v: {"services": [_trimmed(c) for c in v or []]})
    else:
        readers.update(
            thematicArea=lambda v: {"area": _area(v)},
            name=lambda v: _langs(v, "name"),
            description=lambda v: _langs(v, "description"),
            servicePromise=lambda v: _langs(v, "promise"),
            keyword=lambda v: {"keywords": _keywords(v)},
            targetGroup=lambda v: {"customer_groups": [_trimmed(c) for c in v or []]},
            hasCompetentAuthority=lambda v: {
                "owning_team": _trimmed(v.get("identifier") if isinstance(v, dict) else v) or None},
            hasParticipation=_participations,
            hasChannel=lambda v: {"channels": [_trimmed(c.get("type") or c.get("identifier") if isinstance(c, dict)
                                                        else c) for c in v or []]},
            publicWebForm=lambda v: {"public_web_form": v},
            retiredAt=lambda v: {"retired_at": v or None},
        )
    data, present = {"code": code}, set()
    for key, read in readers.items():
        if key in item:
            fields = read(item[key])
            data.update(fields)
            present.update(fields)
    return Record(kind, line, data, frozenset(set(READERS[kind]) - present))


def _area(value):
    if isinstance(value, list):  # CPSV-AP allows several; the catalogue files a service under one
        value = value[0] if len(value) == 1 else value
    return _trimmed(value or "") if not isinstance(value, list) else value


def _participations(value) -> dict:
    participations = value or []
    return {
        "contributing_units": [_trimmed(p["hasParticipant"].get("identifier")) for p in participations
                               if p.get("role") == "contributor"],
        "partners": [_trimmed(p["hasParticipant"].get("prefLabel")) for p in participations
                     if p.get("role") == "partner"],
    }


# --- checking ------------------------------------------------------------------------------------------

BOOLEANS = {"": False, "no": False, "false": False, "0": False, "ei": False, "yes": True, "true": True,
            "1": True, "kyllä": True}


DEFAULTS = {"position": 0, "owning_team": None, "public_web_form": False, "retired_at": None}
LISTS = ("keywords", "partners", "channels", "customer_groups", "contributing_units", "services")


def fill_unchanged(records: list[Record]) -> list[Problem]:
    """Give each record the fields its file did not carry: an existing entry's own values, a new entry's
    defaults. A field a new entry cannot do without is one problem for the whole file."""
    problems, reported = [], set()
    for kind in KINDS:
        wanting = [r for r in records if r.kind == kind and r.missing]
        if not wanting:
            continue
        _objects, snapshots = _current(kind)
        for r in wanting:
            current = snapshots.get(r.code)
            for name in r.missing:
                if current is not None:
                    r.data[name] = current[name]
                    continue
                r.data[name] = [] if name in LISTS else DEFAULTS.get(name, "")
                if name in NEEDED_FOR_NEW[kind] and (kind, name) not in reported:
                    reported.add((kind, name))
                    problems.append(Problem(None, _column(kind, name), _(
                        "The file has no such column (or key), and new entries need it: %(kind)s %(code)s "
                        "(line %(line)s) and any other new one.") % {
                        "kind": KIND_LABELS[kind], "code": r.code, "line": r.line}))
    return problems


def _column(kind: str, name: str) -> str:
    return READERS[kind][name][0]


def _grouped(problems: list[Problem]) -> list[Problem]:
    """One message for a problem many rows share (an unknown team named on 1,700 rows), with where."""
    alike = defaultdict(list)
    for problem in problems:
        alike[(problem.field, problem.message)].append(problem)
    grouped = []
    for (field_, message), group in alike.items():
        if len(group) == 1:
            grouped.append(group[0])
            continue
        lines = [str(p.line) for p in group if p.line][:10]
        more = "…" if len(group) > len(lines) else ""
        grouped.append(Problem(group[0].line, field_, _("%(message)s (%(count)d rows: lines %(lines)s%(more)s)") % {
            "message": message, "count": len(group), "lines": ", ".join(lines), "more": more}))
    return grouped


def check(records: list[Record]) -> list[Problem]:
    """Every problem in the file; fills in parsed values (positions, booleans, times) on the way."""
    problems = []
    seen = defaultdict(dict)
    in_file = defaultdict(set)
    for r in records:
        in_file[r.kind].add(r.code)
    known = {
        "area": in_file["area"] | set(ServiceArea.objects.values_list("code", flat=True)),
        "customer_group": in_file["customer_group"] | set(CustomerGroup.objects.values_list("code", flat=True)),
        "service": in_file["service"] | set(Service.objects.values_list("code", flat=True)),
        "team": set(Team.objects.values_list("slug", flat=True)),
        "unit": set(Unit.objects.values_list("code", flat=True)),
    }

    for r in records:
        def problem(field, message, r=r):
            problems.append(Problem(r.line, field, message, r.label))

        d = r.data
        code = d.get("code")
        if not code:
            problem("identifier", _("An identifier is required."))
        elif not isinstance(code, str) or len(code) > 80:
            problem("identifier", _("At most 80 letters, digits, hyphens or underscores."))
        else:
            try:
                validate_slug(code)
            except ValidationError:
                problem("identifier", _("Use only letters, digits, hyphens and underscores."))
            if code in seen[r.kind]:
                problem("identifier", _("Listed twice; first at line %(line)s.") % {"line": seen[r.kind][code]})
            else:
                seen[r.kind][code] = r.line

        name_fields = ["name"] if r.kind == "unit_task" else [f"name_{lang}" for lang in LANGUAGES]
        for name, value in d.items():
            if name.startswith(("name", "description", "promise")) and not isinstance(value, str):
                problem(name, _("Must be text."))
                d[name] = ""
        for list_name in ("keywords", "partners", "channels", "customer_groups", "contributing_units", "services"):
            if list_name in d and any(not isinstance(v, str) for v in d[list_name]):
                problem(list_name, _("Must be a list of text."))
                d[list_name] = []
        if not d.get(name_fields[0]) and name_fields[0] not in r.missing:
            problem(name_fields[0], _("A Finnish name is required.") if r.kind != "unit_task"
                    else _("A name is required."))
        for name, value in d.items():
            limit = TEXT_LIMITS.get(name.rsplit("_", 1)[0]) if r.kind != "unit_task" else (
                200 if name == "name" else None)
            if limit and isinstance(value, str) and len(value) > limit:
                problem(name, _("At most %(limit)d characters (this has %(n)d).") % {"limit": limit, "n": len(value)})

        if r.kind in ("area", "customer_group"):
            try:
                d["position"] = int(d.get("position") or 0)
                if d["position"] < 0:
                    raise ValueError
            except (TypeError, ValueError):
                problem("position", _("A whole number, 0 or more."))

        if r.kind == "service":
            if isinstance(d["area"], list):
                problem("area", _("A service belongs to one service area."))
            elif d["area"] not in known["area"] and "area" not in r.missing:
                problem("area", _("No service area %(code)r.") % {"code": d["area"]} if d["area"]
                        else _("A service area is required."))
            for code_ in d["customer_groups"]:
                if code_ not in known["customer_group"]:
                    problem("customer_groups", _("No customer group %(code)r.") % {"code": code_})
            if d["owning_team"] and d["owning_team"] not in known["team"]:
                problem("owning_team", _("No team %(code)r.") % {"code": d["owning_team"]})
            for code_ in d["contributing_units"]:
                if code_ not in known["unit"]:
                    problem("contributing_units", _("No unit %(code)r.") % {"code": code_})
            bad = [c for c in d["channels"] if c not in Channel.values]
            if bad:
                problem("channels", _("Unknown channel %(bad)s; use: %(ok)s.") % {
                    "bad": ", ".join(map(str, bad)), "ok": ", ".join(Channel.values)})
            elif len(set(d["channels"])) != len(d["channels"]):
                problem("channels", _("Each channel may be listed once."))
            if any(not isinstance(p, str) or not p for p in d["partners"]):
                problem("partners", _("Each partner needs a name."))
            value = d["public_web_form"]
            if isinstance(value, str):
                value = BOOLEANS.get(value.lower())
            if not isinstance(value, bool):
                problem("public_web_form", _("Write yes or no."))
            d["public_web_form"] = bool(value)
            if d["retired_at"]:
                when = d["retired_at"] if isinstance(d["retired_at"], datetime) else (
                    parse_datetime(d["retired_at"]) if isinstance(d["retired_at"], str) else None)
                if when is None:
                    problem("retired_at", _("A date and time such as 2026-01-31T12:00:00+02:00."))
                else:
                    d["retired_at"] = when if timezone.is_aware(when) else timezone.make_aware(when)

        if r.kind == "unit_task":
            if d["unit"] not in known["unit"] and "unit" not in r.missing:
                problem("unit", _("No unit %(code)r.") % {"code": d["unit"]} if d["unit"] else
                        _("A unit is required."))
            for code_ in d["services"]:
                if code_ not in known["service"]:
                    problem("services", _("No service %(code)r.") % {"code": code_})
    return problems


# --- writing -------------------------------------------------------------------------------------------

SCALARS = {
    "area": ["name_fi", "name_sv", "name_en", "description_fi", "description_sv", "description_en", "position"],
    "customer_group": ["name_fi", "name_sv", "name_en", "position"],
    "service": ["area", "name_fi", "name_sv", "name_en", "description_fi", "description_sv", "description_en",
                "keywords", "owning_team", "partners", "channels", "promise_fi", "promise_sv", "promise_en",
                "public_web_form", "retired_at"],
    "unit_task": ["unit", "name", "description"],
}
MANY = {"service": ["customer_groups", "contributing_units"], "unit_task": ["services"]}
FOREIGN = {"area": ServiceArea, "owning_team": Team, "unit": Unit}


def _current(kind: str) -> tuple[dict, dict]:
    """Existing rows by identifier, and each one's snapshot in record form."""
    model = MODELS[kind]
    qs = model.objects.all()
    if kind == "service":
        qs = qs.select_related("area", "owning_team").defer(*Service.SEARCH_FIELDS)
    if kind == "unit_task":
        qs = qs.select_related("unit")
    objects = {o.code: o for o in qs}
    links = defaultdict(lambda: defaultdict(list))
    for name in MANY.get(kind, []):
        through = getattr(model, name).through
        own = f"{model._meta.model_name}__code"
        other = [f for f in through._meta.fields if f.is_relation and f.related_model is not model][0]
        for mine, theirs in through.objects.values_list(own, f"{other.name}__{_key_of(other.related_model)}"):
            links[mine][name].append(theirs)
    snapshots = {}
    for code, o in objects.items():
        snap = {"code": code}
        for name in SCALARS[kind]:
            value = getattr(o, name)
            if name in FOREIGN:
                value = natural_key(value)
            elif name == "keywords":
                value = o.keyword_list
            elif name == "partners":
                value = o.partner_list
            snap[name] = value
        for name in MANY.get(kind, []):
            snap[name] = sorted(links[code][name])
        snapshots[code] = snap
    return objects, snapshots


def _key_of(model) -> str:
    return "slug" if model is Team else "code"


def _wanted(kind: str, d: dict) -> dict:
    snap = {"code": d["code"]}
    for name in SCALARS[kind]:
        snap[name] = d.get(name)
    for name in MANY.get(kind, []):
        snap[name] = sorted(set(d.get(name) or []))
    return snap


def _as_json(value):
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _diff(before: dict | None, after: dict) -> dict:
    keys = [k for k in after if k != "code"]
    if before is None:
        return {k: [None, _as_json(after[k])] for k in keys if after[k] not in (None, "", [], False)}
    return {k: [_as_json(before.get(k)), _as_json(after[k])] for k in keys if before.get(k) != after[k]}


def plan(records: list[Record]) -> dict[str, list[tuple[Record, dict | None, dict]]]:
    """For each kind: (record, current snapshot or None, wanted snapshot) of rows that differ."""
    changes = {}
    for kind in KINDS:
        _objects, snapshots = _current(kind)
        changes[kind] = []
        for r in records:
            if r.kind != kind:
                continue
            wanted = _wanted(kind, r.data)
            current = snapshots.get(r.code)
            if current != wanted:
                changes[kind].append((r, current, wanted))
    return changes


def _resolver(model, key):
    ids = dict(model.objects.values_list(key, "pk"))
    return ids.get


@transaction.atomic(durable=True)
def apply(records: list[Record], *, by=None, progress: Progress | None = None) -> ImportReport:
    """Write a checked file. `by` None means the command line (whoever runs it holds the database)."""
    if by is not None:
        require_maintainer(by)
    report = ImportReport(records=len(records))
    changes = plan(records)
    bar = progress("writing", len(records)) if progress else _NoProgress()
    now = timezone.now()
    history = []
    actor = by if by is not None and by.is_authenticated else None
    for kind in KINDS:
        model = MODELS[kind]
        total = sum(1 for r in records if r.kind == kind)
        objects, _snapshots = _current(kind) if changes[kind] else ({}, {})
        area_id = _resolver(ServiceArea, "code") if kind == "service" else None
        team_id = _resolver(Team, "slug") if kind == "service" else None
        unit_id = _resolver(Unit, "code") if kind in ("service", "unit_task") else None
        new, changed, links = [], [], []
        for r, before, wanted in changes[kind]:
            obj = objects.get(r.code) or model(code=r.code)
            for name in SCALARS[kind]:
                value = wanted[name]
                if name == "area":
                    obj.area_id = area_id(value)
                elif name == "owning_team":
                    obj.owning_team_id = team_id(value) if value else None
                elif name == "unit":
                    obj.unit_id = unit_id(value)
                elif name == "keywords":
                    obj.keywords = ", ".join(value)
                elif name == "partners":
                    obj.partners = "\n".join(value)
                else:
                    setattr(obj, name, value)
            if kind == "service":
                obj.updated_at = now
            (changed if obj.pk else new).append(obj)
            links.append((obj, before, wanted))
        model.objects.bulk_create(new, batch_size=BATCH)
        if changed:
            fields = SCALARS[kind] + (["updated_at"] if kind == "service" else [])
            model.objects.bulk_update(changed, fields, batch_size=BATCH)
        _write_links(kind, links)
        for obj, before, wanted in links:
            history.append(CatalogueChange(
                changed_by=actor, service=obj if kind == "service" else None,
                object_type=kind, object_code=obj.code, action="imported",
                summary=(_("Created by import.") if before is None else
                         _("Changed by import: %(fields)s.") % {"fields": ", ".join(sorted(_diff(before, wanted)))}
                         )[:300],
                diff=_diff(before, wanted),
            ))
        report.created[kind] = len(new)
        report.updated[kind] = len(changed)
        report.unchanged[kind] = total - len(new) - len(changed)
        bar.update(total)
    CatalogueChange.objects.bulk_create(history, batch_size=BATCH)
    catalogue_imported.send(sender=CatalogueChange, by=actor, changes=len(history))
    bar.close()
    report.applied = True
    return report


def _write_links(kind: str, links: list) -> None:
    """Set the many-to-many rows of the rows that changed, in bulk."""
    model = MODELS[kind]
    for name in MANY.get(kind, []):
        field = model._meta.get_field(name)
        through = field.remote_field.through
        target = field.related_model
        ids = _resolver(target, _key_of(target))
        mine = field.m2m_field_name()
        theirs = field.m2m_reverse_field_name()
        touched = [(obj, wanted) for obj, before, wanted in links if before is None or before[name] != wanted[name]]
        if not touched:
            continue
        through.objects.filter(**{f"{mine}__in": [obj.pk for obj, _w in touched if obj.pk]}).delete()
        through.objects.bulk_create(
            [through(**{f"{mine}_id": obj.pk, f"{theirs}_id": ids(code)})
             for obj, wanted in touched for code in wanted[name]],
            batch_size=BATCH,
        )


# --- the whole job -------------------------------------------------------------------------------------

def import_file(content: bytes | str, *, filename: str | None = None, fmt: str | None = None, by=None,
                dry_run: bool = False, progress: Progress | None = None) -> ImportReport:
    """Read, check and (unless `dry_run`, or there is any problem) write a catalogue file."""
    if by is not None:
        require_maintainer(by)
    records, problems = parse(content, fmt=fmt or guess_format(filename, content))
    return import_records(records, by=by, dry_run=dry_run, progress=progress, problems=problems)


def import_records(records: list[Record], *, by=None, dry_run: bool = False, progress: Progress | None = None,
                   problems=()) -> ImportReport:
    if by is not None:
        require_maintainer(by)
    problems = list(problems)
    bar = progress("checking", len(records)) if progress else _NoProgress()
    problems += fill_unchanged(records)
    problems = _grouped(problems + check(records))
    bar.update(len(records))
    bar.close()
    if problems:
        return ImportReport(problems=sorted(problems, key=lambda p: (p.line or 0)), records=len(records))
    if dry_run:
        report = ImportReport(records=len(records))
        for kind, rows in plan(records).items():
            report.created[kind] = sum(1 for _r, before, _w in rows if before is None)
            report.updated[kind] = sum(1 for _r, before, _w in rows if before is not None)
            report.unchanged[kind] = sum(1 for r in records if r.kind == kind) - len(rows)
        return report
    return apply(records, by=by, progress=progress)

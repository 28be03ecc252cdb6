"""Catalogue files as real inventories come: long descriptions, huge cells, columns left out, rows cut short,
keywords with commas, stray spaces, mistakes repeated on every row, other encodings. Each refusal writes
nothing."""

import csv
import io
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from catalogue import exporting, importing
from catalogue.models import DESCRIPTION_LIMIT, CatalogueChange, Service, ServiceArea
from tests.catalogue.test_import_export import catalogue  # noqa: F401  (the fixture)


def snapshot():
    return exporting.export_csv(), CatalogueChange.objects.count()


def csv_rows(text):
    return list(csv.DictReader(io.StringIO(text, newline="")))


def csv_text(rows, columns):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def with_salary(text, **cells):
    rows = csv_rows(text)
    for row in rows:
        if row["kind"] == "service" and row["identifier"] == "salary":
            row.update(cells)
    return csv_text(rows, list(rows[0]))


def test_a_cell_longer_than_a_csv_reader_takes_is_refused_with_its_line_and_nothing_is_written(catalogue):  # noqa: F811
    before = snapshot()
    huge = with_salary(exporting.export_csv(), description_fi="x" * 140_000)

    report = importing.import_file(huge, fmt="csv")

    assert not report.ok
    [problem] = report.problems
    assert problem.line and "longer than" in problem.message
    assert snapshot() == before


def test_descriptions_up_to_the_limit_are_taken_and_longer_ones_refused_with_a_clear_error(catalogue):  # noqa: F811
    text = exporting.export_csv()
    longest = "Kappale. " * (DESCRIPTION_LIMIT // 9)
    assert importing.import_file(with_salary(text, description_fi=longest), fmt="csv").ok
    assert Service.objects.get(code="salary").description_fi == longest.strip()

    before = snapshot()
    report = importing.import_file(with_salary(text, description_en="y" * (DESCRIPTION_LIMIT + 1)), fmt="csv")
    assert [(p.field, f"At most {DESCRIPTION_LIMIT} characters" in p.message) for p in report.problems] == [
        ("description_en", True)]
    assert snapshot() == before


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_file_without_the_optional_columns_leaves_those_fields_as_they_are(catalogue, fmt):  # noqa: F811
    salary = Service.objects.get(code="salary")
    kept = (salary.keywords, salary.channels, salary.promise_fi, salary.partners)
    if fmt == "csv":
        rows = csv_rows(exporting.export_csv())
        columns = [c for c in rows[0] if c not in ("keywords", "channels", "promise_fi", "partners")]
        text = csv_text(rows, columns)
    else:
        document = json.loads(exporting.export_json())
        for service in document["publicServices"]:
            for key in ("keyword", "hasChannel", "servicePromise", "hasParticipation"):
                service.pop(key, None)
        text = json.dumps(document)
    changes = CatalogueChange.objects.count()

    report = importing.import_file(text, fmt=fmt)

    assert report.ok, [str(p) for p in report.problems]
    assert sum(report.updated.values()) == sum(report.created.values()) == 0
    salary.refresh_from_db()
    assert (salary.keywords, salary.channels, salary.promise_fi, salary.partners) == kept
    assert CatalogueChange.objects.count() == changes


def test_an_empty_cell_still_clears_its_field(catalogue):  # noqa: F811
    report = importing.import_file(with_salary(exporting.export_csv(), keywords=""), fmt="csv")
    assert report.ok and report.updated["service"] == 1
    assert Service.objects.get(code="salary").keywords == ""


def test_a_row_cut_short_at_the_end_of_the_file_is_refused(catalogue):  # noqa: F811
    before = snapshot()
    text = exporting.export_csv().rstrip("\n")
    cut = text[: text.rindex(",", 0, text.rindex(",") - 1)]  # the last row loses its last cells

    report = importing.import_file(cut, fmt="csv")

    assert [("fewer cells" in p.message, p.line) for p in report.problems] == [(True, len(text.splitlines()))]
    assert snapshot() == before


def test_a_keyword_with_a_comma_is_two_keywords_and_importing_again_changes_nothing(catalogue):  # noqa: F811
    document = json.loads(exporting.export_json())
    salary = next(s for s in document["publicServices"] if s["identifier"] == "salary")
    salary["keyword"] = ["palkka, palkkio", "tilinauha"]
    text = json.dumps(document)

    first = importing.import_file(text, fmt="json")
    second = importing.import_file(text, fmt="json")

    assert first.ok and first.updated["service"] == 1
    assert Service.objects.get(code="salary").keyword_list == ["palkka", "palkkio", "tilinauha"]
    assert second.ok and sum(second.updated.values()) == 0


def test_csv_and_json_read_spaces_around_text_alike(catalogue):  # noqa: F811
    document = json.loads(exporting.export_json())
    salary = next(s for s in document["publicServices"] if s["identifier"] == "salary")
    salary["name"]["fi"] = "  Palkanmaksu  "
    salary["keyword"] = [" palkka ", "tilinauha "]
    from_json = importing.import_file(json.dumps(document), fmt="json")
    from_csv = importing.import_file(with_salary(exporting.export_csv(), name_fi="  Palkanmaksu  "), fmt="csv")

    assert from_json.ok and from_csv.ok
    assert sum(from_json.updated.values()) == sum(from_csv.updated.values()) == 0


def test_a_column_new_entries_need_is_one_message_however_many_rows_lack_it(catalogue):  # noqa: F811
    rows = [{"kind": "service", "identifier": f"new-{n}", "name_fi": f"Uusi {n}", "owning_team": "no-such-team"}
            for n in range(40)]
    before = snapshot()

    report = importing.import_file(csv_text(rows, ["kind", "identifier", "name_fi", "owning_team"]), fmt="csv")

    messages = [(p.field, p.message) for p in report.problems]
    assert len(messages) == 2, messages
    assert [field for field, _m in messages] == ["area", "owning_team"]
    assert "40 rows" in messages[1][1]
    assert snapshot() == before


def test_a_file_in_another_encoding_is_refused_naming_the_line(db):
    text = "kind,identifier,name_fi\narea,a,Alue\narea,b,Äänekoski\n".encode("latin-1")
    report = importing.import_file(text, fmt="csv")
    [problem] = report.problems
    assert problem.line == 3 and "UTF-8" in problem.message
    assert not ServiceArea.objects.exists()


def test_exporting_into_a_folder_that_does_not_exist_is_a_clear_error(catalogue, tmp_path):  # noqa: F811
    with pytest.raises(CommandError, match="no folder"):
        call_command("export_catalogue", format="csv", output=tmp_path / "missing" / "c.csv", stderr=StringIO())

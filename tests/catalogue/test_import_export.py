"""Catalogue files in and out: round trip, idempotence, all-or-nothing validation with line and field."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from catalogue import exporting, importing
from catalogue.models import CatalogueChange, CustomerGroup, Service, ServiceArea, UnitTask
from servicedesk.errors import NotAllowed
from tests.factories import (
    CustomerGroupFactory,
    ServiceAreaFactory,
    ServiceFactory,
    TeamFactory,
    UnitFactory,
    UnitTaskFactory,
)


@pytest.fixture
def catalogue(db):
    team = TeamFactory(slug="payroll-team", name="Payroll team", email="payroll@example.org")
    finance = UnitFactory(code="finance", name="Finance")
    hr = UnitFactory(code="hr", name="HR", parent=finance)
    money = ServiceAreaFactory(code="money", name_fi="Raha-asiat", name_sv="Penningärenden", name_en="Money",
                               description_fi="Rahaan liittyvät palvelut.", position=1)
    ServiceAreaFactory(code="empty-area", name_fi="Tyhjä", position=2)
    staff = CustomerGroupFactory(code="staff", name_fi="Henkilöstö", name_en="Staff", position=1)
    citizens = CustomerGroupFactory(code="citizens", name_fi="Kansalaiset", position=0)
    salary = ServiceFactory(
        code="salary", area=money, name_fi="Palkanmaksu", name_sv="Löneutbetalning", name_en="Salary payment",
        description_fi="Palkat.\nKaksi riviä.", keywords="palkka, tilinauha", owning_team=team,
        partners="Palkkakumppani Oy\nPankki Oyj", channels=["phone", "email"], promise_fi="24 tunnissa.",
        public_web_form=True,
    )
    salary.customer_groups.set([staff, citizens])
    salary.contributing_units.set([hr, finance])
    old = ServiceFactory(code="old-salary", area=money, name_fi="Vanha palkka", owning_team=None, channels=[],
                         retired_at=timezone.now().replace(microsecond=0), promise_fi="", promise_en="")
    task = UnitTaskFactory(code="pay-run", unit=hr, name="Pay run", description="Monthly.")
    task.services.set([salary, old])
    UnitTaskFactory(code="unmapped", unit=finance, name="Something unmapped")
    return {"team": team, "salary": salary}


def wipe():
    UnitTask.objects.all().delete()
    CatalogueChange.objects.all().delete()
    Service.objects.all().delete()
    CustomerGroup.objects.all().delete()
    ServiceArea.objects.all().delete()


def without_timestamp(text):
    document = json.loads(text)
    document.pop("generatedAt")
    return document


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_then_import_into_an_empty_catalogue_gives_the_same_catalogue(catalogue, fmt):
    before = exporting.catalogue_records()
    text = exporting.export_json() if fmt == "json" else exporting.export_csv()
    wipe()
    report = importing.import_file(text, fmt=fmt)
    assert report.ok, [str(p) for p in report.problems]
    strip = lambda records: {k: [{f: v for f, v in r.items() if f != "_team"} for r in rows]  # noqa: E731
                             for k, rows in records.items()}
    assert strip(exporting.catalogue_records()) == strip(before)
    again = exporting.export_json() if fmt == "json" else exporting.export_csv()
    if fmt == "json":
        assert without_timestamp(again) == without_timestamp(text)
    else:
        assert again == text
    assert report.created == {"area": 2, "customer_group": 2, "service": 2, "unit_task": 2}


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_reimporting_the_same_file_changes_nothing(catalogue, fmt):
    text = exporting.export_json() if fmt == "json" else exporting.export_csv()
    changes_before = CatalogueChange.objects.count()
    updated_at = Service.objects.get(code="salary").updated_at
    for _ in range(2):
        report = importing.import_file(text, fmt=fmt)
        assert report.ok
        assert sum(report.created.values()) == sum(report.updated.values()) == 0
        assert report.unchanged == {"area": 2, "customer_group": 2, "service": 2, "unit_task": 2}
    assert CatalogueChange.objects.count() == changes_before
    assert Service.objects.get(code="salary").updated_at == updated_at


def test_rows_match_by_identifier_not_by_name(catalogue):
    document = json.loads(exporting.export_json())
    salary_pk = catalogue["salary"].pk
    document["publicServices"][1]["name"]["fi"] = "Palkat ja palkkiot"  # services are sorted: old-salary, salary
    document["publicServices"][0]["identifier"] = "older-salary"
    report = importing.import_file(json.dumps(document), fmt="json")
    assert report.ok
    assert report.updated["service"] == 1 and report.created["service"] == 1
    renamed = Service.objects.get(code="salary")
    assert renamed.pk == salary_pk and renamed.name_fi == "Palkat ja palkkiot"
    assert Service.objects.filter(code__in=["old-salary", "older-salary"]).count() == 2
    change = CatalogueChange.objects.get(service=renamed, action="imported")
    assert change.diff == {"name_fi": ["Palkanmaksu", "Palkat ja palkkiot"]}


BAD_CSV = """kind,identifier,name_fi,position,area,customer_groups,owning_team,contributing_units,channels,public_web_form,retired_at,unit,services
area,good-area,Hyvä alue,0,,,,,,,,,
area,,Nimetön alue,0,,,,,,,,,
area,bad area,Välilyönti,0,,,,,,,,,
area,good-area,Kahdesti,0,,,,,,,,,
area,negative,Miinus,-1,,,,,,,,,
customer_group,no-name,,0,,,,,,,,,
service,s1,Palvelu,,nowhere,,,,,,,,
service,s2,Palvelu,,good-area,aliens,,,,,,,
service,s3,Palvelu,,good-area,,no-team,,,,,,
service,s4,Palvelu,,good-area,,,no-unit,,,,,
service,s5,Palvelu,,good-area,,,,phone|pigeon,,,,
service,s6,Palvelu,,good-area,,,,,maybe,,,
service,s7,Palvelu,,good-area,,,,,,yesterday,,
thing,t0,Outo,,,,,,,,,,
unit_task,t1,Tehtävä,,,,,,,,,no-unit,s1
unit_task,t2,Tehtävä,,,,,,,,,finance,no-service
"""


def test_each_kind_of_bad_row_is_reported_with_line_and_field_and_nothing_is_written(catalogue):
    counts = [m.objects.count() for m in (ServiceArea, CustomerGroup, Service, UnitTask, CatalogueChange)]
    report = importing.import_file(BAD_CSV, fmt="csv")
    found = {(p.line, p.field) for p in report.problems}
    assert found == {
        (3, "identifier"),           # missing
        (4, "identifier"),           # not a slug
        (5, "identifier"),           # listed twice
        (6, "position"),
        (7, "name_fi"),
        (8, "area"),
        (9, "customer_groups"),
        (10, "owning_team"),
        (11, "contributing_units"),
        (12, "channels"),
        (13, "public_web_form"),
        (14, "retired_at"),
        (15, "kind"),
        (16, "unit"),
        (17, "services"),
    }
    twice = next(p for p in report.problems if p.line == 5)
    assert "first at line 2" in twice.message
    assert "Line 12" in str(next(p for p in report.problems if p.line == 12))
    assert [m.objects.count() for m in (ServiceArea, CustomerGroup, Service, UnitTask, CatalogueChange)] == counts
    assert not ServiceArea.objects.filter(code="good-area").exists()


def test_one_bad_row_among_good_ones_stops_the_whole_file(catalogue):
    rows = exporting.export_csv().splitlines()
    rows.append("service,new-one,Uusi palvelu,,,,,,,,,,,,,,,,,,,,")  # no area
    report = importing.import_file("\n".join(rows) + "\n", fmt="csv")
    assert [(p.line, p.field) for p in report.problems] == [(len(rows), "area")]
    assert not Service.objects.filter(code="new-one").exists()


def test_csv_with_unknown_columns_is_refused_before_any_row(catalogue):
    report = importing.import_file("kind,identifier,colour\narea,x,red\n", fmt="csv")
    assert [(p.line, p.field) for p in report.problems] == [(1, "colour")]


def test_semicolon_csv_from_a_finnish_spreadsheet_is_read(db):
    report = importing.import_file("kind;identifier;name_fi\narea;health;Terveys\n".encode("utf-8-sig"), fmt="csv")
    assert report.ok and ServiceArea.objects.get(code="health").name_fi == "Terveys"


def test_json_problems_name_the_line_of_their_record(catalogue):
    text = exporting.export_json()
    document = json.loads(text)
    document["publicServices"][1]["thematicArea"] = "nowhere"
    text = json.dumps(document, ensure_ascii=False, indent=2)
    report = importing.import_file(text, fmt="json")
    [problem] = report.problems
    lines = text.splitlines()
    assert problem.field == "area"
    assert lines[problem.line - 1].strip() == "{"
    assert '"identifier": "salary"' in lines[problem.line + 1]


def test_broken_json_is_reported_with_its_line(db):
    report = importing.import_file('{\n  "serviceAreas": [\n    {"identifier": "x",}\n  ]\n}', fmt="json")
    assert not report.ok and report.problems[0].line == 3


def test_checking_only_writes_nothing_but_says_what_would_change(catalogue):
    text = exporting.export_json()
    wipe()
    report = importing.import_file(text, fmt="json", dry_run=True)
    assert report.ok and not report.applied
    assert report.created["service"] == 2
    assert not Service.objects.exists()


def test_only_maintainers_may_import(catalogue, staff, maintainer):
    text = exporting.export_json()
    with pytest.raises(NotAllowed):
        importing.import_file(text, fmt="json", by=staff)
    assert importing.import_file(text, fmt="json", by=maintainer).ok


def test_import_records_the_maintainer_on_each_change(catalogue, maintainer):
    text = exporting.export_csv()
    wipe()
    importing.import_file(text, fmt="csv", by=maintainer)
    assert CatalogueChange.objects.filter(action="imported").count() == 8
    assert set(CatalogueChange.objects.values_list("changed_by", flat=True)) == {maintainer.pk}
    assert Service.objects.get(code="salary").changes.get().summary == "Created by import."


# --- management commands ---------------------------------------------------------------------------------

def test_commands_export_and_import_a_file(catalogue, tmp_path):
    path = tmp_path / "catalogue.csv"
    call_command("export_catalogue", format="csv", output=path, stderr=StringIO())
    wipe()
    out = StringIO()
    call_command("import_catalogue", str(path), no_progress=True, stdout=out)
    assert "service: 2 new" in out.getvalue()
    assert Service.objects.filter(code="salary").exists()


def test_import_command_lists_problems_and_fails_writing_nothing(db, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(BAD_CSV, encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_catalogue", str(path), no_progress=True, stderr=err)
    assert "Line 8 (service s1), area: No service area 'nowhere'." in err.getvalue()
    assert not ServiceArea.objects.exists()


# --- the import page -------------------------------------------------------------------------------------

def upload(text, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/plain")


def test_import_page_checks_first_then_applies(client, maintainer, catalogue):
    text = exporting.export_json()
    wipe()
    client.force_login(maintainer)
    response = client.post(reverse("catalogue:import"), {"file": upload(text, "c.json")})
    assert response.status_code == 200
    assert "nothing written yet" in response.content.decode()
    assert not Service.objects.exists()
    response = client.post(reverse("catalogue:import"), {"file": upload(text, "c.json"), "apply": "on"})
    assert "Imported" in response.content.decode()
    assert Service.objects.count() == 2


def test_import_page_lists_each_problem_and_answers_400(client, maintainer, catalogue):
    client.force_login(maintainer)
    response = client.post(reverse("catalogue:import"), {"file": upload(BAD_CSV, "bad.csv"), "apply": "on"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "15 problems; nothing was written" in html
    assert "<td>16</td><td>unit task t1</td><td>unit</td>" in html
    assert not ServiceArea.objects.filter(code="good-area").exists()


def test_import_page_is_for_maintainers_only(client, staff):
    client.force_login(staff)
    assert client.get(reverse("catalogue:import")).status_code == 403
    assert client.post(reverse("catalogue:import"), {"file": upload(BAD_CSV, "bad.csv")}).status_code == 403


def test_any_staff_can_export(client, staff, catalogue):
    client.force_login(staff)
    response = client.get(reverse("catalogue:export"), {"format": "json"})
    assert response.status_code == 200
    document = json.loads(response.content)
    salary = next(s for s in document["publicServices"] if s["identifier"] == "salary")
    assert salary["@type"] == "PublicService"
    assert salary["hasCompetentAuthority"]["identifier"] == "payroll-team"
    assert salary["hasContactPoint"] == [{"@type": "ContactPoint", "email": "payroll@example.org"}]
    assert [c["type"] for c in salary["hasChannel"]] == ["phone", "email"]
    assert salary["thematicArea"] == "money" and salary["keyword"] == ["palkka", "tilinauha"]
    assert client.get(reverse("catalogue:export"), {"format": "xml"}).status_code == 400


def test_csv_cells_a_spreadsheet_would_run_as_formulas_are_quoted_and_read_back_unchanged(catalogue):
    import csv

    formulas = {"name_fi": '=HYPERLINK("http://evil.example","Palkka")', "name_sv": "+cmd|' /C calc'!A0",
                "name_en": "-2+3", "description_fi": "@SUM(A1)", "promise_fi": "'quoted already",
                "partners": "=cmd|x\nPankki Oyj"}
    Service.objects.filter(code="salary").update(**formulas)
    before = exporting.catalogue_records()
    text = exporting.export_csv()
    cells = [cell for row in csv.reader(StringIO(text)) for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]
    assert "'" + formulas["name_fi"] in cells and "''quoted already" in cells

    wipe()
    assert importing.import_file(text, fmt="csv").ok
    assert Service.objects.filter(code="salary", **formulas).exists()
    assert exporting.catalogue_records()["service"] == before["service"]
    assert exporting.export_csv() == text

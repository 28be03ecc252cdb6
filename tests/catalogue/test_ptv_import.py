"""The real Finnish Service Catalogue (PTV) open data imports as areas, customer groups and services."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from catalogue.models import CatalogueChange, CustomerGroup, Service, ServiceArea
from catalogue.ptv import read_ptv
from catalogue.search import search_services


@pytest.fixture
def ptv_dir():
    """The real data that ships with the desk (catalogue/data/ptv)."""
    return Path(settings.PTV_DATA_DIR)


def test_real_ptv_files_import_with_one_service_per_reference_code(db, ptv_dir):
    out = StringIO()
    call_command("import_ptv", data_dir=ptv_dir, no_progress=True, stdout=out)

    # 28 top-level service classes (P1-P28); 17 target groups; 458 description versions that are
    # 211 reference codes plus 33 descriptions without one, told apart by Finnish name.
    assert ServiceArea.objects.count() == 28
    assert CustomerGroup.objects.count() == 17
    assert Service.objects.count() == 244
    assert "service: 244 new" in out.getvalue()

    guidance = Service.objects.get(code="SOTE-0016")
    assert guidance.name_fi == "Lasten palveluohjaus"
    assert guidance.area.code == "ptv-p4" and guidance.area.name_fi == "Sosiaalipalvelut"
    assert set(guidance.customer_groups.values_list("code", flat=True)) == {"ptv-kr1", "ptv-kr1-2"}
    assert "palveluohjaus" in guidance.keyword_list
    assert guidance.description_fi.startswith("Kunta tarjoaa neuvontaa alle 13-vuotiaan")
    # Of several versions, the one in three languages wins.
    consulting = Service.objects.get(name_fi="Liiketoiminnan kehittämisneuvonta")
    assert consulting.name_sv and consulting.name_en == "Business development consulting"
    # Rich-text descriptions are stored as plain text.
    assert not Service.objects.filter(description_fi__contains='"blocks"').exists()


def test_reimporting_ptv_changes_nothing(db, ptv_dir):
    call_command("import_ptv", data_dir=ptv_dir, no_progress=True, stdout=StringIO())
    changes = CatalogueChange.objects.count()
    out = StringIO()
    call_command("import_ptv", data_dir=ptv_dir, no_progress=True, stdout=out)
    assert "service: 0 new, 0 changed, 244 unchanged" in out.getvalue()
    assert CatalogueChange.objects.count() == changes


def test_imported_ptv_services_are_found_by_everyday_words(db, ptv_dir):
    call_command("import_ptv", data_dir=ptv_dir, no_progress=True, stdout=StringIO())
    assert search_services("lasten palveluohjaus")[0].code == "SOTE-0016"
    assert any(s.name_fi == "Rakennuslupa" for s in search_services("rakennuslupa", limit=3))


def test_ptv_records_pass_the_same_checks_as_any_file(ptv_dir, db):
    from catalogue.importing import check

    assert check(read_ptv(ptv_dir)) == []

"""The coverage figures maintainers work from, against a small organisation counted by hand.

Finance has sub-units Payroll and Accounting; IT has none.
  salary   owner + promise        contributed by Payroll
  travel   owner, no promise
  invoices no owner, promise      contributed by IT
  orphan   owner + promise        nobody contributes
  old      retired, no owner      (ignored everywhere)
Tasks: Payroll t1->salary, t2 unmapped, t3->old only (counts as unmapped);
       Accounting t4->invoices, t5->travel+salary; Finance itself t6 unmapped; IT t7->travel.
"""

import pytest
from django.utils import timezone

from catalogue import selectors
from tests.factories import ServiceFactory, UnitFactory, UnitTaskFactory


@pytest.fixture
def organisation(db):
    finance = UnitFactory(code="finance", name="Finance")
    payroll = UnitFactory(code="payroll", name="Payroll", parent=finance)
    accounting = UnitFactory(code="accounting", name="Accounting", parent=finance)
    it = UnitFactory(code="it", name="IT")
    salary = ServiceFactory(code="salary")
    travel = ServiceFactory(code="travel", promise_fi="", promise_en="", promise_sv="")
    invoices = ServiceFactory(code="invoices", owning_team=None)
    ServiceFactory(code="orphan")  # a service no unit task maps to
    old = ServiceFactory(code="old", owning_team=None, retired_at=timezone.now())
    salary.contributing_units.add(payroll)
    invoices.contributing_units.add(it)
    tasks = {}
    for code, unit, mapped in [
        ("t1", payroll, [salary]), ("t2", payroll, []), ("t3", payroll, [old]),
        ("t4", accounting, [invoices]), ("t5", accounting, [travel, salary]),
        ("t6", finance, []), ("t7", it, [travel]),
    ]:
        tasks[code] = UnitTaskFactory(code=code, unit=unit, name=code)
        tasks[code].services.set(mapped)
    return {"finance": finance, "payroll": payroll, "accounting": accounting, "it": it}


def test_coverage_per_unit_rolls_sub_units_up_into_their_parent(organisation):
    rows = {row.unit.code: row for row in selectors.coverage_by_unit()}
    figures = {code: (r.tasks, r.unmapped, r.services, r.services_with_gaps, r.depth) for code, r in rows.items()}
    assert figures == {
        "finance": (6, 3, 3, 2, 0),
        "payroll": (3, 2, 1, 0, 1),
        "accounting": (2, 0, 3, 2, 1),
        "it": (1, 0, 2, 2, 0),
    }
    assert rows["finance"].mapped_percent == 50
    assert [r.unit.code for r in selectors.coverage_by_unit()] == ["finance", "accounting", "payroll", "it"]


def test_unmapped_tasks_include_sub_units_and_tasks_mapped_only_to_retired_services(organisation):
    assert [t.code for t in selectors.unmapped_tasks(organisation["finance"])] == ["t6", "t2", "t3"]
    assert [t.code for t in selectors.unmapped_tasks(organisation["payroll"])] == ["t2", "t3"]
    assert list(selectors.unmapped_tasks(organisation["it"])) == []
    assert sorted(t.code for t in selectors.unmapped_tasks()) == ["t2", "t3", "t6"]


def test_services_without_owner_or_promise(organisation):
    assert sorted(s.code for s in selectors.services_missing_owner_or_promise()) == ["invoices", "travel"]
    assert sorted(s.code for s in selectors.services_missing_owner_or_promise(organisation["it"])) == [
        "invoices", "travel"]
    assert list(selectors.services_missing_owner_or_promise(organisation["payroll"])) == []


def test_services_no_unit_contributes_to(organisation):
    assert [s.code for s in selectors.services_without_contributors()] == ["orphan"]


def test_a_promise_in_any_language_counts(organisation):
    from catalogue.models import Service

    Service.objects.filter(code="travel").update(promise_sv="Vi svarar inom 24 timmar.")
    assert [s.code for s in selectors.services_missing_owner_or_promise()] == ["invoices"]

"""Maintainers change the catalogue through catalogue.services; every change is recorded; nobody else may."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils import translation

from catalogue import services
from catalogue.models import CatalogueChange, Channel, Service, ServiceArea, UnitTask
from catalogue.permissions import MAINTAINERS_GROUP, can_maintain
from servicedesk.errors import InvalidState, NotAllowed
from tests.factories import ServiceAreaFactory, ServiceFactory, TeamFactory, UnitFactory, UnitTaskFactory


def test_the_maintainers_group_made_by_the_migration_grants_editing(staff):
    assert not can_maintain(staff)
    staff.groups.add(Group.objects.get(name=MAINTAINERS_GROUP))
    staff = type(staff).objects.get(pk=staff.pk)  # permissions are cached per user object
    assert can_maintain(staff)


def test_maintainer_creates_a_service_and_the_change_names_who_and_what(maintainer):
    area = ServiceAreaFactory()
    team = TeamFactory()
    service = services.create_service(
        by=maintainer, code="palkanmaksu", area=area, name_fi="Palkanmaksu", owning_team=team,
        channels=[Channel.PHONE], promise_fi="Vastaamme 24 tunnissa.",
    )
    change = CatalogueChange.objects.get(service=service)
    assert change.changed_by == maintainer
    assert change.action == "created"
    assert change.diff["name_fi"] == [None, "Palkanmaksu"]
    assert change.diff["owning_team"] == [None, team.slug]


@pytest.mark.parametrize("who", ["staff", "other_member", "outsider"])
def test_anyone_but_a_maintainer_is_refused_and_nothing_is_written(request, who):
    person = request.getfixturevalue(who)
    area = ServiceAreaFactory()
    with pytest.raises(NotAllowed):
        services.create_service(by=person, code="x", area=area, name_fi="X")
    existing = ServiceFactory(area=area)
    with pytest.raises(NotAllowed):
        services.update_service(by=person, service_id=existing.pk, name_fi="Changed")
    with pytest.raises(NotAllowed):
        services.retire_service(by=person, service_id=existing.pk)
    assert not Service.objects.filter(code="x").exists()
    existing.refresh_from_db()
    assert existing.name_fi != "Changed" and existing.retired_at is None
    assert not CatalogueChange.objects.exists()


def test_finnish_name_is_required_and_a_bad_service_writes_nothing(maintainer):
    area = ServiceAreaFactory()
    with pytest.raises(ValidationError) as raised:
        services.create_service(by=maintainer, code="nimeton", area=area, name_fi="", name_en="Nameless")
    assert "name_fi" in raised.value.message_dict
    assert not Service.objects.filter(code="nimeton").exists()
    assert not CatalogueChange.objects.exists()


def test_unknown_or_repeated_channels_are_refused(maintainer, service):
    with pytest.raises(ValidationError) as raised:
        services.update_service(by=maintainer, service_id=service.pk, channels=["phone", "carrier pigeon"])
    assert "carrier pigeon" in str(raised.value.message_dict["channels"])
    with pytest.raises(ValidationError):
        services.update_service(by=maintainer, service_id=service.pk, channels=["phone", "phone"])


def test_identifiers_are_unique_and_slugs(maintainer, service):
    with pytest.raises(ValidationError) as raised:
        services.create_service(by=maintainer, code=service.code, area=service.area, name_fi="Kopio")
    assert "code" in raised.value.message_dict
    with pytest.raises(ValidationError):
        services.create_service(by=maintainer, code="has spaces", area=service.area, name_fi="Välit")


def test_swedish_and_english_fall_back_to_finnish():
    service = ServiceFactory.build(name_fi="Palkanmaksu", name_sv="", name_en="Salary payment")
    with translation.override("sv"):
        assert service.name == "Palkanmaksu"
    with translation.override("en"):
        assert service.name == "Salary payment"


def test_update_records_only_the_fields_that_changed(maintainer, service):
    services.update_service(by=maintainer, service_id=service.pk, name_sv="Löneutbetalning",
                            name_fi=service.name_fi)
    change = CatalogueChange.objects.get(service=service)
    assert change.diff == {"name_sv": ["", "Löneutbetalning"]}
    services.update_service(by=maintainer, service_id=service.pk, name_sv="Löneutbetalning")
    assert CatalogueChange.objects.filter(service=service).count() == 1


def test_contributing_units_and_customer_groups_are_recorded_by_code(maintainer, service):
    unit = UnitFactory(code="payroll-centre")
    services.update_service(by=maintainer, service_id=service.pk, contributing_units=[unit])
    change = CatalogueChange.objects.get(service=service)
    assert change.diff == {"contributing_units": [[], ["payroll-centre"]]}
    assert list(service.contributing_units.all()) == [unit]


def test_retired_service_is_kept_but_not_offered(maintainer, service):
    services.retire_service(by=maintainer, service_id=service.pk)
    service.refresh_from_db()
    assert service.retired_at is not None
    assert service not in Service.objects.offered()
    assert CatalogueChange.objects.get(service=service).action == "retired"
    with pytest.raises(InvalidState):
        services.retire_service(by=maintainer, service_id=service.pk)
    services.reinstate_service(by=maintainer, service_id=service.pk)
    assert Service.objects.offered().filter(pk=service.pk).exists()


def test_a_new_service_cannot_start_retired(maintainer):
    from django.utils import timezone

    with pytest.raises(InvalidState):
        services.create_service(by=maintainer, code="old", area=ServiceAreaFactory(), name_fi="Vanha",
                                retired_at=timezone.now())


def test_areas_are_created_and_changed_with_history(maintainer):
    area = services.create_area(by=maintainer, code="money", name_fi="Raha-asiat", position=2)
    services.update_area(by=maintainer, area_id=area.pk, name_en="Money matters")
    assert ServiceArea.objects.get(code="money").name_en == "Money matters"
    changes = CatalogueChange.objects.filter(object_type="area", object_code="money").order_by("pk")
    assert [c.action for c in changes] == ["created", "updated"]
    assert changes[1].diff == {"name_en": ["", "Money matters"]}


def test_mapping_a_task_shows_on_each_affected_services_history(maintainer):
    salary, travel = ServiceFactory(code="salary"), ServiceFactory(code="travel")
    unit = UnitFactory(name="Finance")
    task = services.create_unit_task(by=maintainer, unit=unit, code="pay-run", name="Monthly pay run",
                                     services=[salary])
    assert salary.changes.filter(action="mapped").count() == 1
    services.map_task(by=maintainer, task_id=task.pk, services=[travel])
    assert list(task.services.all()) == [travel]
    assert salary.changes.filter(action="unmapped").count() == 1
    assert travel.changes.filter(action="mapped").get().changed_by == maintainer


def test_retired_services_take_no_new_tasks(maintainer, service):
    services.retire_service(by=maintainer, service_id=service.pk)
    task = UnitTaskFactory()
    with pytest.raises(ValidationError):
        services.map_task(by=maintainer, task_id=task.pk, services=[Service.objects.get(pk=service.pk)])
    assert not task.services.exists()


def test_removing_a_task_is_recorded(maintainer, service):
    task = UnitTaskFactory(code="old-task")
    task.services.add(service)
    services.remove_unit_task(by=maintainer, task_id=task.pk)
    assert not UnitTask.objects.filter(code="old-task").exists()
    assert CatalogueChange.objects.filter(object_code="old-task", action="removed").exists()
    assert service.changes.filter(action="unmapped").exists()

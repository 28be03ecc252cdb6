"""Every change to the catalogue: one function per operation, each one transaction, each recording a
CatalogueChange (who, when, what, and the fields before and after).

Only catalogue maintainers may call these (`catalogue.permissions`); bad values raise Django's
ValidationError with a message per field, and nothing is written.
"""

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.errors import InvalidState

from .models import CatalogueChange, CustomerGroup, Service, ServiceArea, UnitTask
from .permissions import require_maintainer

AREA_FIELDS = ("code", "name_fi", "name_sv", "name_en", "description_fi", "description_sv", "description_en", "position")
GROUP_FIELDS = ("code", "name_fi", "name_sv", "name_en", "position")
SERVICE_FIELDS = (
    "code", "area", "name_fi", "name_sv", "name_en", "description_fi", "description_sv", "description_en",
    "keywords", "owning_team", "partners", "channels", "promise_fi", "promise_sv", "promise_en", "public_web_form",
    "acknowledge_by_mail", "resolution_notice_by_mail", "retention_months", "retired_at",
)
SERVICE_M2M = ("customer_groups", "contributing_units")
TASK_FIELDS = ("code", "unit", "name", "description")
TASK_M2M = ("services",)

KIND_OF = {ServiceArea: "area", CustomerGroup: "customer_group", Service: "service", UnitTask: "unit_task"}
FIELDS_OF = {ServiceArea: AREA_FIELDS, CustomerGroup: GROUP_FIELDS, Service: SERVICE_FIELDS, UnitTask: TASK_FIELDS}
M2M_OF = {Service: SERVICE_M2M, UnitTask: TASK_M2M}


# --- what a change looks like ------------------------------------------------------------------------

def natural_key(obj) -> str | None:
    """How the catalogue names a related row in diffs and files: its code (a team's slug)."""
    if obj is None:
        return None
    return getattr(obj, "code", None) or obj.slug


def plain(value):
    """A field value as JSON: related rows by natural key, times in ISO 8601."""
    if isinstance(value, models.Model):
        return natural_key(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def snapshot(obj) -> dict:
    model = type(obj)
    data = {}
    for name in FIELDS_OF[model]:
        field = model._meta.get_field(name)
        unset = field.is_relation and getattr(obj, field.attname) is None
        data[name] = None if unset else plain(getattr(obj, name))
    if obj.pk:
        for name in M2M_OF.get(model, ()):
            data[name] = sorted(natural_key(o) for o in getattr(obj, name).all())
    else:
        data.update({name: [] for name in M2M_OF.get(model, ())})
    return data


def diff(before: dict | None, after: dict) -> dict:
    """Changed fields as {field: [old, new]}; for a new row (before is None), the fields it was given."""
    if before is None:
        return {k: [None, v] for k, v in after.items() if v not in (None, "", [], False)}
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def record_change(obj, action: str, *, by, summary: str, changes: dict, service=None, at=None) -> CatalogueChange:
    change = CatalogueChange(
        changed_by=by if by is not None and by.is_authenticated else None,
        service=service if service is not None else (obj if isinstance(obj, Service) else None),
        object_type=KIND_OF[type(obj)],
        object_code=natural_key(obj),
        action=action,
        summary=summary[:300],
        diff=changes,
    )
    change.save()
    if at is not None:  # changed_at is auto_now_add; imports and tests may name the moment.
        CatalogueChange.objects.filter(pk=change.pk).update(changed_at=at)
    return change


# --- the shared steps ---------------------------------------------------------------------------------

def _labels(model, changed: dict) -> str:
    return ", ".join(str(model._meta.get_field(name).verbose_name) for name in sorted(changed))


def _check_fields(model, changes: dict) -> None:
    allowed = set(FIELDS_OF[model]) | set(M2M_OF.get(model, ()))
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"Not a field of {model.__name__}: {', '.join(sorted(unknown))}")


def _save(obj, changes: dict) -> dict:
    """Apply `changes` to `obj`, validate, save; returns the diff. Raises ValidationError, writing nothing."""
    model = type(obj)
    _check_fields(model, changes)
    before = snapshot(obj) if obj.pk else None
    m2m = {k: list(v) for k, v in changes.items() if k in M2M_OF.get(model, ())}
    for name, value in changes.items():
        if name not in m2m:
            setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    for name, related in m2m.items():
        getattr(obj, name).set(related)
    return diff(before, snapshot(obj))


def _locked(model, pk):
    try:
        return model.objects.select_for_update(no_key=True).get(pk=pk)
    except model.DoesNotExist:
        raise InvalidState(_("That catalogue entry no longer exists.")) from None


# --- service areas and customer groups ----------------------------------------------------------------

@transaction.atomic(durable=True)
def create_area(*, by, code: str, name_fi: str, **fields) -> ServiceArea:
    require_maintainer(by)
    area = ServiceArea()
    changes = _save(area, {"code": code, "name_fi": name_fi, **fields})
    record_change(area, "created", by=by, summary=_("Service area %(name)s created.") % {"name": area.name_fi},
                  changes=changes)
    return area


@transaction.atomic(durable=True)
def update_area(*, by, area_id: int, **changes) -> ServiceArea:
    require_maintainer(by)
    area = _locked(ServiceArea, area_id)
    changed = _save(area, changes)
    if changed:
        record_change(area, "updated", by=by, summary=_("Service area %(name)s changed.") % {"name": area.name_fi},
                      changes=changed)
    return area


@transaction.atomic(durable=True)
def create_customer_group(*, by, code: str, name_fi: str, **fields) -> CustomerGroup:
    require_maintainer(by)
    group = CustomerGroup()
    changes = _save(group, {"code": code, "name_fi": name_fi, **fields})
    record_change(group, "created", by=by, summary=_("Customer group %(name)s created.") % {"name": group.name_fi},
                  changes=changes)
    return group


@transaction.atomic(durable=True)
def update_customer_group(*, by, group_id: int, **changes) -> CustomerGroup:
    require_maintainer(by)
    group = _locked(CustomerGroup, group_id)
    changed = _save(group, changes)
    if changed:
        record_change(group, "updated", by=by,
                      summary=_("Customer group %(name)s changed.") % {"name": group.name_fi}, changes=changed)
    return group


# --- services -----------------------------------------------------------------------------------------

@transaction.atomic(durable=True)
def create_service(*, by, code: str, area: ServiceArea, name_fi: str, **fields) -> Service:
    require_maintainer(by)
    if fields.get("retired_at"):
        raise InvalidState(_("A new service cannot start out retired."))
    service = Service()
    changes = _save(service, {"code": code, "area": area, "name_fi": name_fi, **fields})
    record_change(service, "created", by=by, summary=_("Service %(name)s created.") % {"name": service.name_fi},
                  changes=changes)
    return service


@transaction.atomic(durable=True)
def update_service(*, by, service_id: int, **changes) -> Service:
    require_maintainer(by)
    if "retired_at" in changes:
        raise ValueError("Use retire_service() or reinstate_service() to change whether a service is offered.")
    service = _locked(Service, service_id)
    changed = _save(service, changes)
    if changed:
        record_change(service, "updated", by=by,
                      summary=_("Changed: %(fields)s.") % {"fields": _labels(Service, changed)}, changes=changed)
    return service


@transaction.atomic(durable=True)
def retire_service(*, by, service_id: int, now=None) -> Service:
    """Keep the service for history, but offer it no longer for new requests."""
    require_maintainer(by)
    service = _locked(Service, service_id)
    if service.retired_at is not None:
        raise InvalidState(_("%(service)s is already retired.") % {"service": service.name})
    changed = _save(service, {"retired_at": now or timezone.now()})
    record_change(service, "retired", by=by, summary=_("Service retired; no longer offered for new requests."),
                  changes=changed)
    return service


@transaction.atomic(durable=True)
def reinstate_service(*, by, service_id: int) -> Service:
    require_maintainer(by)
    service = _locked(Service, service_id)
    if service.retired_at is None:
        raise InvalidState(_("%(service)s is already offered.") % {"service": service.name})
    changed = _save(service, {"retired_at": None})
    record_change(service, "reinstated", by=by, summary=_("Service offered again for new requests."),
                  changes=changed)
    return service


# --- unit tasks and their mapping to services -----------------------------------------------------------

def _check_offered(services) -> list[Service]:
    services = list(services)
    retired = [s.name for s in services if s.retired_at is not None]
    if retired:
        raise ValidationError({"services": _("Retired services cannot take new tasks: %(names)s.") % {
            "names": ", ".join(retired)}})
    return services


def _record_mapping(task: UnitTask, before: Iterable[str], after: Iterable[str], *, by) -> None:
    """A line on each affected service's history, so the service page shows who maps work to it."""
    before, after = set(before), set(after)
    for code in sorted(after - before):
        record_change(task, "mapped", by=by, service=Service.objects.get(code=code),
                      summary=_("Task %(task)s of %(unit)s mapped to this service.") % {"task": task.name,
                                                                                        "unit": task.unit},
                      changes={"services": [None, code]})
    for code in sorted(before - after):
        record_change(task, "unmapped", by=by, service=Service.objects.get(code=code),
                      summary=_("Task %(task)s of %(unit)s no longer mapped to this service.") % {
                          "task": task.name, "unit": task.unit},
                      changes={"services": [code, None]})


@transaction.atomic(durable=True)
def create_unit_task(*, by, unit, code: str, name: str, description: str = "", services=()) -> UnitTask:
    require_maintainer(by)
    task = UnitTask()
    changes = _save(task, {"unit": unit, "code": code, "name": name, "description": description,
                           "services": _check_offered(services)})
    record_change(task, "created", by=by, summary=_("Task %(task)s of %(unit)s added.") % {"task": name, "unit": unit},
                  changes=changes)
    _record_mapping(task, [], changes.get("services", [None, []])[1], by=by)
    return task


@transaction.atomic(durable=True)
def update_unit_task(*, by, task_id: int, **changes) -> UnitTask:
    require_maintainer(by)
    task = _locked(UnitTask, task_id)
    before = snapshot(task)["services"]
    if "services" in changes:
        newly = [s for s in changes["services"] if s.code not in before]
        _check_offered(newly)
    changed = _save(task, changes)
    if changed:
        record_change(task, "updated", by=by, summary=_("Task %(task)s changed.") % {"task": task.name},
                      changes=changed)
        if "services" in changed:
            _record_mapping(task, before, changed["services"][1], by=by)
    return task


@transaction.atomic(durable=True)
def map_task(*, by, task_id: int, services: Iterable[Service]) -> UnitTask:
    """Set the services a unit's task is part of (empty: the task is not mapped yet)."""
    require_maintainer(by)
    task = _locked(UnitTask, task_id)
    services = _check_offered(services)
    before = snapshot(task)["services"]
    changed = _save(task, {"services": services})
    if changed:
        record_change(task, "mapped", by=by, summary=_("Services of task %(task)s set.") % {"task": task.name},
                      changes=changed)
        _record_mapping(task, before, changed["services"][1], by=by)
    return task


@transaction.atomic(durable=True)
def remove_unit_task(*, by, task_id: int) -> None:
    require_maintainer(by)
    task = UnitTask.objects.select_for_update().select_related("unit").filter(pk=task_id).first()
    if task is None:
        raise InvalidState(_("That catalogue entry no longer exists."))
    before = snapshot(task)
    _record_mapping(task, before["services"], [], by=by)
    record_change(task, "removed", by=by, summary=_("Task %(task)s of %(unit)s removed.") % {
        "task": task.name, "unit": task.unit}, changes={k: [v, None] for k, v in before.items()})
    task.delete()

"""Reads of the catalogue shared by pages, the API and the benchmark: coverage of the task-to-service
map per unit, and a service's workload."""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.utils import timezone

from requests_app.models import ServiceRequest, Status
from teams.models import Unit
from teams.selectors import unit_tree

from .models import Service, UnitTask

# "Mapped" means mapped to a service still offered: a task whose only services are retired is a gap.
TaskServices = UnitTask.services.through
ServiceUnits = Service.contributing_units.through

NO_PROMISE = Q(promise_fi="") & Q(promise_sv="") & Q(promise_en="")
MISSING_OWNER_OR_PROMISE = Q(owning_team__isnull=True) | NO_PROMISE


def mapped_to_offered():
    return Exists(TaskServices.objects.filter(unittask_id=OuterRef("pk"), service__retired_at__isnull=True))


@dataclass
class UnitCoverage:
    """One unit's share of the map, counted over the unit and all its sub-units."""

    unit: Unit
    depth: int
    tasks: int = 0
    unmapped: int = 0
    service_ids: set = field(default_factory=set)
    gap_ids: set = field(default_factory=set)

    @property
    def mapped(self) -> int:
        return self.tasks - self.unmapped

    @property
    def mapped_percent(self) -> int | None:
        return None if not self.tasks else round(100 * self.mapped / self.tasks)

    @property
    def services(self) -> int:
        """Offered services the unit works on: it contributes to them, or its tasks are mapped to them."""
        return len(self.service_ids)

    @property
    def services_with_gaps(self) -> int:
        """Of those, the ones with no owning team or no service promise."""
        return len(self.gap_ids)


def coverage_by_unit() -> list[UnitCoverage]:
    tree = unit_tree()
    rows = {unit.pk: UnitCoverage(unit=unit, depth=depth) for unit, depth in tree}
    counts = (
        UnitTask.objects.annotate(is_mapped=mapped_to_offered())
        .values("unit_id", "is_mapped").annotate(n=Count("pk")).order_by()
    )
    for row in counts:
        rows[row["unit_id"]].tasks += row["n"]
        if not row["is_mapped"]:
            rows[row["unit_id"]].unmapped += row["n"]
    offered = TaskServices.objects.filter(service__retired_at__isnull=True)
    for unit_id, service_id in offered.values_list("unittask__unit_id", "service_id").distinct():
        rows[unit_id].service_ids.add(service_id)
    contributions = ServiceUnits.objects.filter(service__retired_at__isnull=True)
    for unit_id, service_id in contributions.values_list("unit_id", "service_id"):
        rows[unit_id].service_ids.add(service_id)
    gaps = set(Service.objects.offered().filter(MISSING_OWNER_OR_PROMISE).values_list("pk", flat=True))

    # Sub-units' figures roll up into their parents: deepest first.
    for unit, _depth in reversed(tree):
        row = rows[unit.pk]
        if unit.parent_id in rows:
            parent = rows[unit.parent_id]
            parent.tasks += row.tasks
            parent.unmapped += row.unmapped
            parent.service_ids |= row.service_ids
    for unit, _depth in tree:
        rows[unit.pk].gap_ids = rows[unit.pk].service_ids & gaps
    return [rows[unit.pk] for unit, _depth in tree]


def unmapped_tasks(unit: Unit | None = None) -> QuerySet[UnitTask]:
    """Tasks of the unit and its sub-units (or of every unit) not mapped to any offered service."""
    qs = UnitTask.objects.filter(~mapped_to_offered()).select_related("unit")
    if unit is not None:
        qs = qs.filter(unit_id__in=unit.descendant_ids())
    return qs.order_by("unit__name_fi", "name")


def services_of_units(unit_ids) -> QuerySet[Service]:
    return Service.objects.offered().filter(
        Q(contributing_units__in=unit_ids) | Q(unit_tasks__unit__in=unit_ids)
    ).distinct()


def services_missing_owner_or_promise(unit: Unit | None = None) -> QuerySet[Service]:
    """Offered services with no owning team or no promise in any language (of those a unit works on)."""
    qs = Service.objects.offered()
    if unit is not None:
        qs = services_of_units(unit.descendant_ids())
    return qs.filter(MISSING_OWNER_OR_PROMISE).select_related("area", "owning_team").order_by("name_fi")


def services_without_contributors() -> QuerySet[Service]:
    """Offered services that no unit contributes to, directly or through a mapped task."""
    return (
        Service.objects.offered()
        .filter(~Exists(ServiceUnits.objects.filter(service_id=OuterRef("pk"))))
        .filter(~Exists(TaskServices.objects.filter(service_id=OuterRef("pk"))))
        .select_related("area", "owning_team").order_by("name_fi")
    )


# --- a service's workload -----------------------------------------------------------------------------

@dataclass
class Workload:
    open_requests: int
    last_7_days: int
    last_30_days: int
    weekly: list[tuple]  # (week start date, requests logged), oldest first, weeks without requests included

    @property
    def busiest_week(self) -> int:
        return max((n for _, n in self.weekly), default=0)


def service_workload(service: Service, *, now=None, weeks: int = 12) -> Workload:
    now = now or timezone.now()
    requests = ServiceRequest.objects.filter(service=service)
    this_week = timezone.localtime(now).date()
    this_week -= timedelta(days=this_week.weekday())
    first_week = this_week - timedelta(weeks=weeks - 1)
    since = timezone.make_aware(datetime.combine(first_week, time.min))
    figures = requests.aggregate(
        open_requests=Count("pk", filter=~Q(status=Status.RESOLVED)),
        last_7_days=Count("pk", filter=Q(created_at__gt=now - timedelta(days=7), created_at__lte=now)),
        last_30_days=Count("pk", filter=Q(created_at__gt=now - timedelta(days=30), created_at__lte=now)),
    )
    per_week = dict(
        requests.filter(created_at__gte=since, created_at__lte=now)
        .annotate(week=TruncWeek("created_at")).values_list("week").annotate(n=Count("pk")).order_by()
    )
    per_week = {week.date(): n for week, n in per_week.items()}
    weekly = [(this_week - timedelta(weeks=i), per_week.get(this_week - timedelta(weeks=i), 0))
              for i in range(weeks - 1, -1, -1)]
    return Workload(weekly=weekly, **figures)


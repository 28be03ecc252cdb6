"""What the public pages read: the services open to the web form, and how often their promises were kept."""

import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Sum
from django.utils import timezone

from catalogue.models import CustomerGroup, Service, ServiceArea
from catalogue.search import search_services

from ..models import DailyFigures

RECORD_DAYS = 90
RECORD_CACHE_SECONDS = 600
KINDS = ("first_reply", "next_reply", "resolution", "callback")


def public_services():
    return (Service.objects.offered().filter(public_web_form=True, owning_team__isnull=False)
            .select_related("area").defer(*Service.SEARCH_FIELDS))


def find_services(*, query: str = "", area: ServiceArea | None = None, group: CustomerGroup | None = None,
                  limit: int = 200) -> list[Service]:
    """The public services of an area and customer group, or those that best match the words, best first."""
    if query.strip():
        found = [s for s in search_services(query, limit=limit, public_only=True)
                 if area is None or s.area_id == area.pk]
        if group is not None:
            in_group = set(Service.objects.filter(pk__in=[s.pk for s in found], customer_groups=group)
                           .values_list("pk", flat=True))
            found = [s for s in found if s.pk in in_group]
        return found
    services = public_services()
    if area is not None:
        services = services.filter(area=area)
    if group is not None:
        services = services.filter(customer_groups=group)
    return list(services.order_by("area__position", "name_fi")[:limit])


def areas_and_groups() -> tuple[list[ServiceArea], list[CustomerGroup]]:
    """Only the areas and groups that have a public service: no choice that leads nowhere."""
    public = public_services()
    return (list(ServiceArea.objects.filter(services__in=public).distinct()),
            list(CustomerGroup.objects.filter(services__in=public).distinct()))


@dataclass(frozen=True)
class Record:
    kept: int
    missed: int

    @property
    def total(self) -> int:
        return self.kept + self.missed

    @property
    def percent(self) -> int | None:
        return round(100 * self.kept / self.total) if self.total else None


def promise_records(*, now=None) -> dict[int | None, Record]:
    """Promises kept and missed over the last 90 days, by service (None: the whole organisation), from the
    dashboards' daily figures: deadlines that fell in the period, no personal data. Cached for ten minutes."""
    today = timezone.localdate(now or timezone.now())
    key = f"public-promise-records:{today.isoformat()}"
    return cache.get_or_set(key, lambda: _count_records(today), RECORD_CACHE_SECONDS)


def _count_records(today: dt.date) -> dict[int | None, Record]:
    sums = {f"{word}_{kind}": Sum(f"{word}_{kind}") for word in ("kept", "missed") for kind in KINDS}
    rows = (DailyFigures.objects.filter(grain=DailyFigures.Grain.TEAM, service__in=public_services(),
                                        day__gt=today - dt.timedelta(days=RECORD_DAYS), day__lte=today)
            .values("service_id").annotate(**sums))
    records, kept_all, missed_all = {}, 0, 0
    for row in rows:
        kept = sum(row[f"kept_{kind}"] or 0 for kind in KINDS)
        missed = sum(row[f"missed_{kind}"] or 0 for kind in KINDS)
        records[row["service_id"]] = Record(kept, missed)
        kept_all, missed_all = kept_all + kept, missed_all + missed
    records[None] = Record(kept_all, missed_all)
    return records

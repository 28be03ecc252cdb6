"""What a dashboard covers: a scope (the organisation, a unit with its sub-units, a site, a service area, a
service or a team) and a period of whole local days."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue.models import Service, ServiceArea
from teams.models import Site, Team, Unit

from .figures import midnight

PERIODS = {
    "week": gettext_lazy("This week"),
    "30d": gettext_lazy("Last 30 days"),
    "quarter": gettext_lazy("This quarter"),
    "custom": gettext_lazy("Custom"),
}
MAX_CUSTOM_DAYS = 731

class BadPeriod(ValueError):
    pass


# --- period ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Whole local days: from the start of `first` to the end of `last` (or to now, when that is sooner)."""

    key: str
    first: dt.date
    last: dt.date

    @property
    def start(self) -> dt.datetime:
        return midnight(self.first)

    @property
    def end(self) -> dt.datetime:
        return midnight(self.last + dt.timedelta(days=1))

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def previous(self) -> "Period":
        return Period(self.key, self.first - dt.timedelta(days=self.days), self.first - dt.timedelta(days=1))

    @property
    def label(self) -> str:
        return f"{self.first:%d.%m.%Y}–{self.last:%d.%m.%Y}"

    def daily(self) -> bool:
        return self.days <= 45


def parse_period(params, *, today: dt.date) -> Period:
    key = params.get("period") or "30d"
    if key == "week":
        return Period(key, today - dt.timedelta(days=today.weekday()), today)
    if key == "30d":
        return Period(key, today - dt.timedelta(days=29), today)
    if key == "quarter":
        return Period(key, dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), today)
    if key != "custom":
        raise BadPeriod(_("Choose the period: this week, last 30 days, this quarter or custom."))
    try:
        first = dt.date.fromisoformat(params.get("from", ""))
        last = dt.date.fromisoformat(params.get("to", ""))
    except ValueError:
        raise BadPeriod(_("Give a custom period as two dates, from and to (YYYY-MM-DD).")) from None
    if last < first:
        raise BadPeriod(_("The period must end on or after the day it starts."))
    if (last - first).days + 1 > MAX_CUSTOM_DAYS:
        raise BadPeriod(_("A custom period can be at most two years."))
    if first > today:
        raise BadPeriod(_("The period cannot start in the future."))
    return Period(key, first, min(last, today))


# --- scope ----------------------------------------------------------------------------------------------------


@dataclass
class Scope:
    kind: str  # org, unit, site, area, service, team
    obj: object = None
    team_ids: list | None = None  # unit: its teams and those of its sub-units
    service_ids: list | None = None  # area: its services

    @property
    def title(self) -> str:
        return _("Whole organisation") if self.obj is None else str(self.obj)

    def requests(self, qs):
        return qs.filter(**self._filter(team="team_id", service="service_id", site="intake_site_id"))

    def outcomes(self, qs):
        return qs.filter(**self._filter(team="team_id", service="service_id", site="intake_site_id"))

    def _filter(self, *, team, service, site) -> dict:
        if self.kind == "unit":
            return {f"{team}__in": self.team_ids}
        if self.kind == "team":
            return {team: self.obj.pk}
        if self.kind == "area":
            return {f"{service}__in": self.service_ids}
        if self.kind == "service":
            return {service: self.obj.pk}
        if self.kind == "site":
            return {site: self.obj.pk}
        return {}

    def handoffs(self, qs):
        if self.kind in ("unit", "team"):
            teams = self.team_ids if self.kind == "unit" else [self.obj.pk]
            return qs.filter(Q(from_team_id__in=teams) | Q(to_team_id__in=teams))
        if self.kind in ("area", "service"):
            services = self.service_ids if self.kind == "area" else [self.obj.pk]
            return qs.filter(Q(from_service_id__in=services) | Q(to_service_id__in=services))
        if self.kind == "site":
            return qs.filter(intake_site_id=self.obj.pk)
        return qs

    def queue_params(self) -> dict:
        """The queue filters that select this scope's requests."""
        return {
            "unit": {"unit": getattr(self.obj, "pk", None)},
            "team": {"in_team": getattr(self.obj, "slug", None)},
            "area": {"area": getattr(self.obj, "pk", None)},
            "service": {"service": getattr(self.obj, "pk", None)},
            "site": {"site": getattr(self.obj, "pk", None)},
        }.get(self.kind, {})


def scope_for(kind: str, key: str | None) -> Scope:
    """The scope named in the URL; raises LookupError when there is no such unit, site, area, service or team."""
    if kind == "org":
        return Scope("org")
    if kind == "unit":
        unit = Unit.objects.get(code=key)
        teams = list(Team.objects.filter(units__in=unit.descendant_ids()).distinct().values_list("pk", flat=True))
        return Scope("unit", unit, team_ids=teams)
    if kind == "site":
        return Scope("site", Site.objects.get(code=key))
    if kind == "area":
        area = ServiceArea.objects.get(code=key)
        return Scope("area", area, service_ids=list(area.services.values_list("pk", flat=True)))
    if kind == "service":
        return Scope("service", Service.objects.get(code=key))
    if kind == "team":
        return Scope("team", Team.objects.get(slug=key))
    raise LookupError(kind)

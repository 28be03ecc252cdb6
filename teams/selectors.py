from django.db.models import Count, Prefetch, Q

from catalogue.models import Service
from requests_app.models import ServiceRequest, Status

from .models import Membership, Team, TeamChange, Unit


def teams_for_directory():
    """Every team with what a colleague needs to find it: units, sites, size and open workload."""
    return (
        Team.objects.prefetch_related("units", "sites")
        .annotate(
            member_count=Count("memberships", distinct=True),
            open_count=Count(
                "requests", filter=~Q(requests__status=Status.RESOLVED), distinct=True
            ),
        )
        .order_by("name_fi")
    )


def team_for_page(slug: str) -> Team:
    return (
        Team.objects.select_related("escalation_contact", "calendar")
        .prefetch_related(
            "units",
            "sites",
            Prefetch("owned_services", queryset=Service.objects.filter(retired_at__isnull=True).order_by("name_fi")),
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("user__home_unit", "user__home_site").order_by(
                    "-role", "user__last_name", "user__first_name"
                ),
            ),
        )
        .get(slug=slug)
    )


def open_request_count(team: Team) -> int:
    return ServiceRequest.objects.open().filter(team=team).count()


def recent_changes(team: Team, limit: int = 20):
    return TeamChange.objects.filter(team=team).select_related("actor", "person")[:limit]


def unit_tree(units=None) -> list[tuple[Unit, int]]:
    """Every unit with its depth, parents before their sub-units, siblings by name."""
    units = list(units if units is not None else Unit.objects.order_by("name_fi"))
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    ordered: list[tuple[Unit, int]] = []

    def walk(parent_id, depth):
        for unit in children.get(parent_id, []):
            ordered.append((unit, depth))
            walk(unit.pk, depth + 1)

    walk(None, 0)
    return ordered

"""Read-side queries about requests, shared by pages and the API."""

from django.db.models import Prefetch

from ..models import ServiceRequest, TimelineEvent


def request_for_page(*, reference: str, user=None) -> ServiceRequest:
    """The request page's request, if this person may see it (raises DoesNotExist otherwise). Without a
    person, for the one who just logged it (an intake owner may always read their intake)."""
    requests = ServiceRequest.objects.visible_to(user) if user is not None else ServiceRequest.objects.all()
    return (
        requests.select_related("service__area", "team", "customer", "assignee", "intake_owner", "intake_site",
                                "follow_up_of")
        .prefetch_related(Prefetch("timeline", queryset=TimelineEvent.objects.select_related("actor")))
        .get(reference=reference)
    )


def can_see(user, request_id: int) -> bool:
    return ServiceRequest.objects.visible_to(user).filter(pk=request_id).exists()


def my_intakes(user):
    return ServiceRequest.objects.for_list().filter(intake_owner=user)


def my_work(user):
    return ServiceRequest.objects.for_list().filter(assignee=user).open()

"""Read-side queries about requests, shared by pages and the API."""

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Subquery,
)
from django.db.models.functions import Coalesce

from servicedesk.languages import LANGUAGES
from servicedesk.prepared import PreparedQuery
from teams.models import Membership

from ..models import (
    Attachment,
    InboundMail,
    Message,
    RequestClock,
    ServiceRequest,
    StatusLink,
    TimelineEvent,
    access,
)


def _page_request(reference, user_id):
    # What the page shows beside the request is asked in the same query (each was a query of its own).
    return ServiceRequest.objects.for_page().annotate(
        team_role=Subquery(Membership.objects.filter(team_id=OuterRef("team_id"), user_id=user_id).order_by("pk")
                           .values("role")[:1]),
        open_links=Coalesce(Subquery(
            StatusLink.objects.filter(request=OuterRef("pk"), revoked_at__isnull=True).order_by()
            .values("request").annotate(count=Count("pk")).values("count"), output_field=IntegerField()), 0),
        has_flagged_mail=Exists(InboundMail.objects.filter(request=OuterRef("pk"), outcome=InboundMail.Outcome.FLAGGED)),
        has_files=Exists(Attachment.objects.filter(request=OuterRef("pk"))),
    ).filter(reference=reference)


# Opened all day long: compiled once (see servicedesk.prepared), run with the reference, the person and the request.
AN_ID = -1_000_000_007  # the stand-in for an id: no row has it
PAGE_REQUEST = PreparedQuery(_page_request, reference="\x1freference", user_id=AN_ID)
TIMELINE = PreparedQuery(lambda request_id: TimelineEvent.objects.select_related("actor").filter(request_id=request_id),
                         request_id=AN_ID)
CONVERSATION = PreparedQuery(lambda request_id: Message.objects.select_related("author").filter(request_id=request_id),
                             request_id=AN_ID)
CLOCKS = PreparedQuery(lambda request_id: RequestClock.objects.filter(request_id=request_id).order_by("started_at", "pk"),
                       request_id=AN_ID)


def request_for_page(*, reference: str, user=None) -> ServiceRequest:
    """The request page's request, if this person may see it (raises DoesNotExist otherwise), with
    `team_role`: the person's role in its team, or None, and `timeline_events`. Without a person, for the one
    who just logged it (an intake owner may always read their intake)."""
    found = PAGE_REQUEST(reference=reference, user_id=user.pk if user is not None else 0)
    if not found:
        raise ServiceRequest.DoesNotExist
    req = found[0]
    if user is not None and not access.may_open(user, req, req.team_role):
        raise ServiceRequest.DoesNotExist
    req.timeline_events = TIMELINE(request_id=req.pk)
    return req


def status_card(reference: str) -> ServiceRequest | None:
    """What anyone on the staff may know of a request by its reference: no customer, subject or text."""
    return (
        ServiceRequest.objects.select_related("team", "service")
        .only("reference", "status", "created_at", "resolved_at", "commitment_state", "next_deadline_at",
              "team__slug", "team__email", "service__code",
              *(f"{kind}__name_{language}" for kind in ("service", "team") for language in LANGUAGES))
        .filter(reference=reference).first()
    )


def files_by_message(req, conversation) -> dict:
    """The request's files in one query, by message (None: the request's own), each message's set on it as
    `files_shown`."""
    files = {}
    # No query for a request known to have none (`request_for_page` says so).
    for file in req.files.select_related("added_by") if getattr(req, "has_files", True) else ():
        files.setdefault(file.message_id, []).append(file)
    for message in conversation:
        message.files_shown = files.get(message.pk, [])
    return files


def handoffs_for_page(req) -> list:
    """The request's moves with the names the page shows (not the services' descriptions and search columns);
    no query for the many requests never moved."""
    if not req.handoff_count:
        return []
    return list(
        req.handoffs.select_related("from_team", "to_team", "from_service", "to_service", "by").only(
            "request_id", "note", "created_at", "to_team_id", "by__username",
            "by__first_name", "by__last_name",
            *(f"{end}_{kind}__name_{language}" for end in ("from", "to") for kind in ("service", "team")
              for language in LANGUAGES),
        )
    )


def can_see(user, request_id: int) -> bool:
    return access.openable_requests(user).filter(pk=request_id).exists()


def my_intakes(user):
    return ServiceRequest.objects.for_list().filter(intake_owner=user)


def my_work(user):
    return ServiceRequest.objects.for_list().filter(assignee=user).open()

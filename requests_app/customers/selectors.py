"""Read-side queries about customers: finding them, their history, their possible duplicates."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Min, Q

from catalogue.models import Channel, Service
from servicedesk.languages import LANGUAGES

from ..models import AuditEntry, Customer, Handoff, ServiceRequest, access


def find_customers(text: str, user):
    """Customers this person may see (`access.visible_customers`) matching `text` (`Customer.objects.matching`:
    raises ValueError for less than three letters), with how many requests each has."""
    return access.visible_customers(user).matching(text).for_search()[:50]


def openable_among(user, rows) -> set[int]:
    """Which of these history rows the person may open: the others show what and where, not the subject."""
    return set(access.openable_requests(user).filter(pk__in=[row.pk for row in rows]).values_list("pk", flat=True))


def customer_history(customer):
    """Every request of the customer across units, sites and channels, newest first, with who handled it."""
    return ServiceRequest.objects.filter(customer=customer).history_rows().order_by("-created_at", "-pk")


def handoff_routes(rows) -> dict[int, list[str]]:
    """For the handed-off requests among `rows` (history rows), the teams each went through, in order: a
    customer's history shows where a request moved, never only where it ended."""
    moved = [row.pk for row in rows if row.handoff_count]
    routes = {}
    for move in (Handoff.objects.filter(request_id__in=moved).order_by("request_id", "created_at", "pk")
                 .select_related("from_team", "to_team").only("request_id", *(f"{end}_team__name_{language}" for end in ("from", "to")
                                                       for language in LANGUAGES))):
        routes.setdefault(move.request_id, [move.from_team.name]).append(move.to_team.name)
    return routes


@dataclass
class CustomerSummary:
    total: int
    open: int
    first_contact: dt.datetime | None
    services: list  # (service name, how many requests), most used first
    channels: list  # (channel label, how many requests)


def customer_summary(customer) -> CustomerSummary:
    """The whole history at a glance, however long it is: counted by the database, not listed."""
    mine = ServiceRequest.objects.filter(customer=customer)
    totals = mine.aggregate(total=Count("pk"), open=Count("pk", filter=~Q(status="resolved")), first=Min("created_at"))
    per_service = dict(mine.order_by().values_list("service").annotate(n=Count("pk")))
    names = {s.pk: s.name for s in Service.objects.filter(pk__in=per_service).only("name_fi", "name_sv", "name_en")}
    per_channel = mine.order_by().values_list("channel").annotate(n=Count("pk")).order_by("-n")
    return CustomerSummary(
        total=totals["total"], open=totals["open"], first_contact=totals["first"],
        services=sorted(((names[pk], n) for pk, n in per_service.items()), key=lambda item: (-item[1], item[0])),
        channels=[(Channel(channel).label, n) for channel, n in per_channel],
    )


def possible_duplicates(customer):
    """Other live records with the same e-mail, phone, business ID or name: the merge candidates staff see."""
    same = Q(name__iexact=customer.name)
    for field in ("email", "phone", "business_id"):
        if getattr(customer, field):
            same |= Q(**{field: getattr(customer, field)})
    return Customer.objects.filter(same, merged_into__isnull=True).exclude(pk=customer.pk).order_by("name", "pk")[:20]


def everything_about(customer) -> dict:
    """A subject-access export: every record the desk keeps about one customer (and the records merged into
    it), their requests with conversation, files, timeline and hand-offs, and who read their data when."""
    merged = list(customer.merged_from.values_list("pk", flat=True))
    requests = (ServiceRequest.objects.filter(customer=customer).select_related("service", "team", "callback")
                .prefetch_related("messages", "timeline", "files", "handoffs__from_team", "handoffs__to_team")
                .order_by("created_at", "pk"))

    def moment(value):
        return value.isoformat() if value else None

    return {
        "customer": {
            "record": customer.pk, "kind": customer.kind, "name": customer.name, "email": customer.email,
            "phone": customer.phone, "business_id": customer.business_id, "language": customer.language,
            "created": moment(customer.created_at), "merged_records": merged,
        },
        "requests": [{
            "reference": req.reference, "service": req.service.name, "team": req.team.name, "channel": req.channel,
            "status": req.status, "logged": moment(req.created_at), "resolved": moment(req.resolved_at),
            "subject": req.subject, "description": req.description, "resolution": req.resolution,
            "personal_data_removed": moment(req.anonymised_at),
            "callback": ({"phone": req.callback.phone, "from": moment(req.callback.window_start),
                          "until": moment(req.callback.window_end)} if hasattr(req, "callback") else None),
            "messages": [{"direction": m.direction, "channel": m.channel, "at": moment(m.created_at),
                          "text": m.body, "attachments": [a.get("name") for a in m.attachments or []]}
                         for m in req.messages.all()],
            "files": [{"name": f.name, "size": f.size, "added": moment(f.added_at)} for f in req.files.all()],
            "handoffs": [{"at": moment(h.created_at), "from": h.from_team.name, "to": h.to_team.name, "note": h.note}
                         for h in req.handoffs.all()],
            "timeline": [{"at": moment(e.created_at), "what": e.get_kind_display(), "text": e.text}
                         for e in req.timeline.all()],
        } for req in requests],
        "read_by": [{"at": moment(e.at), "who": e.actor, "what": e.get_kind_display(), "through": e.via}
                    for e in AuditEntry.objects.filter(customer_id__in=[customer.pk, *merged]).order_by("at", "pk")],
    }

"""Read-side queries shared by views and the API."""

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.db.models import F, Prefetch, Q

from .models import ServiceRequest, TimelineEvent


def request_for_page(*, reference: str, user) -> ServiceRequest:
    """The request page's request, if this person may see it (raises DoesNotExist otherwise)."""
    return (
        ServiceRequest.objects.visible_to(user)
        .select_related("service__area", "team", "customer", "assignee", "intake_owner", "intake_site")
        .prefetch_related(Prefetch("timeline", queryset=TimelineEvent.objects.select_related("actor")))
        .get(reference=reference)
    )


def can_see(user, request_id: int) -> bool:
    return ServiceRequest.objects.visible_to(user).filter(pk=request_id).exists()


def my_intakes(user):
    return ServiceRequest.objects.for_list().filter(intake_owner=user)


def my_work(user):
    return ServiceRequest.objects.for_list().filter(assignee=user).open()


class InvalidCursor(ValueError):
    pass


@dataclass(frozen=True)
class Ordering:
    """A total order of a list (some fields, then the primary key) and how to go on from any row of it.

    Pages are cut by keyset, not by offset: the next page is "the rows after the last one shown", which an
    index finds directly, so the hundredth page costs what the first does and nothing is ever counted.
    `nullable_first` puts rows without a value in the first field after all the others (deadlines).
    """

    fields: tuple[str, ...]
    descending: bool = False
    nullable_first: bool = False

    def order_by(self, *, reverse: bool = False) -> list:
        descending = self.descending != reverse
        order = [F(name).desc() if descending else F(name).asc() for name in self.fields]
        if self.nullable_first:
            first = F(self.fields[0])
            order[0] = first.desc(nulls_first=True) if descending else first.asc(nulls_last=True)
        return order

    def key(self, row) -> str:
        values = [getattr(row, name) for name in self.fields]
        return "~".join("" if v is None else v.isoformat() if isinstance(v, dt.datetime) else str(v) for v in values)

    def parse(self, model, cursor: str) -> list:
        parts = cursor.split("~")
        if len(parts) != len(self.fields):
            raise InvalidCursor(cursor)
        values = []
        for name, text in zip(self.fields, parts):
            field = model._meta.pk if name == "pk" else model._meta.get_field(name)
            try:
                if text == "" and field.null:
                    values.append(None)
                elif isinstance(field, models.DateTimeField):
                    moment = dt.datetime.fromisoformat(text)
                    if moment.tzinfo is None:
                        raise ValueError(text)
                    values.append(moment)
                else:
                    values.append(int(text))
            except ValueError:
                raise InvalidCursor(cursor) from None
        return values

    def beyond(self, values, *, forward: bool) -> Q:
        """Rows after `values` in this order (forward) or before them (backward)."""
        ascending = (not self.descending) == forward
        if self.nullable_first:
            first, rest = self.fields[0], Ordering(self.fields[1:], self.descending)
            value, rest_q = values[0], rest.beyond(values[1:], forward=forward)
            nulls_come_next = forward  # null sorts last, so only going forward can reach it
            if value is None:
                return Q(**{f"{first}__isnull": True}) & rest_q if forward else (
                    Q(**{f"{first}__isnull": False}) | (Q(**{f"{first}__isnull": True}) & rest_q))
            op = "gt" if ascending else "lt"
            found = Q(**{f"{first}__{op}": value}) | (Q(**{first: value}) & rest_q)
            return found | Q(**{f"{first}__isnull": True}) if nulls_come_next else found
        op = "gt" if ascending else "lt"
        found = Q()
        for i in range(len(self.fields) - 1, -1, -1):
            step = Q(**{f"{self.fields[i]}__{op}": values[i]})
            found = step if i == len(self.fields) - 1 else step | (Q(**{self.fields[i]: values[i]}) & found)
        # The same condition once more as a plain range on the first field, so an index starts right there.
        return Q(**{f"{self.fields[0]}__{op}e": values[0]}) & found


NEWEST = Ordering(("created_at", "pk"), descending=True)
OLDEST = Ordering(("created_at", "pk"))
BY_DEADLINE = Ordering(("next_deadline_at", "created_at", "pk"), nullable_first=True)


class Page:
    """One page of a list, cut by keyset (see Ordering): `after` and `before` are keys of rows shown before."""

    def __init__(self, queryset, *, ordering: Ordering = NEWEST, size: int, after: str | None = None,
                 before: str | None = None):
        model = queryset.model
        if after:
            queryset = queryset.filter(ordering.beyond(ordering.parse(model, after), forward=True))
        elif before:
            queryset = queryset.filter(ordering.beyond(ordering.parse(model, before), forward=False))
        rows = list(queryset.order_by(*ordering.order_by(reverse=bool(before and not after)))[:size + 1])
        more = len(rows) > size
        rows = rows[:size]
        if before and not after:
            rows.reverse()
            self.has_previous, self.has_next = more, True
        else:
            self.has_previous, self.has_next = bool(after), more
        self.rows = rows
        self.next_key = ordering.key(rows[-1]) if rows and self.has_next else None
        self.previous_key = ordering.key(rows[0]) if rows and self.has_previous else None

    @property
    def has_other_pages(self):
        return self.has_next or self.has_previous

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)


def find_customers(text: str):
    """Staff look customers up by name, e-mail, phone or business ID; merged records lead to the survivor."""
    from django.db.models import Count, Q

    from .models import Customer

    text = text.strip()
    if not text:
        return Customer.objects.none()
    digits = "".join(ch for ch in text if ch.isdigit() or ch == "+")
    match = Q(name__icontains=text) | Q(email__iexact=text) | Q(business_id__iexact=text)
    if len(digits) >= 5:
        match |= Q(phone__contains=digits[-7:])
    return (
        Customer.objects.filter(match, merged_into__isnull=True)
        .annotate(request_count=Count("requests"))
        .order_by("name", "pk")[:50]
    )


def customer_history(customer):
    """Every request of the customer across units, sites and channels, newest first, with who handled it."""
    return ServiceRequest.objects.filter(customer=customer).history_rows().order_by("-created_at", "-pk")


def handoff_routes(rows) -> dict[int, list[str]]:
    """For the handed-off requests among `rows` (history rows), the teams each went through, in order: a
    customer's history shows where a request moved, never only where it ended."""
    from .models import Handoff

    moved = [row.pk for row in rows if row.handoff_count]
    routes = {}
    for request_id, from_team, to_team in (
        Handoff.objects.filter(request_id__in=moved).order_by("request_id", "created_at", "pk")
        .values_list("request_id", "from_team__name", "to_team__name")
    ):
        routes.setdefault(request_id, [from_team]).append(to_team)
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
    from django.db.models import Count, Min

    from catalogue.models import Channel, Service

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
    from django.db.models import Q

    from .models import Customer

    same = Q(name__iexact=customer.name)
    for field in ("email", "phone", "business_id"):
        if getattr(customer, field):
            same |= Q(**{field: getattr(customer, field)})
    return Customer.objects.filter(same, merged_into__isnull=True).exclude(pk=customer.pk).order_by("name", "pk")[:20]

"""Read-side queries shared by views and the API."""

from django.db.models import Prefetch

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


class Page:
    """One page of a list, found without counting the whole list: a million rows are never counted."""

    def __init__(self, queryset, number, size):
        try:
            self.number = max(1, int(number or 1))
        except (TypeError, ValueError):
            self.number = 1
        offset = (self.number - 1) * size
        rows = list(queryset[offset:offset + size + 1])
        self.has_next = len(rows) > size
        self.rows = rows[:size]
        self.has_previous = self.number > 1
        self.next_page_number = self.number + 1
        self.previous_page_number = self.number - 1

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
    return (
        ServiceRequest.objects.filter(customer=customer)
        .select_related("service", "team", "assignee", "intake_owner", "intake_site")
        .order_by("-created_at", "-pk")
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

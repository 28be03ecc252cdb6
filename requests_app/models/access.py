"""Need-to-know: who may open a request and who may see a customer, in one place (docs/need-to-know.md).

Every page, list, search, count, CSV and API answer asks here. Whoever has no reason sees what and where
(service, team, status, dates), never who or why (customer, contact details, subject, messages).
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from teams.models import Membership

from .audit import AuditEntry
from .customers import Customer
from .requests import Handoff, ServiceRequest

SEE_ALL = "requests_app.view_all_requests"  # e.g. a manager: opens every request
FRONT_DESK = "requests_app.serve_customers"  # serves any customer at the counter or the phone
DATA_PROTECTION = "requests_app.protect_data"  # answers for personal data: sees it all, merges, exports, erases


ROLE_GROUPS = {FRONT_DESK: "Front desk", DATA_PROTECTION: "Data protection"}


def role_group(permission: str) -> Group:
    """The group that carries a role (`FRONT_DESK`, `DATA_PROTECTION`): people are given roles through it."""
    group, _created = Group.objects.get_or_create(name=ROLE_GROUPS[permission])
    app_label, codename = permission.split(".")
    group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return group


def sees_every_request(user) -> bool:
    return user.is_superuser or user.has_perm(SEE_ALL) or user.has_perm(DATA_PROTECTION)


def serves_every_customer(user) -> bool:
    return user.is_superuser or user.has_perm(FRONT_DESK) or user.has_perm(DATA_PROTECTION)


def may_merge_customers(user) -> bool:
    return serves_every_customer(user)


def protects_data(user) -> bool:
    """The data-protection role: the audit log, subject-access exports and erasure."""
    return user.is_superuser or user.has_perm(DATA_PROTECTION)


def _teams(user):
    return Membership.objects.filter(user=user).values("team_id")


def _theirs(user, teams) -> Q:
    return Q(team_id__in=teams) | Q(intake_owner=user) | Q(assignee=user)


def openable_requests(user):
    """Requests a person may open: their teams' work, their intakes and what they were assigned."""
    if sees_every_request(user):
        return ServiceRequest.objects.all()
    return ServiceRequest.objects.filter(_theirs(user, _teams(user)))


def may_open(user, req, team_role: str | None) -> bool:
    """`openable_requests` for one request, given the person's role in its team (None: not a member)."""
    return (team_role is not None or user.pk in (req.intake_owner_id, req.assignee_id) or sees_every_request(user))


def visible_customers(user):
    """Customers whose contact details and history a person may see: those of the requests their teams hold or
    held, they took in or were assigned, or every customer for the front desk and data protection."""
    live = Customer.objects.filter(merged_into__isnull=True)
    if serves_every_customer(user) or sees_every_request(user):
        return live
    teams = _teams(user)
    theirs = ServiceRequest.objects.filter(
        _theirs(user, teams) | Q(pk__in=Handoff.objects.filter(from_team_id__in=teams).values("request_id")))
    return live.filter(pk__in=theirs.values("customer_id"))


def find_customers(user, text: str, *, via: str, limit: int = 50) -> tuple[list, str | None]:
    """The customers this person may see that `text` finds (`Customer.objects.matching`), as searches list
    them, each recorded in the audit log as read through `via`; or, when `text` is too short, why none."""
    try:
        found = list(visible_customers(user).matching(text).for_search()[:limit])
    except ValueError as error:
        return [], str(error)
    AuditEntry.record_customers_read([customer.pk for customer in found], by=user, via=via)
    return found, None


def may_see_customer(user, customer_id: int) -> bool:
    return visible_customers(user).filter(pk=customer_id).exists()

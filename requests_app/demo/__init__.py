"""A realistic demo organisation: a Finnish public agency with eleven sites and its shared support services.

Structure is matched by codes and usernames, so seeding again changes nothing; requests are logged through
the domain operations (so timelines and commitment clocks are real) only while the demo has none yet.
"""

from django.db import transaction
from django.utils import timezone

from .catalogue import seed_catalogue
from .commitments import seed_commitments
from .history import seed_requests
from .mail import seed_mail
from .organisation import PASSWORD, Organisation, seed_organisation

__all__ = ["PASSWORD", "Organisation", "build_organisation", "seed"]


def build_organisation() -> Organisation:
    """Everything but the requests: sites, units, people, teams, the catalogue and the commitments."""
    org = Organisation()
    with transaction.atomic():
        seed_organisation(org)
        seed_catalogue(org)
    # Each domain operation is its own (durable) transaction.
    seed_commitments(org)
    return org


def seed(*, now=None) -> dict:
    """The whole demo, with three months of history up to `now`; who to log in as."""
    org = build_organisation()
    now = now or timezone.now()
    made = seed_requests(org, now=now)
    seed_mail(org, now=now)
    payroll = org.teams["payroll"]
    return {
        "requests": made,
        "front_desk": org.front_desk,
        "data_protection": org.people["manager-comms"],
        "lead": payroll.leads[0],
        "member": payroll.members.exclude(pk=payroll.leads[0].pk).order_by("username")[0],
    }

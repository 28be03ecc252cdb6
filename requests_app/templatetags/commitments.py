"""Commitment state for lists and pages: `{% load commitments %}`.

    {% commitment_badge req %}      state (readable without colour) and time left in words; uses only
                                    `commitment_state` and `next_deadline_at` (in `for_list()`), no queries
    {% request_clocks req %}        each clock of one request, for the request page (one query)
    {% notification_bell %}         the bell with the unread count; htmx keeps it current
    {{ commitment|commitment_words }}, {{ deadline|time_left }}
"""

from django import template
from django.utils import timezone

from ..models import ClockState, CommitmentState, Notification
from ..wording import commitment_in_words, time_left_in_words

register = template.Library()


@register.inclusion_tag("requests_app/commitments/_badge.html")
def commitment_badge(req, now=None):
    now = now or timezone.now()
    state = req.commitment_state or CommitmentState.NONE
    return {
        "state": state,
        "label": CommitmentState(state).label,
        "words": time_left_in_words(req.next_deadline_at, now) if req.next_deadline_at else "",
        "deadline": req.next_deadline_at,
    }


@register.inclusion_tag("requests_app/commitments/_clocks.html")
def request_clocks(req, now=None):
    now = now or timezone.now()
    rows = []
    for clock in req.clocks.all().order_by("started_at", "pk"):
        if clock.met_at:
            words = ""
        elif clock.state == ClockState.PAUSED:
            words = ""
        else:
            words = time_left_in_words(clock.deadline_at, now)
        rows.append({"clock": clock, "words": words, "late": bool(clock.breached_at)})
    return {"rows": rows}


@register.inclusion_tag("requests_app/commitments/_bell.html", takes_context=True)
def notification_bell(context):
    user = context["request"].user
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True).count() if user.is_authenticated else 0
    return {"unread": unread, "user": user}


@register.filter
def commitment_words(commitment) -> str:
    return commitment_in_words(commitment)


@register.filter
def time_left(deadline) -> str:
    return time_left_in_words(deadline, timezone.now()) if deadline else ""

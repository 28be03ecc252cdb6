"""Commitment state for lists and pages: `{% load commitments %}`.

    {% commitment_badge req %}      state (readable without colour) and time left in words; uses only
                                    `commitment_state` and `next_deadline_at` (in `for_list()`), no queries
    {% request_clocks clocks now %} one request's clocks (in the order started), for the request page
    {% timeline events %}           a request's timeline items (requests.parts)
    {% notification_bell %}         the bell with the unread count; htmx keeps it current
    {{ commitment|commitment_words }}, {{ deadline|time_left }}
    {% queue_rows page my_teams %}, {% queue_filter_controls filter names %}, {% customer_history_rows rows routes openable %}
                                    rows and controls built in Python (requests_app.rows)
"""

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe

from ..commitments.wording import commitment_in_words, time_left_in_words
from ..models import CommitmentState, Notification
from ..queues.rows import RowBuilder, commitment_html, filter_controls, history_rows
from ..requests.parts import clocks_html, timeline_html

register = template.Library()


@register.simple_tag
def commitment_badge(req, now=None):
    """Built in Python, not a template: lists show fifty of them."""
    state = req.commitment_state or CommitmentState.NONE
    return mark_safe(commitment_html(state, str(CommitmentState(state).label), req.next_deadline_at,
                                     now or timezone.now()))


@register.simple_tag
def request_clocks(clocks, now=None):
    return mark_safe(clocks_html(clocks, now or timezone.now()))


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


@register.simple_tag(takes_context=True)
def queue_rows(context, page, own_teams):
    """The rows of a queue page (see requests_app.rows)."""
    return RowBuilder(context["request"], own_teams).rows(page)


@register.simple_tag
def customer_history_rows(rows, routes, openable):
    """The rows of a customer's history (see requests_app.rows)."""
    return history_rows(rows, routes, openable)


@register.simple_tag
def queue_filter_controls(filterset, hidden_names):
    """The filter controls of a queue page (see requests_app.rows)."""
    return filter_controls(filterset.form, hidden_names)


@register.simple_tag
def timeline(events):
    return mark_safe(timeline_html(events))

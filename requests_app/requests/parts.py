"""The request page's lists built in Python, as the queue's rows are (see queues/rows.py): the timeline (a
long-lived request has dozens of events) and the commitment clocks. As Django templates they were a third of
the page's own rendering, each event's two dates, name and label going through the template engine."""

from html import escape

from django.template.defaultfilters import filesizeformat, linebreaksbr
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..commitments.wording import time_left_in_words
from ..models import ClockState


def shown(moment) -> str:
    """A moment in the reader's short date-time format, in local time (as the `date` filter)."""
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def moment_html(moment) -> str:
    """A moment as `<time>`: machine-readable, shown in the reader's short date-time format."""
    return f'<time datetime="{timezone.localtime(moment).isoformat()}">{shown(moment)}</time>'


def timeline_html(events) -> str:
    items = []
    for event in events:
        actor = f" · {escape(str(event.actor))}" if event.actor_id else ""
        text = event.shown_text
        files = event.data.get("files") if isinstance(event.data, dict) else None
        items.append(
            f'<li class="event-{escape(event.kind)}"><div class="meta"><strong>{escape(event.get_kind_display())}'
            f"</strong> · {moment_html(event.created_at)}{actor}</div>"
            + (f'<div class="text">{linebreaksbr(text)}</div>' if text else "")
            + ('<p class="muted">' + ", ".join(f"{escape(str(file['name']))} ({filesizeformat(file['size'])})"
                                               for file in files) + "</p>" if files else "")
            + "</li>"
        )
    return "\n".join(items)


def clocks_html(clocks, now) -> str:
    """Each clock of a request: its state (readable without colour), deadline and time left or when it was met."""
    if not clocks:
        return f'<p class="muted">{escape(_("No commitment applies to this request."))}</p>'
    rows = []
    for clock in clocks:
        late = f' <span class="muted">{escape(_("done late"))}</span>' if clock.breached_at and clock.met_at else ""
        if clock.met_at:
            time = escape(_("done %(at)s") % {"at": shown(clock.met_at)})
        elif clock.state == ClockState.PAUSED:
            time = escape(_("paused while waiting for the customer"))
        else:
            time = escape(time_left_in_words(clock.deadline_at, now))
        rows.append(
            f'<tr><th scope="row">{escape(clock.get_kind_display())}</th>'
            f'<td><span class="badge state-{escape(clock.state)}">{escape(clock.get_state_display())}</span>{late}</td>'
            f"<td>{moment_html(clock.deadline_at)}</td><td>{time}</td></tr>"
        )
    head = "".join(f'<th scope="col">{escape(label)}</th>' for label in (_("Clock"), _("State"), _("Deadline"), _("Time")))
    return (f'<table class="clocks"><caption class="visually-hidden">{escape(_("Commitment clocks"))}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")

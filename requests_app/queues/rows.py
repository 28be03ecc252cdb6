"""The queue's rows and filter controls, built in Python.

A queue page shows fifty rows and is rendered all shift long, every time a filter changes and every 30
seconds: the Django template for a row took 0.3 ms a row (its tags, lookups and translations), half of the
page's server time at a million requests. The same markup built here takes a third of that. The page, the
htmx refresh and the claim button's answer all use `queue_row`, so there is still one source for a row.
"""

from html import escape
from operator import attrgetter

from django import forms
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from catalogue.models import Channel
from servicedesk.languages import reading_order

from ..commitments.wording import duration_in_words, time_left_in_words
from ..models import CommitmentState, ServiceRequest, Status, access

# Every value put into these is escaped first (stdlib `html.escape`: Django's `escape` is the same with a
# lazy-string wrapper that cost more than the escaping on a page of fifty rows).
ROW = (
    '<tr id="row-{reference}"><td>{reference_cell}</td><td>{subject}</td><td>{service}</td>'
    '<td>{customer}</td><td><span class="badge status-{status}">{status_label}</span></td><td>{commitment}</td>'
    "<td>{logged}</td><td>{team}{handoffs}</td><td>{holder}{error}</td></tr>"
)
CLAIM = (
    '<form method="post" action="{url}" hx-post="{url}" hx-target="#row-{reference}" hx-swap="outerHTML">'
    '<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
    '<button type="submit" aria-label="{label}">{button}</button></form>'
)


def commitment_html(state: str, label: str, deadline, now) -> str:
    """The commitment state (readable without colour) and the time left in words."""
    if deadline and deadline <= now and state in (CommitmentState.ON_TRACK, CommitmentState.WARNING):
        # Past its deadline: the sweep records the breach within seconds (or when the workers are back), and
        # until then the row must not say "on track" beside "overdue".
        state, label = CommitmentState.BREACHED, str(CommitmentState.BREACHED.label)
    badge = f'<span class="badge state-{escape(state)}">{escape(label)}</span>'
    if deadline:
        badge += (f' <time class="time-left" datetime="{deadline.isoformat()}">'
                  f"{escape(time_left_in_words(deadline, now))}</time>")
    return f'<span class="commitment">{badge}</span>'


def logged_html(moment, now) -> str:
    """When a request was logged: how long ago in words, the exact time as title and machine-readable."""
    ago = _("%(duration)s ago") % {"duration": duration_in_words(max((now - moment).total_seconds(), 0) / 60)}
    # One plain local format for the title, readable in every language (Django's date filter is slow here).
    return (f'<time datetime="{moment.isoformat()}" title="{timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")}">'
            f"{escape(ago)}</time>")


def person_name(first: str, last: str, username: str) -> str:
    """As User.__str__, for a row read as values."""
    return f"{first} {last}".strip() or username


def name_of(relation: str):
    """Reads a row's service, team or site name in the reader's language (its `<relation>__name_xx` columns)."""
    names = attrgetter(*(f"{relation}__name_{language}" for language in reading_order()))
    return lambda row: next((name for name in names(row) if name), "")


def _url_pattern(name: str) -> str:
    """The URL of a request's page or action with `{}` for its reference: formatted per row, not reversed."""
    return reverse(name, args=["REFERENCE"]).replace("REFERENCE", "{}")


class RowBuilder:
    """Everything the rows of one response share, looked up once. A row is one of
    `ServiceRequest.objects.queue_rows()`."""

    def __init__(self, request, own_teams=None):
        user = request.user
        self.user, self.user_id = user, user.pk
        if own_teams is None:
            own_teams = user.memberships.values_list("team_id", flat=True)
        else:
            own_teams = [team.pk for team in own_teams]
        self.own_teams = set(own_teams)
        self.token = escape(get_token(request))
        self.now = timezone.now()
        self.detail, self.claim = _url_pattern("requests:detail"), _url_pattern("requests:claim")
        self.claim_word, self.claim_label = escape(_("Claim")), _("Claim %(reference)s")
        self.handoffs_word, self.callback_word = escape(_("Hand-offs")), escape(_("Call back"))
        self.hidden_word = escape(_("(another team's request)"))
        self.status_labels = {value: escape(str(label)) for value, label in Status.choices}
        self.replied_badge = f'</span> <span class="badge customer-replied">{escape(_("Customer replied"))}'

        self.state_labels = {value: str(label) for value, label in CommitmentState.choices}
        self.service_name, self.team_name = name_of("service"), name_of("team")

    def may_open(self, req) -> bool:
        """`access.may_open` for a row already loaded."""
        return access.may_open(self.user, req, "member" if req.team_id in self.own_teams else None)

    def row(self, req, error: str | None = None) -> SafeString:
        reference = escape(req.reference)
        state = req.commitment_state or CommitmentState.NONE
        shown = {
            "reference": reference,
            "service": escape(self.service_name(req)),
            "status": escape(req.status),
            "status_label": self.status_labels.get(req.status, escape(req.status)) + (
                self.replied_badge if req.customer_replied_at else ""),
            "commitment": commitment_html(state, self.state_labels.get(state, state), req.next_deadline_at, self.now),
            "logged": logged_html(req.created_at, self.now),
            "team": escape(self.team_name(req)),
            "error": f'<p class="error" role="alert">{escape(error)}</p>' if error else "",
        }
        if not self.may_open(req):
            # Another team's request, listed for the organisation-wide view: what and where, not who or why.
            return mark_safe(ROW.format(**shown, reference_cell=reference, subject=self.hidden_word,
                                        customer=self.hidden_word, handoffs="", holder=""))
        if req.assignee_id:
            holder = escape(person_name(req.assignee__first_name, req.assignee__last_name, req.assignee__username))
        elif req.status != Status.RESOLVED:
            holder = CLAIM.format(url=escape(self.claim.format(req.reference)), reference=reference, token=self.token,
                                  label=escape(self.claim_label % {"reference": req.reference}),
                                  button=self.claim_word)
        else:
            holder = ""
        subject = escape(req.subject)
        if req.channel == Channel.CALLBACK:
            subject = f'<span class="tag">☎ {self.callback_word}</span> {subject}'
        handoffs = (f' <span class="tag" title="{self.handoffs_word}">↔ {req.handoff_count}</span>'
                    if req.handoff_count else "")
        return mark_safe(ROW.format(
            **shown, reference_cell=f'<a href="{escape(self.detail.format(req.reference))}">{reference}</a>',
            subject=subject, customer=escape(req.customer_name), handoffs=handoffs, holder=holder,
        ))

    def rows(self, requests) -> SafeString:
        return mark_safe("".join(map(self.row, requests)))  # each row escapes what it shows


def queue_row(request, request_id: int, error: str | None = None) -> SafeString:
    """One row, as the queue shows it: the answer to a claim from the queue."""
    return RowBuilder(request).row(ServiceRequest.objects.queue_rows().get(pk=request_id), error)


def history_rows(rows, routes, openable) -> SafeString:
    """Rows of a customer's history (`ServiceRequest.objects.history_rows()`), built here for the queue's
    reasons: a long-standing customer's page shows up to 150 of them. `routes` gives the teams a handed-off
    request went through (`selectors.handoff_routes`); of the others than `openable` (request ids) the subject
    is not shown, as in the queue."""
    hidden = escape(_("(another team's request)"))
    detail, service_name, team_name = _url_pattern("requests:detail"), name_of("service"), name_of("team")
    site_name = name_of("intake_site")
    statuses = {value: escape(str(label)) for value, label in Status.choices}
    channels = {value: escape(str(label)) for value, label in Channel.choices}
    days = {}
    parts = []
    for req in rows:
        day = timezone.localdate(req.created_at)
        if day not in days:
            days[day] = escape(date_format(day, "SHORT_DATE_FORMAT"))
        # No intake owner: it came in by itself (a mail to a team's address), and the channel says how.
        intake = escape(person_name(req.intake_owner__first_name, req.intake_owner__last_name,
                                    req.intake_owner__username)) if req.intake_owner__username else channels.get(
            req.channel, escape(req.channel))
        if site := site_name(req):
            intake += f" · {escape(site)}"
        handler = escape(person_name(req.assignee__first_name, req.assignee__last_name, req.assignee__username)
                         ) if req.assignee__username else "–"
        service = escape(service_name(req))
        reference = escape(req.reference)
        moved = ""
        if req.pk in routes:
            moved = escape(_("Handed off: %(route)s") % {"route": " → ".join(routes[req.pk])})
            moved = f'<br><span class="muted">{moved}</span>'
        parts.append(
            f'<tr><td><a href="{escape(detail.format(req.reference))}">{reference}</a></td>'
            f'<td><time datetime="{req.created_at.isoformat()}">{days[day]}</time></td>'
            f"<td>{escape(req.subject) if req.pk in openable else hidden}</td>"
            f"<td>{service} · {escape(team_name(req))}{moved}</td>"
            f"<td>{channels.get(req.channel, escape(req.channel))}</td><td>{intake}</td><td>{handler}</td>"
            f'<td><span class="badge status-{escape(req.status)}">{statuses.get(req.status, escape(req.status))}'
            "</span></td></tr>"
        )
    return mark_safe("".join(parts))  # every value is escaped above


# Shown at once (the ones used most, and what fits a phone); the others behind "More filters".
MAIN_FILTERS = ("q", "status", "assignee", "sort")


def filter_controls(form, hidden_names) -> SafeString:
    """The queue's filter controls, built here for the same reason as the rows: Django renders every widget
    through its own template, a dozen of them with 150 options on every queue page. Filters named in
    `hidden_names` (set by a dashboard link) travel as hidden fields when they have a value."""
    parts, more, more_in_use = [], [], False
    for field in form:
        value = field.value()
        shown = "" if value is None else str(value)
        if field.name in hidden_names:
            if shown:
                parts.append(f'<input type="hidden" name="{escape(field.html_name)}" value="{escape(shown)}">')
            continue
        widget = field.field.widget
        attrs = {"id": field.auto_id, "name": field.html_name, **widget.attrs}
        if isinstance(widget, forms.Select):
            options = "".join(
                f'<option value="{escape(str(choice))}"{" selected" if str(choice) == shown else ""}>'
                f"{escape(str(label))}</option>" for choice, label in widget.choices
            )
            control = f"<select{_attributes(attrs)}>{options}</select>"
        elif isinstance(widget, forms.CheckboxInput):
            attrs.update(type="checkbox", value="on", checked="checked" if value else None)
            control = f"<input{_attributes(attrs)}>"
        else:
            attrs.setdefault("type", widget.input_type)
            if shown:
                attrs["value"] = shown
            control = f"<input{_attributes(attrs)}>"
        row = f'<p><label for="{escape(field.auto_id)}">{escape(str(field.label))}</label>{control}</p>'
        if field.name in MAIN_FILTERS:
            parts.append(row)
        else:
            more.append(row)
            more_in_use = more_in_use or value not in (None, "", False, [])
    if more:
        # Closed, the rest still travel with the form (and stay in the URL); open when one of them is in use.
        parts.append(f'<details class="more-filters"{" open" if more_in_use else ""}><summary>'
                     f'{escape(_("More filters"))}</summary>{"".join(more)}</details>')
    return mark_safe("".join(parts))  # every value is escaped above


def _attributes(attrs: dict) -> str:
    return "".join(f' {escape(name)}="{escape(str(value))}"' for name, value in attrs.items() if value is not None)

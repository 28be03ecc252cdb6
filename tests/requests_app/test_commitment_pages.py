"""The charter's commitments in plain words, editing by team leads, breach reviews, the bell and the badge."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from catalogue.models import Channel
from requests_app.commitments import timers
from requests_app.intake import services as intake
from requests_app.models import BreachReview, ClockKind, Commitment, CommitmentState, Notification
from tests.factories import CommitmentFactory, ServiceRequestFactory


@pytest.fixture
def first_reply(team):
    return CommitmentFactory(
        team=team, kind=ClockKind.FIRST_REPLY, target_minutes=24 * 60, hours="working", warn_percent=None,
        warn_minutes_before=6 * 60, notify_on_breach=["team_lead"], escalate_after_minutes=8 * 60,
    )


def test_the_charter_page_says_the_commitments_in_plain_words(client, member, team, first_reply):
    client.force_login(member)
    page = client.get(reverse("commitments:team", args=[team.slug]))
    assert page.status_code == 200
    text = " ".join(page.content.decode().split())
    assert (
        "First reply within 24 working hours; warning 6 working hours before, to the assignee; "
        "a breach is told to the team lead, then to the unit manager after 8 working hours; "
        "waiting for the customer pauses the clock." in text
    )
    assert "Add a commitment" not in text  # members read; leads change


def test_a_lead_adds_a_commitment_for_one_service(client, lead, team, service):
    client.force_login(lead)
    response = client.post(reverse("commitments:new", args=[team.slug]), {
        "scope": str(service.pk), "kind": "resolution", "target_hours": "40", "hours": "working",
        "warning": "percent", "warn_percent": "80", "notify_on_warning": ["assignee"],
        "notify_on_breach": ["assignee", "team_lead"], "escalate_after_hours": "", "pauses_when_waiting": "on",
    })
    assert response.status_code == 302
    commitment = Commitment.objects.get()
    assert (commitment.service, commitment.team, commitment.target_minutes, commitment.warn_percent) == (
        service, None, 2400, 80)
    page = client.get(reverse("commitments:team", args=[team.slug]))
    assert "Salary payment:" in page.content.decode()


def test_bad_commitment_input_is_refused_with_a_clear_message_and_changes_nothing(client, lead, team, first_reply):
    client.force_login(lead)
    url = reverse("commitments:edit", args=[team.slug, first_reply.pk])
    response = client.post(url, {
        "scope": "team", "kind": "first_reply", "target_hours": "4", "hours": "calendar",
        "warning": "before", "warn_hours_before": "5", "notify_on_breach": ["team_lead"],
    })
    assert response.status_code == 409
    assert "The warning must come after the clock starts and before the deadline." in response.content.decode()
    response = client.post(url, {"scope": "team", "kind": "first_reply", "target_hours": "4", "hours": "calendar",
                                 "warning": "percent", "warn_percent": ""})
    assert response.status_code == 400
    assert "Say at what share of the time to warn." in response.content.decode()
    first_reply.refresh_from_db()
    assert first_reply.target_minutes == 24 * 60


def test_a_second_commitment_on_the_same_clock_is_refused(client, lead, team, first_reply):
    client.force_login(lead)
    response = client.post(reverse("commitments:new", args=[team.slug]), {
        "scope": "team", "kind": "first_reply", "target_hours": "2", "hours": "calendar", "warning": "none",
    })
    assert response.status_code == 409
    assert "already a commitment on this clock" in response.content.decode()
    assert Commitment.objects.count() == 1


def test_only_a_lead_may_change_commitments(client, member, other_member, team, first_reply):
    for person in (member, other_member):
        client.force_login(person)
        assert client.get(reverse("commitments:new", args=[team.slug])).status_code == 403
        assert client.post(reverse("commitments:delete", args=[team.slug, first_reply.pk])).status_code == 403
    assert Commitment.objects.filter(pk=first_reply.pk).exists()


@pytest.fixture
def breached(member, service, team, first_reply):
    logged = timezone.now() - dt.timedelta(days=10)
    req = intake.log_request(by=member, service_id=service.pk, channel=Channel.PHONE, subject="Payslip",
                               new_customer={"name": "Aino"}, now=logged)
    timers.sweep(now=timezone.now())
    return req


def test_team_members_review_a_breach_and_everyone_sees_the_list(client, member, outsider, team, breached):
    client.force_login(member)
    breaches = reverse("commitments:breaches", args=[team.slug])
    assert "Not reviewed yet" in client.get(breaches).content.decode()
    review_url = reverse("commitments:review", args=[team.slug, breached.reference])
    response = client.post(review_url, {"what_happened": "Nobody watched the queue on Friday.",
                                        "what_we_change": "A rota for Friday afternoons."})
    assert response.status_code == 302
    client.post(review_url, {"what_happened": "Nobody watched the queue on Friday.",
                             "what_we_change": "A rota for Friday afternoons, posted in the charter."})
    assert BreachReview.objects.get().what_we_change.endswith("posted in the charter.")
    client.force_login(outsider)
    page = client.get(breaches)
    assert "A rota for Friday afternoons" in page.content.decode()
    assert client.post(review_url, {"what_happened": "x", "what_we_change": "y"}).status_code == 403
    assert client.get(breaches, {"reviewed": "false"}, headers={"HX-Request": "true"}).content.decode().count(
        breached.reference) == 0


def test_a_review_needs_both_answers(client, member, team, breached):
    client.force_login(member)
    response = client.post(reverse("commitments:review", args=[team.slug, breached.reference]),
                           {"what_happened": "Sick leave.", "what_we_change": ""})
    assert response.status_code == 400
    assert not BreachReview.objects.exists()


def test_the_bell_counts_unread_notifications_and_marking_read_updates_it(client, lead, team, breached):
    client.force_login(lead)
    bell = reverse("commitments:bell")
    # The breach, and (with no unit manager set) its escalation, both reach the lead.
    assert "Notifications: 2 unread" in client.get(bell).content.decode()
    notification = Notification.objects.filter(recipient=lead).first()
    response = client.post(reverse("commitments:read", args=[notification.pk]), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Trigger"] == "notificationsChanged"
    assert "Notifications: 1 unread" in client.get(bell).content.decode()
    page = client.get(reverse("commitments:notifications"), {"unread": "true"})
    assert notification.title not in page.content.decode()


def test_nobody_marks_another_persons_notifications(client, member, lead, breached):
    client.force_login(member)
    notification = Notification.objects.filter(recipient=lead).first()
    assert client.post(reverse("commitments:read", args=[notification.pk])).status_code == 404
    client.post(reverse("commitments:read_all"))
    notification.refresh_from_db()
    assert notification.read_at is None


def test_the_badge_says_the_state_and_the_time_left_in_words(db):
    now = timezone.now()
    render = Template("{% load commitments %}{% commitment_badge req now %}")
    on_track = ServiceRequestFactory.build(commitment_state=CommitmentState.ON_TRACK,
                                           next_deadline_at=now + dt.timedelta(hours=3, minutes=20))
    breached = ServiceRequestFactory.build(commitment_state=CommitmentState.BREACHED,
                                           next_deadline_at=now - dt.timedelta(days=2, hours=1))
    assert "On track</span> <time" in render.render(Context({"req": on_track, "now": now}))
    assert "3 hours 20 minutes left" in render.render(Context({"req": on_track, "now": now}))
    assert "2 days 1 hour overdue" in render.render(Context({"req": breached, "now": now}))


def test_a_deadline_passed_before_the_sweep_saw_it_already_reads_as_breached(db):
    now = timezone.now()
    render = Template("{% load commitments %}{% commitment_badge req now %}")
    unswept = ServiceRequestFactory.build(commitment_state=CommitmentState.WARNING,
                                          next_deadline_at=now - dt.timedelta(minutes=5))

    html = render.render(Context({"req": unswept, "now": now}))

    assert "Breached</span>" in html and "5 minutes overdue" in html and "Warning" not in html


def test_the_request_page_lists_each_clock_with_its_state(breached):
    html = Template("{% load commitments %}{% request_clocks clocks %}").render(
        Context({"clocks": breached.clocks.order_by("started_at")}))
    text = " ".join(html.split())
    assert "First reply" in text and "Breached" in text and "overdue" in text


def test_a_request_that_missed_two_clocks_is_reviewed_once_on_one_page(client, member, team, service, first_reply):
    CommitmentFactory(team=team, kind=ClockKind.RESOLUTION, target_minutes=60, hours="calendar", warn_percent=None)
    logged = timezone.now() - dt.timedelta(days=10)
    req = intake.log_request(by=member, service_id=service.pk, channel=Channel.PHONE, subject="Payslip",
                             new_customer={"name": "Aino"}, now=logged)
    timers.sweep(now=timezone.now())
    assert req.timer_outcomes.filter(kind="breach").count() == 2
    client.force_login(member)
    review_url = reverse("commitments:review", args=[team.slug, req.reference])
    assert client.get(review_url).status_code == 200
    assert client.post(review_url, {"what_happened": "Both clocks ran out over the holiday.",
                                    "what_we_change": "A holiday rota."}).status_code == 302
    assert BreachReview.objects.filter(request=req).count() == 1

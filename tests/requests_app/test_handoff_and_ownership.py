"""Releasing, assigning and handing off: no request is dropped, every move is visible."""

import threading

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from requests_app.intake import services as intake
from requests_app.models import ClockKind, Event, Handoff, Notification, RequestClock, ServiceRequest, Status
from requests_app.requests import services
from servicedesk.errors import InvalidState, NotAllowed
from tests.factories import (
    CommitmentFactory,
    MembershipFactory,
    ServiceFactory,
    ServiceRequestFactory,
    TeamFactory,
    UserFactory,
)


@pytest.fixture
def req(service, outsider):
    return intake.log_request(by=outsider, service_id=service.pk, channel="phone", subject="Laptop and salary",
                                new_customer={"name": "Aino"})


@pytest.fixture
def it_service(db):
    it_team = TeamFactory(name="Workstations team")
    MembershipFactory(team=it_team)
    return ServiceFactory(owning_team=it_team, name_en="Laptop")


def kinds(req):
    return list(req.timeline.values_list("kind", flat=True))


@pytest.mark.django_db
def test_the_assignee_releases_a_request_back_to_the_team(req, member):
    services.claim(request_id=req.pk, by=member)
    services.unclaim(request_id=req.pk, by=member)
    req.refresh_from_db()
    assert req.assignee is None
    assert kinds(req)[-1] == Event.UNCLAIMED


@pytest.mark.django_db
def test_only_the_assignee_or_a_lead_can_release(req, member, lead, team):
    colleague = MembershipFactory(team=team).user
    services.claim(request_id=req.pk, by=member)
    with pytest.raises(NotAllowed):
        services.unclaim(request_id=req.pk, by=colleague)
    services.unclaim(request_id=req.pk, by=lead)
    with pytest.raises(InvalidState, match="not claimed"):
        services.unclaim(request_id=req.pk, by=lead)


@pytest.mark.django_db
def test_a_lead_assigns_to_a_member_but_never_to_an_outsider(req, lead, member, other_member):
    services.assign(request_id=req.pk, by=lead, to_user_id=member.pk)
    req.refresh_from_db()
    assert (req.assignee, req.status) == (member, Status.OPEN)
    assert kinds(req)[-1] == Event.ASSIGNED

    with pytest.raises(InvalidState, match="only to its members"):
        services.assign(request_id=req.pk, by=lead, to_user_id=other_member.pk)
    req.refresh_from_db()
    assert req.assignee == member


@pytest.mark.django_db
def test_a_member_who_is_not_lead_cannot_assign(req, member, team):
    with pytest.raises(NotAllowed):
        services.assign(request_id=req.pk, by=member, to_user_id=MembershipFactory(team=team).user.pk)


@pytest.mark.django_db
def test_a_hand_off_moves_the_request_with_its_note_and_tells_the_intake_owner(req, member, it_service, team):
    services.claim(request_id=req.pk, by=member)

    handoff = services.hand_off(request_id=req.pk, by=member, to_service_id=it_service.pk,
                                note="The laptop is broken; salary is fine.")

    req.refresh_from_db()
    assert (req.service, req.team, req.assignee, req.status) == (it_service, it_service.owning_team, None, Status.NEW)
    assert req.handoff_count == 1
    assert (handoff.from_team, handoff.to_team, handoff.by) == (team, it_service.owning_team, member)
    event = req.timeline.last()
    assert (event.kind, event.text) == (Event.HANDED_OFF, "The laptop is broken; salary is fine.")
    assert event.data["from_team"] == team.slug and event.data["to_team"] == it_service.owning_team.slug
    [told] = Notification.objects.filter(recipient=req.intake_owner)
    assert it_service.owning_team.name in told.title


@pytest.mark.django_db
def test_the_customers_clock_does_not_restart_on_a_hand_off(req, member, team, it_service):
    CommitmentFactory(team=team, kind=ClockKind.FIRST_REPLY, target_minutes=240, hours="calendar")
    req = intake.log_request(by=member, service_id=req.service_id, channel="desk", subject="Clocked",
                               new_customer={"name": "B"}, now=timezone.now() - timezone.timedelta(hours=3))
    before = list(RequestClock.objects.filter(request=req).values_list("pk", "deadline_at"))

    services.hand_off(request_id=req.pk, by=member, to_service_id=it_service.pk, note="Not payroll")

    assert list(RequestClock.objects.filter(request=req).values_list("pk", "deadline_at")) == before
    req.refresh_from_db()
    assert req.next_deadline_at == before[0][1]


@pytest.mark.django_db
@pytest.mark.parametrize("case", ["no note", "retired", "ownerless", "same service", "unknown"])
def test_a_bad_hand_off_is_refused_and_changes_nothing(req, member, service, team, case):
    target = {
        "retired": lambda: ServiceFactory(owning_team=TeamFactory(), retired_at=timezone.now()).pk,
        "ownerless": lambda: ServiceFactory(owning_team=None).pk,
        "same service": lambda: service.pk,
        "unknown": lambda: 999_999,
        "no note": lambda: ServiceFactory(owning_team=TeamFactory()).pk,
    }[case]()
    note = "" if case == "no note" else "Why"

    with pytest.raises(InvalidState):
        services.hand_off(request_id=req.pk, by=member, to_service_id=target, note=note)

    req.refresh_from_db()
    assert (req.team, req.service, req.handoff_count) == (team, service, 0)
    assert not Handoff.objects.exists()


@pytest.mark.django_db
def test_only_the_owning_team_hands_off(req, other_member, it_service):
    with pytest.raises(NotAllowed):
        services.hand_off(request_id=req.pk, by=other_member, to_service_id=it_service.pk, note="Not ours")


@pytest.mark.django_db
def test_the_receiving_team_reads_the_note_on_top_and_sees_every_move(client, req, member, it_service):
    services.hand_off(request_id=req.pk, by=member, to_service_id=it_service.pk, note="Broken laptop, not pay.")
    receiver = it_service.owning_team.memberships.first().user
    client.force_login(receiver)

    page = client.get(reverse("requests:detail", args=[req.reference])).content.decode()

    assert page.index("Broken laptop, not pay.") < page.index('id="customer-heading"')
    assert "Moved 1 time" in page and "Payroll team" in page


@pytest.mark.django_db
def test_hand_off_from_the_page_without_a_note_is_a_400(client, req, member, it_service):
    client.force_login(member)
    response = client.post(reverse("requests:hand_off", args=[req.reference]),
                           {"service": it_service.pk, "handoff_form-note": ""})
    assert response.status_code == 400
    assert "Say why the request moves" in response.content.decode()
    assert ServiceRequest.objects.get(pk=req.pk).team_id != it_service.owning_team_id


@pytest.mark.django_db
def test_hand_off_from_the_page_moves_it_and_the_sender_lands_on_the_queue(client, req, member, it_service):
    client.force_login(member)
    response = client.post(reverse("requests:hand_off", args=[req.reference]),
                           {"service": it_service.pk, "handoff_form-note": "Laptop"})
    assert response.status_code == 302 and response["Location"] == reverse("requests:queue")
    assert ServiceRequest.objects.get(pk=req.pk).team_id == it_service.owning_team_id


@pytest.mark.django_db
def test_assigning_from_the_page_to_a_non_member_is_refused(client, req, lead, other_member):
    client.force_login(lead)
    response = client.post(reverse("requests:assign", args=[req.reference]), {"assign_form-person": other_member.pk})
    assert response.status_code == 409
    assert "only to its members" in response.content.decode()


@pytest.mark.django_db
def test_waiting_and_resuming_from_the_page(client, req, member):
    services.claim(request_id=req.pk, by=member)
    client.force_login(member)
    client.post(reverse("requests:wait", args=[req.reference]))
    assert ServiceRequest.objects.get(pk=req.pk).status == Status.WAITING
    client.post(reverse("requests:resume", args=[req.reference]))
    assert ServiceRequest.objects.get(pk=req.pk).status == Status.OPEN
    second = client.post(reverse("requests:resume", args=[req.reference]))
    assert second.status_code == 409


@pytest.mark.django_db(transaction=True)
def test_twenty_people_claiming_at_once_one_wins_and_everyone_else_is_told_who(needs_postgres, service, team):
    req = ServiceRequestFactory(service=service)
    people = [MembershipFactory(team=team, user=UserFactory()).user for _ in range(20)]
    barrier = threading.Barrier(len(people))
    answers = {}

    def click_claim(person):
        client = Client()
        client.force_login(person)
        barrier.wait()
        try:
            response = client.post(reverse("requests:claim", args=[req.reference]), headers={"HX-Request": "true"})
            answers[person.pk] = (response.status_code, response.content.decode())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click_claim, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    req.refresh_from_db()
    statuses = sorted(code for code, _html in answers.values())
    assert statuses == [200] + [409] * 19
    assert all(f"Already claimed by {req.assignee}" in html for code, html in answers.values() if code == 409)
    assert req.assignee_id in answers and answers[req.assignee_id][0] == 200
    assert req.timeline.filter(kind=Event.CLAIMED).count() == 1

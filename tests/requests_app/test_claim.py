"""Claiming: one person takes a request; everyone else is told who did."""

import threading

import pytest
from django.db import connection, connections
from django.urls import reverse

from requests_app.intake import services as intake
from requests_app.models import Event, ServiceRequest, Status
from requests_app.requests import services
from servicedesk.errors import AlreadyClaimed, InvalidState, NotAllowed
from tests.factories import MembershipFactory, ServiceRequestFactory


@pytest.fixture
def req(service):
    return ServiceRequestFactory(service=service)


@pytest.mark.django_db
def test_claiming_assigns_opens_and_records_it(req, member):
    services.claim(request_id=req.pk, by=member)

    req.refresh_from_db()
    assert (req.assignee, req.status) == (member, Status.OPEN)
    assert list(req.timeline.values_list("kind", "actor")) == [(Event.CLAIMED, member.pk)]


@pytest.mark.django_db
def test_a_claimed_request_tells_the_next_person_who_has_it(req, member, team):
    colleague = MembershipFactory(team=team).user
    services.claim(request_id=req.pk, by=member)

    with pytest.raises(AlreadyClaimed) as refused:
        services.claim(request_id=req.pk, by=colleague)

    assert refused.value.holder == member
    assert str(member) in refused.value.message
    req.refresh_from_db()
    assert req.assignee == member
    assert req.timeline.count() == 1


@pytest.mark.django_db
def test_someone_outside_the_team_cannot_claim(req, other_member, outsider):
    for person in (other_member, outsider):
        with pytest.raises(NotAllowed):
            services.claim(request_id=req.pk, by=person)
    req.refresh_from_db()
    assert req.assignee is None and not req.timeline.exists()


@pytest.mark.django_db
def test_the_intake_owner_outside_the_team_can_follow_but_not_claim(client, service, outsider):
    req = intake.log_request(by=outsider, service_id=service.pk, channel="desk", subject="Help",
                               new_customer={"name": "A"})
    client.force_login(outsider)

    page = client.get(reverse("requests:detail", args=[req.reference]))
    refused = client.post(reverse("requests:claim", args=[req.reference]))

    assert page.status_code == 200 and b">Claim<" not in page.content
    assert refused.status_code == 302  # back to the request page with the refusal as a message
    req.refresh_from_db()
    assert req.assignee is None


@pytest.mark.django_db
def test_a_resolved_request_cannot_be_claimed(req, member):
    req.status = Status.RESOLVED
    req.save()
    with pytest.raises(InvalidState):
        services.claim(request_id=req.pk, by=member)


@pytest.mark.django_db
def test_claiming_from_the_queue_swaps_only_the_row(client, req, member):
    client.force_login(member)

    response = client.post(reverse("requests:claim", args=[req.reference]), headers={"HX-Request": "true"})

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr id="row-{req.reference}"')
    assert str(member) in html


@pytest.mark.django_db
def test_claiming_from_the_queue_an_already_claimed_request_says_who_has_it(client, req, member, team):
    colleague = MembershipFactory(team=team).user
    services.claim(request_id=req.pk, by=colleague)
    client.force_login(member)

    response = client.post(reverse("requests:claim", args=[req.reference]), headers={"HX-Request": "true"})

    assert response.status_code == 409
    assert f"Already claimed by {colleague}" in response.content.decode()


@pytest.mark.django_db
def test_claiming_a_request_of_another_team_from_the_queue_is_refused(client, req, other_member):
    client.force_login(other_member)
    response = client.post(reverse("requests:claim", args=[req.reference]), headers={"HX-Request": "true"})
    assert response.status_code == 404  # not their team's work: they cannot even see it
    req.refresh_from_db()
    assert req.assignee is None


@pytest.mark.django_db(transaction=True)
def test_two_connections_claiming_at_the_same_moment_exactly_one_wins(needs_postgres, service, team):
    req = ServiceRequestFactory(service=service)
    people = [MembershipFactory(team=team).user for _ in range(2)]
    # Both transactions hold the row lock request in flight before either commits.
    barrier = threading.Barrier(len(people))
    outcomes = {}

    def claim_as(person):
        try:
            barrier.wait()
            services.claim(request_id=req.pk, by=person)
            outcomes[person.pk] = "won"
        except AlreadyClaimed as refused:
            outcomes[person.pk] = refused.holder
        finally:
            connections.close_all()

    threads = [threading.Thread(target=claim_as, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    winners = [pk for pk, outcome in outcomes.items() if outcome == "won"]
    assert len(winners) == 1
    [loser_saw] = [outcome for outcome in outcomes.values() if outcome != "won"]
    assert loser_saw.pk == winners[0]
    req.refresh_from_db()
    assert req.assignee_id == winners[0]
    assert req.timeline.filter(kind=Event.CLAIMED).count() == 1
    assert connection.vendor == "postgresql"
    assert ServiceRequest.objects.filter(assignee__isnull=False).count() == 1

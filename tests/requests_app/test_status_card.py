"""A reference the person may not open shows where the request stands, and nothing of the customer; a clerk in
no team starts on taking a request in."""

import pytest
from django.urls import reverse

from requests_app.intake import services as intake
from tests.factories import CustomerFactory, ServiceRequestFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def req(service):
    return ServiceRequestFactory(service=service, subject="Overtime for October missing",
                                 description="My account is FI99 1234",
                                 customer=CustomerFactory(name="Aino Virtanen", email="aino@example.org"))


@pytest.mark.parametrize("who", ["other_member", "outsider", "front_desk"])
def test_another_teams_reference_shows_its_status_card_without_the_customer_or_the_question(client, request, req, who):
    client.force_login(request.getfixturevalue(who))

    response = client.get(reverse("requests:detail", args=[req.reference]))

    assert response.status_code == 200
    page = response.content.decode()
    assert req.reference in page and req.team.name in page and req.service.name in page
    assert req.get_status_display() in page
    for private in ("Overtime", "FI99", "Aino", "aino@example.org"):
        assert private not in page
    assert "Where this request stands" in page


def test_the_owning_team_still_gets_the_whole_request(client, member, req):
    client.force_login(member)
    page = client.get(reverse("requests:detail", args=[req.reference])).content.decode()
    assert "Overtime for October missing" in page and "Where this request stands" not in page


def test_an_unknown_reference_is_not_found_and_nobody_signed_out_sees_a_card(client, outsider, req):
    client.force_login(outsider)
    assert client.get(reverse("requests:detail", args=["SD-2026-999999"])).status_code == 404
    client.logout()
    response = client.get(reverse("requests:detail", args=[req.reference]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_clerk_in_no_team_starts_on_a_new_request_and_a_member_on_the_queue(client, outsider, member):
    client.force_login(outsider)
    assert client.get(reverse("home"))["Location"] == reverse("requests:new")
    client.force_login(member)
    assert client.get(reverse("home"))["Location"] == reverse("requests:queue")


def test_the_new_request_page_shows_the_clerks_latest_intakes_beside_the_form(client, outsider, service):
    taken = [intake.log_request(by=outsider, service_id=service.pk, channel="phone", subject=f"Question {n}",
                                new_customer={"name": "Aino"}) for n in range(6)]
    client.force_login(outsider)
    page = client.get(reverse("requests:new")).content.decode()
    assert "Your latest intakes" in page and f'href="{reverse("requests:my_intakes")}"' in page
    assert all(req.reference in page for req in taken[1:])
    assert taken[0].reference not in page  # the latest five
    client.force_login(UserFactory())
    assert "Your latest intakes" not in client.get(reverse("requests:new")).content.decode()

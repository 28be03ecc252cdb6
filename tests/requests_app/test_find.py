"""The search box on every page finds a reference, a customer this person may see, or a service."""

import pytest
from django.urls import reverse

from tests.factories import CustomerFactory, ServiceRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def aino_request(service):
    return ServiceRequestFactory(service=service, customer=CustomerFactory(name="Aino Virtanen"))


def find(client, query):
    return client.get(reverse("requests:find"), {"q": query})


def test_every_signed_in_page_carries_the_search_box(client, member):
    client.force_login(member)
    for name in ("requests:queue", "requests:new", "requests:my_intakes"):
        assert f'action="{reverse("requests:find")}"' in client.get(reverse(name)).content.decode()


def test_a_reference_typed_in_any_case_goes_to_its_request(client, outsider, aino_request):
    client.force_login(outsider)
    response = find(client, f"  {aino_request.reference.lower()} ")
    assert response.status_code == 302
    assert response["Location"] == reverse("requests:detail", args=[aino_request.reference])


def test_an_unknown_reference_says_so(client, member):
    client.force_login(member)
    response = find(client, "SD-2026-999999")
    assert response.status_code == 200 and "No request has the reference SD-2026-999999" in response.content.decode()


def test_a_name_finds_the_customers_the_person_may_see_and_no_others(client, member, other_member, front_desk,
                                                                    aino_request):
    for person, sees in ((member, True), (front_desk, True), (other_member, False)):
        client.force_login(person)
        page = find(client, "Aino Virt").content.decode()
        assert ("Aino Virtanen" in page) is sees, person


def test_words_find_services_and_too_short_a_name_is_explained(client, outsider, service):
    client.force_login(outsider)
    page = find(client, service.name_en.split()[0]).content.decode()
    assert reverse("catalogue:service", args=[service.code]) in page
    assert "at least three letters" in find(client, "ab").content.decode()


def test_signed_out_people_are_sent_to_sign_in(client):
    response = find(client, "Aino")
    assert response.status_code == 302 and "login" in response["Location"]

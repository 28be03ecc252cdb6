"""The new request form finds a returning customer as the clerk types, among those the clerk may see, and
logs the request for that record instead of making another."""

import pytest
from django.urls import reverse

from requests_app.models import AuditEntry, Customer, ServiceRequest
from tests.factories import CustomerFactory, ServiceRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def aino(service):
    customer = CustomerFactory(name="Aino Virtanen", email="aino@example.org", phone="+358 40 765 4321",
                               language="sv")
    ServiceRequestFactory(service=service, customer=customer)
    return customer


def form(service, **overrides):
    return {"service": service.pk, "channel": "phone", "subject": "Salary missing again", "description": "",
            "customer_name": "", "customer_kind": "person", "customer_language": "fi"} | overrides


def test_the_front_desk_finds_a_returning_customer_by_name_email_or_phone(client, front_desk, aino):
    client.force_login(front_desk)
    for typed in ("Aino Virt", "aino@example.org", "040 765 4321"):
        page = client.get(reverse("requests:intake_customers"), {"customer_q": typed}).content.decode()
        assert f'value="{aino.pk}"' in page and "Aino Virtanen" in page, typed
    assert AuditEntry.objects.filter(kind=AuditEntry.Kind.READ_CUSTOMER, customer_id=aino.pk, via="intake").exists()


def test_a_clerk_finds_only_the_customers_they_may_see_and_one_letter_finds_nobody(client, outsider, front_desk,
                                                                                  aino):
    client.force_login(outsider)
    page = client.get(reverse("requests:intake_customers"), {"customer_q": "Aino Virt"}).content.decode()
    assert "Aino Virtanen" not in page and "No returning customer you may see matches" in page
    client.force_login(front_desk)
    page = client.get(reverse("requests:intake_customers"), {"customer_q": "A"}).content.decode()
    assert "Aino Virtanen" not in page and "at least three letters" in page


def test_a_request_for_a_returning_customer_joins_their_record(client, front_desk, service, aino):
    client.force_login(front_desk)
    customers = Customer.objects.count()

    response = client.post(reverse("requests:new"), form(service, customer=aino.pk))

    assert response.status_code == 302
    req = ServiceRequest.objects.get(subject="Salary missing again")
    assert req.customer == aino and req.reply_to == "aino@example.org"
    assert Customer.objects.count() == customers
    assert aino.requests.count() == 2


def test_a_customer_the_clerk_may_not_see_cannot_be_picked_and_nothing_is_logged(client, outsider, service, aino):
    client.force_login(outsider)
    response = client.post(reverse("requests:new"), form(service, customer=aino.pk))
    assert response.status_code == 400 and "not one you can pick" in response.content.decode()
    assert not ServiceRequest.objects.filter(subject="Salary missing again").exists()


def test_neither_a_returning_nor_a_new_customer_is_a_clear_error(client, front_desk, service):
    client.force_login(front_desk)
    response = client.post(reverse("requests:new"), form(service))
    assert response.status_code == 400 and "Pick the returning customer, or give a new" in response.content.decode()
    assert not ServiceRequest.objects.exists()


def test_without_script_the_search_comes_back_as_the_page_with_the_matches(client, front_desk, aino):
    client.force_login(front_desk)
    page = client.get(reverse("requests:new"), {"customer_q": "Aino"}).content.decode()
    assert f'name="customer" value="{aino.pk}"' in page

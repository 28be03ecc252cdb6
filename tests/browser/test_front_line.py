"""The front line at the counter: a returning customer found and served, another team's reference looked up."""

import re

import pytest
from playwright.sync_api import expect

from requests_app.models import ServiceRequest
from tests.browser.conftest import log_in
from tests.factories import CustomerFactory, ServiceFactory, ServiceRequestFactory, TeamFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_clerk_serves_a_returning_customer_then_looks_up_another_teams_reference(new_page, front_desk):
    payroll, it = TeamFactory(name="Payroll team"), TeamFactory(name="IT support")
    salary = ServiceFactory(owning_team=payroll, name_en="Salary payment", keywords="salary, pay")
    laptop = ServiceFactory(owning_team=it, name_en="Laptop repair", keywords="laptop, computer")
    aino = CustomerFactory(name="Aino Virtanen", email="aino@example.org", phone="+358 40 765 4321")
    ServiceRequestFactory(service=salary, customer=aino, subject="Overtime missing")
    elsewhere = ServiceRequestFactory(service=laptop, subject="Screen cracked on the train",
                                      customer=CustomerFactory(name="Pekka Korhonen"))

    page = new_page()
    log_in(page, front_desk)
    expect(page).to_have_url(re.compile(r"/requests/new/$"))  # a clerk in no team starts here
    page.get_by_label("Find a returning customer").fill("040 7654321")
    page.get_by_role("radio", name=re.compile("Aino Virtanen")).check()
    page.get_by_role("searchbox", name="Service", exact=True).fill("salary")
    page.get_by_role("radio", name=re.compile("Salary payment")).check()
    page.get_by_label("Subject").fill("Holiday pay missing")
    page.get_by_role("button", name="I'll handle this and pass it on").click()

    reference = page.get_by_test_id("reference").inner_text().strip()
    assert ServiceRequest.objects.get(reference=reference).customer == aino

    page.get_by_role("searchbox", name="Find a reference, a customer or a service").fill(elsewhere.reference.lower())
    page.get_by_role("searchbox", name="Find a reference, a customer or a service").press("Enter")
    expect(page.get_by_role("heading", name="Where this request stands")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("IT support")
    expect(page.get_by_role("main")).not_to_contain_text("Screen cracked")
    expect(page.get_by_role("main")).not_to_contain_text("Pekka")

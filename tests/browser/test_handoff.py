import re

import pytest
from playwright.sync_api import expect

from requests_app.intake import services as intake
from tests.browser.conftest import log_in
from tests.factories import MembershipFactory, ServiceFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_claimed_request_handed_off_reaches_the_other_team_with_the_note_on_top(new_page):
    payroll = TeamFactory(name="Payroll team")
    workstations = TeamFactory(name="Workstations team")
    salary = ServiceFactory(owning_team=payroll, name_en="Salary payment", keywords="salary")
    ServiceFactory(owning_team=workstations, name_en="Laptop repair", name_fi="Kannettavan korjaus", keywords="laptop")
    sender = MembershipFactory(team=payroll, user=UserFactory(username="sender")).user
    receiver = MembershipFactory(team=workstations, user=UserFactory(username="receiver")).user
    req = intake.log_request(by=UserFactory(), service_id=salary.pk, channel="phone",
                               subject="Cannot open my payslip", new_customer={"name": "Aino Virtanen"})

    page = new_page()
    log_in(page, sender)
    page.goto("/queue/")
    page.get_by_role("button", name=f"Claim {req.reference}").click()
    expect(page.locator(f"#row-{req.reference}")).to_contain_text(str(sender))
    page.get_by_role("link", name=req.reference).click()
    page.get_by_label("Find the service").fill("laptop")
    page.get_by_role("radio", name=re.compile("Laptop repair")).check()
    page.get_by_label("Why (the receiving team reads this first)").fill("The payslip opens; the laptop's PDF reader is broken.")
    page.get_by_role("button", name="Hand off").click()
    expect(page.get_by_role("status")).to_contain_text("Request handed off with your note.")

    other = new_page()
    log_in(other, receiver)
    other.goto("/queue/")
    other.get_by_role("link", name=req.reference).click()
    note = other.locator("aside.handoff-note")
    expect(note).to_contain_text("Handed over by Payroll team")
    expect(note).to_contain_text("the laptop's PDF reader is broken")
    expect(other.get_by_role("heading", name="Moved 1 time")).to_be_visible()

import re

import pytest
from playwright.sync_api import expect

from requests_app.models import ServiceRequest, Status
from tests.browser.conftest import log_in
from tests.factories import MembershipFactory, ServiceFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_request_walks_from_intake_to_resolution_and_the_intake_owner_sees_it_resolved(new_page):
    payroll = TeamFactory(name="Payroll team")
    ServiceFactory(owning_team=payroll, name_en="Salary payment", name_fi="Palkanmaksu", keywords="salary, pay",
                   promise_en="We answer within one working day.")
    receptionist = UserFactory(username="reception")
    handler = MembershipFactory(team=payroll, user=UserFactory(username="handler")).user

    intake = new_page()
    log_in(intake, receptionist)
    intake.get_by_role("link", name="New request").click()
    intake.get_by_label("Service", exact=True).fill("salary")
    intake.get_by_role("radio", name=re.compile("Salary payment")).check()
    intake.get_by_label("Subject").fill("Overtime missing from November salary")
    intake.get_by_label("Customer name").fill("Aino Virtanen")
    intake.get_by_label("E-mail").fill("aino@example.org")
    intake.get_by_role("button", name="I'll handle this and pass it on").click()

    reference = intake.get_by_test_id("reference").inner_text().strip()
    assert re.fullmatch(r"SD-\d{4}-\d{6}", reference)
    expect(intake.get_by_test_id("promise")).to_have_text("We answer within one working day.")

    team_page = new_page()
    log_in(team_page, handler)
    team_page.goto("/queue/")
    row = team_page.locator(f"#row-{reference}")
    row.get_by_role("button", name=f"Claim {reference}").click()
    expect(team_page.locator(f"#row-{reference}")).to_contain_text(str(handler))
    assert team_page.url.endswith("/queue/"), "claiming must not reload the page"

    team_page.get_by_role("link", name=reference).click()
    team_page.get_by_label("Reply to the customer").fill("Thank you, we are checking your overtime hours.")
    team_page.get_by_role("button", name="Send reply").click()
    expect(team_page.get_by_role("status")).to_contain_text("Reply sent to the customer.")
    team_page.get_by_label("Resolution").fill("Overtime paid with the December salary.")
    team_page.get_by_role("button", name="Resolve").click()
    expect(team_page.get_by_role("status")).to_contain_text("Request resolved.")

    intake.get_by_role("link", name="My intakes").first.click()
    intake_row = intake.get_by_role("row", name=re.compile(reference))
    expect(intake_row).to_contain_text("Resolved")
    expect(intake_row).to_contain_text(str(handler))
    assert ServiceRequest.objects.get(reference=reference).status == Status.RESOLVED

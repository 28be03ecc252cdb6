import re

import pytest
from playwright.sync_api import expect

from requests_app.intake import services as intake
from tests.browser.conftest import log_in
from tests.factories import MembershipFactory, ServiceFactory, TeamFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_queue_shows_new_requests_by_itself_unless_switched_off_or_worked_in_by_keyboard(new_page, settings):
    settings.QUEUE_REFRESH_SECONDS = 1
    team = TeamFactory(name="Payroll team")
    salary = ServiceFactory(owning_team=team, name_en="Salary payment")
    member = MembershipFactory(team=team).user

    def log(subject):
        return intake.log_request(by=member, service_id=salary.pk, channel="phone", subject=subject,
                                    new_customer={"name": "Aino Virtanen"})

    def row(req):
        return page.locator(f"#row-{req.reference}")

    first = log("Payslip missing")
    page = new_page()
    log_in(page, member)
    page.goto(f"/queue/?team={team.slug}")
    expect(row(first)).to_be_visible()

    second = log("Salary late")
    expect(row(second)).to_be_visible(timeout=5_000)  # arrived without a reload

    switch = page.get_by_label(re.compile("Show new and changed requests as they come"))
    switch.uncheck()
    third = log("Holiday pay")
    page.wait_for_timeout(2_500)
    expect(row(third)).to_have_count(0)  # switched off: nothing moves

    switch.check()
    page.get_by_role("button", name=f"Claim {first.reference}").focus()
    page.wait_for_timeout(2_500)
    expect(row(third)).to_have_count(0)  # the keyboard is in the table: its focus is not swept away
    expect(page.get_by_role("button", name=f"Claim {first.reference}")).to_be_focused()

    page.get_by_label("Search").focus()
    expect(row(third)).to_be_visible(timeout=5_000)

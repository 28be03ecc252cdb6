"""Work from a phone: at 360 × 800 no page a person works in scrolls sideways."""

import pytest

from requests_app.dashboards import figures
from requests_app.intake import services as intake
from requests_app.requests import services
from tests.browser.conftest import log_in
from tests.factories import CommitmentFactory, MembershipFactory, ServiceFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 360, "height": 800}
# What sticks out, to say in the failure what to fix.
WIDEST = """Array.from(document.querySelectorAll("body *"))
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(-6)
  .map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className ? "." + e.className : ""))"""


def test_the_queue_the_request_the_new_request_form_and_the_dashboards_fit_a_phone(browser, live_server):
    payroll = TeamFactory(name="Payroll and travel expenses team")
    CommitmentFactory(team=payroll)
    service = ServiceFactory(owning_team=payroll, name_en="Reimbursement of travel expenses for trips abroad")
    member = MembershipFactory(team=payroll, user=UserFactory(username="maria.virtanen-lindqvist")).user
    reqs = [intake.log_request(by=member, service_id=service.pk, channel="phone",
                               subject=f"Travel claim from the conference in Gothenburg not paid yet ({n})",
                               new_customer={"name": "Aino Virtanen-Korhonen", "email": "aino.virtanen@example.org"})
            for n in range(3)]
    services.claim(request_id=reqs[0].pk, by=member)
    services.reply(request_id=reqs[0].pk, by=member, body="We are checking it. " * 20)
    figures.refresh_days(reqs[0].created_at.date(), reqs[0].created_at.date())

    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    try:
        log_in(page, member)
        wide = {}
        for path in ("/queue/", f"/requests/{reqs[0].reference}/", "/requests/new/", "/dashboards/"):
            page.goto(path)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                wide[path] = (width, page.evaluate(WIDEST))
        assert wide == {}, f"pages wider than the phone: {wide}"
    finally:
        context.close()

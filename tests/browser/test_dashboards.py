import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from requests_app.dashboards import figures
from requests_app.intake import services as intake
from tests.browser.conftest import log_in
from tests.factories import MembershipFactory, ServiceFactory, TeamFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_unit_dashboard_figure_leads_to_the_queue_with_its_requests(new_page):
    digital = UnitFactory(code="digital", name="Digital Services")
    support = UnitFactory(code="support", name="User Support", parent=digital)
    team = TeamFactory(slug="support-team", name="Support team")
    team.units.add(support)
    laptops = ServiceFactory(owning_team=team, name_en="Laptops")
    member = MembershipFactory(team=team, user=UserFactory(username="member")).user
    yesterday = timezone.now() - dt.timedelta(days=1)
    phoned = [intake.log_request(by=member, service_id=laptops.pk, channel="phone", subject=f"Screen {n}",
                                   new_customer={"name": "Aino"}, now=yesterday) for n in range(3)]
    intake.log_request(by=member, service_id=laptops.pk, channel="email", subject="Mail", new_customer={"name": "B"},
                         now=yesterday)
    figures.refresh_recent()
    viewer = UserFactory(username="viewer")  # in no team: dashboards are for everyone

    page = new_page()
    log_in(page, viewer)
    page.goto("/dashboards/")
    page.get_by_role("link", name="Digital Services").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Digital Services")
    channels = page.locator("#channels-table")
    expect(channels.get_by_role("row", name="Phone")).to_contain_text("3")
    channels.get_by_role("row", name="Phone").get_by_role("link").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Requests of every team")
    expect(page.get_by_role("note")).to_contain_text("Unit: Digital Services")
    rows = page.locator("#queue-table tbody tr")
    expect(rows).to_have_count(3)
    for req in phoned:
        expect(page.locator(f"#row-{req.reference}")).to_contain_text("another team")

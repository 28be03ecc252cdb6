"""Chromium: a member of staff signs in through the organisation's OpenID Connect provider (a real one, on
a loopback port) and lands in the team their groups name."""

import pytest

from teams.models import Membership
from tests.factories import TeamFactory
from tests.identity.provider import CALLBACK, point_the_desk_at, start_provider


@pytest.fixture
def provider(live_server, tmp_path, settings):
    process, base = start_provider(tmp_path, [f"{live_server.url}{CALLBACK}"])
    point_the_desk_at(settings, base)
    yield base
    process.terminate()
    process.wait(timeout=10)


def test_signing_in_through_the_organisations_provider_lands_in_the_right_team(new_page, provider, live_server,
                                                                              transactional_db):
    payroll = TeamFactory(slug="payroll", name="Payroll team")
    page = new_page()
    page.goto("/queue/")
    page.get_by_role("link", name="Sign in with the organisation's account").click()

    page.wait_for_url(f"{provider}/login/**")
    page.get_by_label("Username").fill("aino.virtanen")
    page.get_by_label("Password").fill("provider-pass-1")
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_url(f"{live_server.url}/queue/")
    assert page.get_by_role("heading", level=1).inner_text() == "Queue of all my teams"  # a team's queue, not none
    page.goto(f"/teams/{payroll.slug}/")
    assert "Aino Virtanen" in page.locator("main").inner_text()
    assert "Aino Virtanen" in page.locator(".whoami").inner_text()
    assert Membership.objects.get(team=payroll, user__username="aino.virtanen").role == Membership.Role.LEAD

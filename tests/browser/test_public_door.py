"""The public door in Chromium, in Swedish: a visitor finds a service, sends a request with a PDF and a photo,
follows it by its link and adds a message with a file; the team sees and downloads everything; nobody else
gets the files. And axe-core over every public page."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from requests_app.models import ClockKind, ServiceRequest
from tests.browser.conftest import log_in
from tests.factories import (
    CommitmentFactory,
    CustomerGroupFactory,
    MembershipFactory,
    ServiceAreaFactory,
    ServiceFactory,
    TeamFactory,
    UserFactory,
)
from tests.public import files

pytestmark = pytest.mark.django_db(transaction=True)
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def permits(db):
    team = TeamFactory(slug="permits", name="Tillståndsteamet")
    CommitmentFactory(team=team, kind=ClockKind.FIRST_REPLY, target_minutes=24 * 60)
    CommitmentFactory(team=team, kind=ClockKind.NEXT_REPLY, target_minutes=24 * 60)
    area = ServiceAreaFactory(code="permits", name_fi="Luvat", name_sv="Tillstånd och anmälningar",
                              name_en="Permits and notifications")
    service = ServiceFactory(
        code="building-permit", owning_team=team, area=area, public_web_form=True,
        name_fi="Rakennuslupa", name_sv="Bygglov", name_en="Building permit", keywords="bygga, talo, house",
        description_sv="Nästan allt byggande kräver bygglov eller annat myndighetsgodkännande.",
        promise_sv="Vi meddelar inom fem arbetsdagar om ansökan är fullständig.")
    service.customer_groups.add(CustomerGroupFactory(code="citizens", name_sv="Medborgare", name_en="Citizens"))
    return team, service


def visitor(browser, live_server, locale="sv-SE"):
    context = browser.new_context(base_url=live_server.url, locale=locale, accept_downloads=True)
    context.set_default_timeout(10_000)
    return context


def as_file(name, content, kind):
    return {"name": name, "mimeType": kind, "buffer": content}


def test_a_visitor_in_swedish_sends_a_request_with_files_and_follows_it_and_only_the_team_gets_the_files(
        browser, live_server, permits):
    team, service = permits
    member = MembershipFactory(team=team, user=UserFactory(username="handlaggare")).user
    stranger = MembershipFactory(team=TeamFactory(name="IT"), user=UserFactory(username="it-person")).user

    public = visitor(browser, live_server)
    page = public.new_page()
    page.goto("/public/")
    assert page.locator("html").get_attribute("lang") == "sv"
    page.get_by_label("Sök en tjänst").fill("bygglov")
    page.get_by_role("button", name="Visa tjänster").click()
    page.get_by_role("link", name="Bygglov").click()
    assert "Vi meddelar inom fem arbetsdagar" in page.content()

    page.get_by_label("Ditt namn").fill("Astrid Lindholm")
    page.get_by_label("E-post").fill("astrid@example.se")
    page.get_by_label("Vad gäller det (med några ord)").fill("Bygglov för ett uterum")
    page.get_by_label("Berätta mer").fill("Vi vill bygga ett uterum på 12 m².")
    page.get_by_label("Bilagor").set_input_files([
        as_file("ritning.pdf", files.pdf(), "application/pdf"), as_file("tomten.png", files.png(), "image/png")])
    page.get_by_role("button", name="Skicka", exact=True).click()

    page.wait_for_url(re.compile(r"/public/status/"))
    req = ServiceRequest.objects.get()
    assert f"Tack: ditt ärende har referensen {req.reference}" in page.content()
    assert "Vi meddelar inom fem arbetsdagar" in page.content()
    status_link = page.url

    # The link alone, in another browser, opens the request; the visitor adds a message with a file.
    later = visitor(browser, live_server).new_page()
    later.goto(status_link)
    later.get_by_label("Ditt meddelande").fill("Här är fasadritningen också.")
    later.get_by_label("Bilagor").set_input_files([as_file("fasad.pdf", files.pdf(), "application/pdf")])
    later.get_by_role("button", name="Skicka meddelandet").click()
    later.wait_for_url(re.compile(r"#conversation$"))
    assert "Här är fasadritningen också." in later.content() and "fasad.pdf" in later.content()

    # The team sees both, and downloads each file.
    staff = visitor(browser, live_server, locale="en-GB").new_page()
    log_in(staff, member)
    staff.goto(f"/requests/{req.reference}/")
    assert "Vi vill bygga ett uterum" in staff.content() and "Här är fasadritningen också." in staff.content()
    file_links = staff.locator("a[href*='/files/']")
    names = sorted(file_links.all_inner_texts())
    assert names == ["fasad.pdf", "ritning.pdf", "tomten.png"]
    urls = [file_links.nth(n).get_attribute("href") for n in range(file_links.count())]
    for n in range(file_links.count()):
        with staff.expect_download() as download:
            file_links.nth(n).click()
        assert download.value.suggested_filename in names
    assert staff.request.get(urls[0]).status == 200

    # Another team, and a visitor who is not signed in, get nothing.
    other = visitor(browser, live_server, locale="en-GB").new_page()
    log_in(other, stranger)
    anonymous = visitor(browser, live_server).new_page()
    for url in urls:
        assert other.request.get(url).status == 404
        assert anonymous.request.get(url).status == 404
    assert anonymous.request.get(re.sub(r"/status/[^/]+/", "/status/forged-token/", status_link) + "files/1/").status == 404


def broken_rules(page) -> list[str]:
    found = Axe().run(page, options=WCAG_21_AA).response["violations"]
    return [f"{page.url}: {rule['id']} ({rule['help']}) at {[node['target'] for node in rule['nodes']]}"
            for rule in found]


def test_every_public_page_keeps_the_machine_checkable_wcag_21_aa_rules(browser, live_server, permits, settings):
    _team, service = permits
    problems = []
    for language in ("sv", "en"):
        context = browser.new_context(base_url=live_server.url, locale=language)
        page = context.new_page()
        for path in ["/public/", "/public/?q=bygg", "/public/?area=nowhere", f"/public/services/{service.code}/",
                     "/public/promises/", "/public/status/lost/"]:
            page.goto(path)
            problems += broken_rules(page)
        # The form sent back with its errors, the status page with a message and a file, the flood page.
        page.goto(f"/public/services/{service.code}/")
        page.get_by_role("button", name=re.compile("^(Skicka|Send)$")).click()
        problems += broken_rules(page)
        page.goto(f"/public/services/{service.code}/")
        page.locator("#id_name").fill("Astrid")
        page.locator("#id_email").fill("astrid@example.se")
        page.locator("#id_subject").fill("Uterum")
        page.locator("#id_description").fill("12 m²")
        page.locator("#id_attachments").set_input_files([as_file("ritning.pdf", files.pdf(), "application/pdf")])
        page.locator("form[enctype] button.primary").click()
        page.wait_for_url(re.compile(r"/public/status/"))
        problems += broken_rules(page)
        settings.PUBLIC_LIMIT_PER_ADDRESS = 0
        page.goto(f"/public/services/{service.code}/")
        page.locator("form[enctype] button.primary").click()
        assert "/public/services/" in page.url
        problems += broken_rules(page)
        settings.PUBLIC_LIMIT_PER_ADDRESS = 20
        context.close()
    assert problems == []

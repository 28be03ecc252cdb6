"""WCAG 2.1 A and AA rules that a machine can check (axe-core in Chromium), on the pages staff use all day.

Axe finds about half of what WCAG asks (contrast, names, labels, landmarks, language, ARIA use); keyboard
order and wording still need a person. A page fails here with every rule it breaks and where. The API's
documentation is Swagger UI's own page, a tool for developers, and is left out."""

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from requests_app.dashboards import figures
from requests_app.inbox import services as inbox
from requests_app.intake import services as intake
from requests_app.models import Mailbox
from requests_app.requests import services
from tests.browser.conftest import log_in
from tests.factories import CustomerFactory, MembershipFactory, ServiceFactory, TeamFactory, UserFactory
from tests.mail.letters import letter

pytestmark = pytest.mark.django_db(transaction=True)

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def broken_rules(page) -> list[str]:
    found = Axe().run(page, options=WCAG_21_AA).response["violations"]
    return [f"{page.url}: {rule['id']} ({rule['help']}) at {[node['target'] for node in rule['nodes']]}"
            for rule in found]


def test_the_pages_of_a_working_day_keep_the_machine_checkable_wcag_21_aa_rules(new_page):
    payroll = TeamFactory(slug="payroll", name="Payroll team")
    laptops_team = TeamFactory(slug="laptops", name="Workstations team")
    salary = ServiceFactory(code="salary", owning_team=payroll, name_en="Salary payment")
    laptops = ServiceFactory(code="laptops", owning_team=laptops_team, name_en="Laptop repair")
    lead = MembershipFactory(team=payroll, role="lead", user=UserFactory(username="lead")).user
    receiver = MembershipFactory(team=laptops_team).user
    customer = CustomerFactory(name="Aino Virtanen", email="aino@example.org")
    yesterday = timezone.now() - dt.timedelta(days=1)
    moved = intake.log_request(by=lead, service_id=salary.pk, channel="phone", subject="Payslip will not open",
                                 customer_id=customer.pk, now=yesterday)
    services.claim(request_id=moved.pk, by=lead)
    services.hand_off(request_id=moved.pk, by=lead, to_service_id=laptops.pk, note="The laptop's PDF reader is broken.")
    services.claim(request_id=moved.pk, by=receiver)
    kept = intake.log_request(by=lead, service_id=salary.pk, channel="email", subject="Overtime missing",
                                customer_id=customer.pk, now=yesterday)
    reply = services.reply(request_id=kept.pk, by=lead, body="We are checking the overtime records.")
    general = Mailbox.objects.create(name="Kirjaamo", address="kirjaamo@example.org")
    inbox.take_mail(letter(sender="aino@example.org", text="It was in October.\n\n> We are checking",
                           in_reply_to=reply.mail_id, attachments=[("hours.pdf", b"%PDF-1.4", "application/pdf")]),
                    mailbox_id=general.pk)
    inbox.take_mail(letter(sender="mallory@example.net", subject=f"[{kept.reference}] for Aino"), mailbox_id=general.pk)
    to_sort = inbox.take_mail(letter(subject="Where is my payslip?"), mailbox_id=general.pk)
    figures.refresh_recent()

    page = new_page()
    page.goto("/login/")
    problems = broken_rules(page)
    log_in(page, lead)
    for path in [
        "/queue/", f"/requests/{kept.reference}/", "/requests/new/", "/requests/new/?q=xyzzy",
        "/requests/new/?q=l%C3%B6n", f"/customers/{customer.pk}/",
        "/customers/?q=Virtanen", "/my/work/", "/my/intakes/", "/dashboards/", "/dashboards/team/payroll/",
        "/teams/", "/teams/payroll/", "/teams/payroll/charter/", "/commitments/teams/payroll/",
        "/catalogue/", "/catalogue/services/salary/", "/mail/to-sort/", f"/mail/to-sort/{to_sort.pk}/",
    ]:
        page.goto(path)
        problems += broken_rules(page)

    assert problems == []

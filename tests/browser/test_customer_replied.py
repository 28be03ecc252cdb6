"""A customer's answer by mail, seen and answered by the team in Chromium; the answer leaves over SMTP."""

import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import expect

from requests_app.inbox import services as inbox
from requests_app.intake import services as intake
from requests_app.models import Mailbox
from requests_app.requests import services
from servicedesk.celery import app
from tests.browser.conftest import log_in
from tests.factories import MembershipFactory, ServiceFactory, TeamFactory
from tests.mail.letters import letter

pytestmark = pytest.mark.django_db(transaction=True)


class Inbox:
    def __init__(self):
        self.mails = []

    async def handle_DATA(self, server, session, envelope):
        self.mails.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp(settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    received = Inbox()
    controller = Controller(received, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    # The mail task runs where it is queued (here, the live server's thread): no worker in this test.
    app.conf.task_always_eager = True
    yield received
    app.conf.task_always_eager = False
    controller.stop()


def _text(mail) -> str:
    return mail.get_body(("plain",)).get_content()


def test_the_team_sees_customer_replied_reads_the_message_and_answers_in_the_customers_language(new_page, smtp):
    team = TeamFactory(name="Lönegruppen")
    salary = ServiceFactory(owning_team=team, name_en="Salary payment", promise_sv="Vi svarar inom 24 timmar.")
    member = MembershipFactory(team=team).user
    general = Mailbox.objects.create(name="Registratur", address="registratur@example.org")
    req = intake.log_request(by=member, service_id=salary.pk, channel="phone", subject="Lön saknas",
                             new_customer={"name": "Sara Berg", "email": "sara@example.com", "language": "sv"})
    services.claim(request_id=req.pk, by=member)
    reply = services.reply(request_id=req.pk, by=member, body="Vilken månad gäller det?")
    inbox.take_mail(letter(sender="sara@example.com", name="Sara Berg", subject=f"Re: [{req.reference}] Lön saknas",
                           text="Oktober.\n\nSara\n\n> Vilken månad gäller det?", in_reply_to=reply.mail_id),
                    mailbox_id=general.pk)

    page = new_page()
    log_in(page, member)
    page.goto(f"/queue/?team={team.slug}")
    row = page.locator(f"#row-{req.reference}")
    expect(row.get_by_text("Customer replied")).to_be_visible()
    row.get_by_role("link", name=req.reference).click()
    conversation = page.get_by_role("region", name="Conversation with the customer")
    expect(conversation.get_by_text("Oktober.").first).to_be_visible()  # the whole mail is folded away below
    page.get_by_label("Reply to the customer").fill("Oktoberlönen betalas på fredag.")
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_text("Reply sent to the customer.")).to_be_visible()
    expect(page.locator(".facts").get_by_text("Customer replied")).to_have_count(0)

    acknowledgement, first_reply, answer = smtp.mails
    assert all(req.reference in mail["Subject"] for mail in smtp.mails)
    assert "Vi har tagit emot ditt ärende" in _text(acknowledgement)
    assert "Vi svarar inom 24 timmar." in _text(acknowledgement)
    assert _text(answer).strip() == "Oktoberlönen betalas på fredag."
    assert answer["To"] == "sara@example.com"
    assert '<html lang="sv">' in answer.get_body(("html",)).get_content()
    assert first_reply["Message-ID"] == reply.mail_id

"""A reply leaves by real SMTP, with the reference in the subject."""

import socket

import pytest
from aiosmtpd.controller import Controller

from requests_app import services
from requests_app.tasks import deliver_message
from tests.factories import CustomerFactory, ServiceRequestFactory


class Inbox:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    yield inbox
    controller.stop()


@pytest.mark.django_db
def test_a_reply_is_delivered_over_smtp_once_with_the_reference_in_the_subject(smtp_server, service, member):
    req = ServiceRequestFactory(service=service, subject="Overtime missing",
                                customer=CustomerFactory(email="aino@example.org", language="en"))
    services.claim(request_id=req.pk, by=member)
    message = services.reply(request_id=req.pk, by=member, body="We pay it with the next salary.")

    deliver_message(message.pk)
    deliver_message(message.pk)

    [envelope] = smtp_server.envelopes
    assert envelope.rcpt_tos == ["aino@example.org"]
    content = envelope.content.decode()
    assert f"Subject: [{req.reference}] Overtime missing" in content
    assert "We pay it with the next salary." in content

"""A reply leaves by real SMTP, with the reference in the subject; a mail server that is down delays it, never loses it."""

import datetime as dt
import socket

import pytest
from aiosmtpd.controller import Controller
from django.urls import reverse
from django.utils import timezone, translation

from requests_app.mail import outbox as mail_outbox
from requests_app.mail.tasks import deliver_message
from requests_app.models import Event
from requests_app.requests import services
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def mail_server_down(settings):
    """SMTP settings that point at a port where nothing listens (yet)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    return settings


@pytest.fixture
def claimed(service, member):
    req = ServiceRequestFactory(service=service, subject="Overtime missing",
                                customer=CustomerFactory(email="aino@example.org", language="en"))
    services.claim(request_id=req.pk, by=member)
    return req


@pytest.mark.django_db
def test_a_refused_reply_is_kept_and_tried_again_later_until_it_is_sent_once(mail_server_down, claimed, member):
    message = services.reply(request_id=claimed.pk, by=member, body="We pay it with the next salary.")
    written = message.created_at

    assert deliver_message(message.pk) is False  # nothing listens
    message.refresh_from_db()
    assert message.sent_at is None and message.send_attempts == 1 and message.send_error
    assert message.next_attempt_at > written
    # Not due yet: the sweep leaves it; due: the sweep hands it on, once.
    due = message.next_attempt_at
    assert mail_outbox.claim_due_messages(now=due - dt.timedelta(seconds=1)) == []
    assert mail_outbox.claim_due_messages(now=due) == [message.pk]
    assert mail_outbox.claim_due_messages(now=due) == []  # the next sweep, a second later

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=mail_server_down.EMAIL_PORT)
    controller.start()
    try:
        deliver_message(message.pk)
        deliver_message(message.pk)  # a duplicate hint sends nothing
    finally:
        controller.stop()

    assert len(inbox.envelopes) == 1
    message.refresh_from_db()
    assert message.sent_at is not None and message.next_attempt_at is None and message.send_error == ""
    assert mail_outbox.claim_due_messages(now=message.sent_at + dt.timedelta(days=1)) == []


@pytest.mark.django_db
def test_retries_back_off_and_stop_after_the_last_attempt(mail_server_down, claimed, member):
    mail_server_down.MAIL_MAX_ATTEMPTS = 3
    message = services.reply(request_id=claimed.pk, by=member, body="Hello")
    gaps = []
    for _attempt in range(3):
        before = timezone.now()
        mail_outbox.deliver(message.pk, now=before)
        message.refresh_from_db()
        if message.next_attempt_at:
            gaps.append(message.next_attempt_at - before)
    assert gaps == [dt.timedelta(minutes=1), dt.timedelta(minutes=2)]
    assert message.send_attempts == 3 and message.next_attempt_at is None and message.sent_at is None


@pytest.mark.django_db
def test_the_request_page_says_a_reply_has_not_reached_the_customer_and_can_send_it_again(
    client, mail_server_down, claimed, member, outsider
):
    mail_server_down.MAIL_MAX_ATTEMPTS = 1
    fresh = services.reply(request_id=claimed.pk, by=member, body="Just now")
    client.force_login(member)
    page = client.get(reverse("requests:detail", args=[claimed.reference])).content.decode()
    assert "has not reached the customer yet" not in page  # a reply just sent is on its way
    fresh.delete()

    message = services.reply(request_id=claimed.pk, by=member, body="Hello",
                             now=timezone.now() - dt.timedelta(minutes=5))
    mail_outbox.deliver(message.pk)
    page = client.get(reverse("requests:detail", args=[claimed.reference])).content.decode()
    assert "has not reached the customer yet" in page and "stopped trying" in page

    url = reverse("requests:send_again", args=[claimed.reference, message.pk])
    assert client.post(url).status_code == 302
    message.refresh_from_db()
    assert message.next_attempt_at is not None
    noted = claimed.timeline.get(kind=Event.NOTED, text__contains="send the reply again")
    with translation.override("sv"):
        swedish = noted.shown_text
    with translation.override("fi"):
        finnish = noted.shown_text
    assert len({swedish, finnish, noted.data["texts"]["en"]}) == 3, "the desk's own words read in each language"


@pytest.mark.django_db
def test_sending_again_is_refused_for_a_sent_reply_and_for_people_outside_the_team(
    client, claimed, member, other_member
):
    message = services.reply(request_id=claimed.pk, by=member, body="Hello")
    deliver_message(message.pk)
    url = reverse("requests:send_again", args=[claimed.reference, message.pk])

    client.force_login(member)
    response = client.post(url)
    assert response.status_code == 409 and "already been sent" in response.content.decode()
    client.force_login(other_member)
    assert client.post(url).status_code == 404
    client.force_login(member)
    assert client.post(reverse("requests:send_again", args=[claimed.reference, 999999])).status_code == 404


@pytest.mark.django_db
def test_a_reply_in_flight_is_not_sent_again_until_its_mark_is_older_than_the_retry_point(
        smtp_server, claimed, member, settings):
    """A worker that died between marking a reply and recording the result: the reply waits for the retry
    point, then goes once more with the same Message-ID (at most the one in flight twice)."""
    message = services.reply(request_id=claimed.pk, by=member, body="We pay it with the next salary.")
    marked = timezone.now()
    message.__class__.objects.filter(pk=message.pk).update(sending_at=marked, send_attempts=1)
    assert mail_outbox.deliver(message.pk, now=marked + dt.timedelta(seconds=5)) is False
    assert smtp_server.envelopes == []
    later = marked + dt.timedelta(seconds=settings.MAIL_RETRY_FIRST_SECONDS + 1)
    assert mail_outbox.deliver(message.pk, now=later) is True
    [envelope] = smtp_server.envelopes
    assert f"Message-ID: {message.mail_id}" in envelope.content.decode()
    message.refresh_from_db()
    assert (message.sent_at, message.sending_at, message.send_attempts) == (later, None, 2)


@pytest.mark.django_db
def test_a_subject_the_mail_library_refuses_is_recorded_as_a_failure_and_retried_a_bounded_number_of_times(
        smtp_server, service, member, settings):
    req = ServiceRequestFactory(service=service, subject="Salary\r\nBcc: someone@example.org",
                                customer=CustomerFactory(email="aino@example.org", language="en"))
    services.claim(request_id=req.pk, by=member)
    message = services.reply(request_id=req.pk, by=member, body="We pay it with the next salary.")
    now = timezone.now()
    for attempt in range(1, settings.MAIL_MAX_ATTEMPTS + 1):
        assert mail_outbox.deliver(message.pk, now=now) is False
        message.refresh_from_db()
        assert message.send_attempts == attempt and "newline" in message.send_error.lower()
        now = message.next_attempt_at or now
    assert message.next_attempt_at is None and message.sent_at is None  # given up; the page says so
    assert smtp_server.envelopes == []


@pytest.mark.django_db
def test_notifications_wait_out_a_refusing_mail_server_and_go_once_it_answers(mail_server_down, claimed, member):
    from requests_app.models import Notification
    from requests_app.notifications import outbox as notification_outbox

    now = timezone.now()
    for n in range(3):
        Notification.objects.create(recipient=member, request=claimed, title=f"Breach {n}", text="", created_at=now)
    assert notification_outbox.send_due_notifications(now=now) == (0, False)
    assert not Notification.objects.filter(mail_taken_at__isnull=True).exists()  # taken, not lost
    assert notification_outbox.send_due_notifications(now=now + dt.timedelta(seconds=5)) == (0, False)
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=mail_server_down.EMAIL_PORT)
    controller.start()
    try:
        later = now + dt.timedelta(seconds=mail_server_down.MAIL_RETRY_FIRST_SECONDS + 1)
        assert notification_outbox.send_due_notifications(now=later) == (3, False)
        assert notification_outbox.send_due_notifications(now=later) == (0, False)
    finally:
        controller.stop()
    assert len(inbox.envelopes) == 3
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


@pytest.mark.django_db
def test_a_refused_notification_is_tried_again_later_and_later_then_given_up(mail_server_down, claimed, member,
                                                                            settings):
    from requests_app.models import Notification
    from requests_app.notifications import outbox as notification_outbox

    settings.MAIL_MAX_ATTEMPTS = 3
    now = timezone.now()
    notice = Notification.objects.create(recipient=member, request=claimed, title="Breach", text="", created_at=now)
    lease = dt.timedelta(seconds=settings.MAIL_RETRY_FIRST_SECONDS)
    for attempt in (1, 2, 3):
        assert notification_outbox.send_due_notifications(now=now) == (0, False)
        notice.refresh_from_db()
        assert notice.mail_attempts == attempt and notice.mail_error
        # Not taken again before its back-off has passed: 1, 2 ... minutes.
        next_wait = mail_outbox.retry_delay(attempt)
        assert notice.mail_taken_at == now + next_wait - lease
        assert notification_outbox.send_due_notifications(now=now + next_wait - dt.timedelta(seconds=1)) == (0, False)
        notice.refresh_from_db()
        assert notice.mail_attempts == attempt
        now += next_wait + dt.timedelta(seconds=1)
    assert notification_outbox.send_due_notifications(now=now + dt.timedelta(hours=1)) == (0, False)
    notice.refresh_from_db()
    assert notice.mail_attempts == 3 and notice.emailed_at is None  # given up, and never called mailed


class CuttingInbox(Inbox):
    """Takes each mail, and cuts the desk's database session while it does: the server has the mail, the
    desk has not yet written that down."""

    def __init__(self, session_pid: int, dbname: str):
        super().__init__()
        self.session_pid, self.dbname = session_pid, dbname

    async def handle_DATA(self, server, session, envelope):
        import psycopg

        with psycopg.connect(f"dbname={self.dbname} host=127.0.0.1 user=postgres", autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [self.session_pid])
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def cutting_smtp_server(settings, needs_postgres):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    inbox = CuttingInbox(pid, connection.settings_dict["NAME"])
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    yield inbox
    controller.stop()


@pytest.mark.django_db(transaction=True)
def test_a_notification_the_mail_server_took_while_the_database_session_was_cut_is_recorded_and_not_sent_again(
        cutting_smtp_server, service, member):
    from requests_app.models import Notification
    from requests_app.notifications import outbox as notification_outbox

    req = ServiceRequestFactory(service=service)
    notice = Notification.objects.create(recipient=member, request=req, title="Breach", text="",
                                         created_at=timezone.now())

    assert notification_outbox.send_due_notifications() == (1, False)

    notice.refresh_from_db()
    assert notice.emailed_at is not None
    later = timezone.now() + dt.timedelta(hours=1)
    assert notification_outbox.send_due_notifications(now=later) == (0, False)
    assert len(cutting_smtp_server.envelopes) == 1


@pytest.mark.django_db(transaction=True)
def test_a_reply_the_mail_server_took_while_the_database_session_was_cut_is_recorded_and_not_sent_again(
        cutting_smtp_server, service, member):
    req = ServiceRequestFactory(service=service, customer=CustomerFactory(email="aino@example.org"))
    services.claim(request_id=req.pk, by=member)
    message = services.reply(request_id=req.pk, by=member, body="Paid on Friday.")

    assert mail_outbox.deliver(message.pk) is True

    message.refresh_from_db()
    assert message.sent_at is not None
    assert mail_outbox.deliver(message.pk, now=timezone.now() + dt.timedelta(hours=1)) is False
    assert len(cutting_smtp_server.envelopes) == 1

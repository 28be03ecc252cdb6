"""The e-mail loop with real parts: Celery workers and beat on Redis, PostgreSQL, an SMTP server (aiosmtpd)
and an IMAP server (Dovecot). The desk's reply leaves by SMTP, the customer's answer arrives in the IMAP
mailbox, and the desk's own beat takes it in and starts the reply clock."""

import datetime as dt
import email
import itertools
import os
import re
import time

import pytest
from django.db.models import Count
from django.utils import timezone

from requests_app.intake import services as intake
from requests_app.models import (
    ClockKind,
    ClockState,
    Event,
    InboundMail,
    Mailbox,
    RequestClock,
    ServiceRequest,
    TimelineEvent,
)
from requests_app.requests import services
from tests.factories import CommitmentFactory
from tests.mail.letters import letter
from tests.requests_app.test_timer_workers import desk, wait_for  # noqa: F401 - the fixture, shared

pytestmark = pytest.mark.worker
POLL_SECONDS = 2
_accounts = itertools.count(1)


@pytest.fixture
def mailbox(imap_server, service):
    os.environ["TEST_IMAP_PASSWORD"] = "secret"  # the workers inherit it
    account = f"loop{next(_accounts)}-{time.time_ns()}@example.org"
    return Mailbox.objects.create(name="Kirjaamo", address=account, host="127.0.0.1", port=imap_server.port,
                                  use_ssl=False, username=account, password_env="TEST_IMAP_PASSWORD")


def test_a_customers_answer_joins_its_request_within_one_poll_and_its_clock_breaches_on_time(
        desk, imap_server, mailbox, service, member, team, settings):  # noqa: F811
    # The tasks this process queues after commit go to its own broker, not the workers': the workers' sweep
    # sends the mail once its first attempt is due, a second from now.
    settings.MAIL_RETRY_FIRST_SECONDS = 1
    CommitmentFactory(team=team, kind=ClockKind.NEXT_REPLY, target_minutes=24 * 60, hours="calendar",
                      warn_percent=None)
    req = intake.log_request(by=member, service_id=service.pk, channel="phone", subject="Lön saknas",
                             new_customer={"name": "Sara", "email": "sara@example.com", "language": "sv"})
    services.claim(request_id=req.pk, by=member)
    services.reply(request_id=req.pk, by=member, body="Vilken månad gäller det?")
    desk.start_worker("loop", "-B", "-s", str(desk.tmp_path / "beat-schedule"), MAIL_FETCH_SECONDS=str(POLL_SECONDS),
                      MAIL_SWEEP_SECONDS="1", TIMER_SWEEP_SECONDS="1", MAIL_RETRY_FIRST_SECONDS="2")

    # The acknowledgement and the reply leave by SMTP, in Swedish, with the reference in the subject.
    wait_for(lambda: len(desk.inbox.messages) == 2, 30, what="the acknowledgement and the reply")
    mails = [email.message_from_bytes(envelope.content) for envelope in desk.inbox.messages]
    assert all(req.reference in mail["Subject"] for mail in mails)
    reply = next(mail for mail in mails if "Vilken" in mail.get_payload(0).get_payload(decode=True).decode())
    ack = next(mail for mail in mails if mail is not reply)
    assert "Vi har tagit emot" in ack.get_payload(0).get_payload(decode=True).decode()

    # The customer answers the reply; the mail server delivers it into the desk's mailbox.
    imap_server.deliver(mailbox.address, letter(sender="sara@example.com", subject=f"Re: {reply['Subject']}",
                                                text="Oktober.", in_reply_to=reply["Message-ID"]))
    delivered = time.monotonic()
    wait_for(lambda: InboundMail.objects.filter(outcome="joined").exists(), 4 * POLL_SECONDS, interval=0.05,
             what="the answer to join its request")
    assert time.monotonic() - delivered <= 2 * POLL_SECONDS + 1
    clock = RequestClock.objects.get(request=req, kind=ClockKind.NEXT_REPLY)
    assert clock.state == ClockState.RUNNING
    assert clock.deadline_at - clock.started_at == dt.timedelta(hours=24)
    req.refresh_from_db()
    assert req.customer_replied_at is not None

    # Left unanswered: the test cannot wait a day, so the clock's deadline (the row the sweep reads) is moved
    # to a few seconds from now; the worker's own sweep must record the breach on time.
    deadline = timezone.now() + dt.timedelta(seconds=3)
    RequestClock.objects.filter(pk=clock.pk).update(deadline_at=deadline, next_check_at=deadline, warn_at=None)
    wait_for(lambda: TimelineEvent.objects.filter(request=req, kind=Event.COMMITMENT_BREACHED).exists(), 15,
             what="the breach")
    clock.refresh_from_db()
    assert clock.state == ClockState.BREACHED
    assert (clock.breached_at - deadline).total_seconds() < 5
    assert TimelineEvent.objects.filter(request=req, kind=Event.COMMITMENT_BREACHED).count() == 1


@pytest.mark.slow
def test_a_worker_killed_in_the_middle_of_a_fetch_stores_each_message_once(desk, imap_server, mailbox, service):  # noqa: F811
    Mailbox.objects.filter(pk=mailbox.pk).update(service=service)
    count = 300
    imap_server.deliver(mailbox.address, *(letter(subject=f"Message {n}") for n in range(count)))
    env = {"MAIL_FETCH_LEASE_SECONDS": "2"}
    victim = desk.start_worker("victim", **env)
    desk.broker.send_task("requests_app.tasks.fetch_mail", connection=desk.connection)
    wait_for(lambda: InboundMail.objects.count() >= 30, 60, interval=0.02, what="the fetch to be under way")
    desk.kill(victim)
    taken = InboundMail.objects.count()
    assert taken < count, "the fetch finished before the worker was killed"

    time.sleep(2.5)  # the dead reader's hold on the mailbox runs out
    # With its beat, the survivor fetches again every second and reads what the victim kept but never handed on.
    desk.start_worker("survivor", "-B", "-s", str(desk.tmp_path / "beat-schedule"), MAIL_FETCH_SECONDS="1", **env)
    wait_for(lambda: InboundMail.objects.count() >= count and not InboundMail.objects.filter(outcome="received").exists(),
             120, what="every message kept and read")
    time.sleep(1)
    assert InboundMail.objects.count() == count
    subjects = list(ServiceRequest.objects.values_list("subject", flat=True))
    assert len(subjects) == count and len(set(subjects)) == count
    mailbox.refresh_from_db()
    assert mailbox.last_uid == count
    assert re.search(r"fetch_mail\[.*\] succeeded", desk.workers[-1][1].read_text())
    assert not ServiceRequest.objects.values("subject").annotate(n=Count("pk")).filter(n__gt=1).exists()

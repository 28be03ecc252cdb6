"""Exactly once, with real parts: Celery worker processes on Redis, PostgreSQL, a local SMTP server.

Each test logs requests whose first-reply deadline has passed, lets real workers sweep them, and counts
what a person would notice: timeline events and e-mails. Exactly one of each, whatever happens to the
workers or the task messages.
"""

import datetime as dt
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from aiosmtpd.controller import Controller
from celery import Celery
from django.db import connection
from django.utils import timezone

from catalogue.models import Channel
from requests_app.intake import services as intake
from requests_app.models import ClockKind, Event, Notification, TimelineEvent, TimerOutcome
from requests_app.requests import services
from tests.factories import CommitmentFactory

pytestmark = pytest.mark.worker

REDIS_URL = os.environ.get("TIMER_TEST_REDIS_URL", "redis://127.0.0.1:6379/1")
ROOT = Path(__file__).resolve().parents[2]
SWEEP = "requests_app.tasks.sweep_due_clocks"


def _redis_or_skip():
    import redis

    try:
        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
        client.ping()
    except redis.RedisError:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    return client


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, timeout=20.0, interval=0.1, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what}")


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


class Desk:
    """Worker processes pointed at the test database, a Redis db of our own and a local SMTP server."""

    def __init__(self, tmp_path, smtp_port):
        db = connection.settings_dict
        self.database_url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        self.smtp_port = smtp_port
        self.tmp_path = tmp_path
        self.workers: list[tuple[subprocess.Popen, Path]] = []
        # Sessions open before any worker started (a live test server's thread, say) are not the workers'.
        self.sessions_before = _session_pids(db["NAME"])
        self.broker = Celery("test-sender", broker=REDIS_URL)
        # Celery prefers a CELERY_BROKER_URL in the environment to the broker given here; name the connection.
        self.connection = self.broker.connection_for_write(REDIS_URL)

    def start_worker(self, name, *args, **env):
        log = self.tmp_path / f"{name}.log"
        environment = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "DB_CONN_MAX_AGE": "0",
            "SECRET_KEY": "worker-test",
            "DEBUG": "1",
            "CELERY_BROKER_URL": REDIS_URL,
            "CELERY_VISIBILITY_TIMEOUT": "3",
            "CELERY_UNACKED_RESTORE_SECONDS": "1",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.smtp_port),
            "LOG_LEVEL": "WARNING",
            **env,
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "servicedesk", "worker", "-P", "solo", "-n", f"{name}@%h",
             "-l", "info", "--without-gossip", "--without-mingle", "--without-heartbeat", *args],
            cwd=ROOT, env=environment, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
        )
        self.workers.append((process, log))
        wait_for(lambda: "ready." in log.read_text() or process.poll() is not None, 30, what=f"{name} to start")
        assert process.poll() is None, log.read_text()
        return process

    def sweep(self, times=1):
        for _ in range(times):
            self.broker.send_task(SWEEP, connection=self.connection)

    def kill(self, process):
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)

    def stop_all(self):
        for process, _log in self.workers:
            if process.poll() is None:
                self.kill(process)
        self.connection.release()
        self.broker.close()
        # A killed worker's database sessions must be gone before the test database is flushed.
        name = connection.settings_dict["NAME"]
        wait_for(lambda: _session_pids(name) <= self.sessions_before, 10, what="worker sessions to close")


def _backends(dbname):
    """The other sessions on the test database: (pid, wait event type)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, wait_event_type FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [dbname],
        )
        return cursor.fetchall()


def _session_pids(dbname) -> set[int]:
    return {pid for pid, _wait in _backends(dbname)}


@pytest.fixture
def desk(transactional_db, needs_postgres, tmp_path):
    _redis_or_skip().flushdb()
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    desk = Desk(tmp_path, port)
    desk.inbox = inbox
    yield desk
    desk.stop_all()
    controller.stop()
    _redis_or_skip().flushdb()


@pytest.fixture
def overdue(team, member, lead, service):
    """Requests whose first reply was due an hour ago; a breach tells the assignee and the team lead."""
    CommitmentFactory(team=team, kind=ClockKind.FIRST_REPLY, target_minutes=60, warn_percent=50,
                      notify_on_breach=["assignee", "team_lead"])

    def make(count, *, logged_ago=dt.timedelta(hours=2)):
        made = []
        for n in range(count):
            req = intake.log_request(
                by=member, service_id=service.pk, channel=Channel.PHONE, subject=f"Salary question {n}",
                new_customer={"name": f"Customer {n}"}, now=timezone.now() - logged_ago,
            )
            services.claim(request_id=req.pk, by=member, now=timezone.now() - logged_ago)
            made.append(req)
        return made

    return make


def breach_events():
    return TimelineEvent.objects.filter(kind=Event.COMMITMENT_BREACHED).count()


def settle(desk, *, breaches, mails, quiet=1.5):
    """Wait for the expected counts, then a little longer, so a duplicate would have time to show."""
    wait_for(lambda: breach_events() >= breaches and len(desk.inbox.messages) >= mails, 30,
             what=f"{breaches} breaches and {mails} mails")
    time.sleep(quiet)


def test_two_workers_racing_record_each_breach_and_send_each_mail_once(desk, overdue, member, lead):
    overdue(12)
    # Small batches: the sweeps fan out, and both workers take batches at the same time.
    desk.start_worker("racer1", TIMER_SWEEP_BATCH="3")
    desk.start_worker("racer2", TIMER_SWEEP_BATCH="3")
    desk.sweep(times=4)
    settle(desk, breaches=12, mails=24)
    assert breach_events() == 12
    assert TimerOutcome.objects.filter(kind="breach").count() == 12
    assert len(desk.inbox.messages) == 24
    assert sorted(m.rcpt_tos[0] for m in desk.inbox.messages) == sorted([member.email, lead.email] * 12)
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    # The warnings the workers were not there for are recorded once each, and told to nobody.
    assert TimerOutcome.objects.filter(kind="warning").count() == 12
    assert not Notification.objects.filter(outcome__kind="warning").exists()


def test_the_sweep_run_twice_for_the_same_minute_writes_once(desk, overdue):
    overdue(3)
    desk.sweep(times=2)  # two beats (or two beat processes) in the same minute, queued before any worker runs
    desk.start_worker("twice")
    settle(desk, breaches=3, mails=6)
    desk.sweep(times=2)
    time.sleep(1.5)
    assert breach_events() == 3
    assert len(desk.inbox.messages) == 6


def test_a_worker_killed_while_holding_the_sweep_loses_nothing_and_sends_nothing_twice(desk, overdue):
    overdue(4)
    name = connection.settings_dict["NAME"]
    # Hold the notifications table so the worker's sweep stops mid-transaction, after writing outcomes.
    blocker = psycopg.connect(f"dbname={name} host=127.0.0.1 user=postgres", autocommit=False)
    blocker.execute("LOCK TABLE requests_app_notification IN EXCLUSIVE MODE")
    victim = desk.start_worker("victim")
    desk.sweep()
    stuck = []
    wait_for(lambda: stuck.extend(p for p in _backends(name) if p[1] == "Lock") or stuck,
             15, what="the sweep to block inside its transaction")
    held = re.search(r"sweep_due_clocks\[([0-9a-f-]+)\] received", desk.workers[-1][1].read_text()).group(1)
    desk.kill(victim)
    blocker.rollback()
    blocker.close()
    wait_for(lambda: all(p[0] != stuck[0][0] for p in _backends(name)), 10,
             what="the killed worker's transaction to end")
    assert breach_events() == 0  # rolled back with the dead worker
    # The unacknowledged message comes back after the visibility timeout; the next beat's sweep as well.
    survivor = desk.start_worker("survivor")
    desk.sweep()
    settle(desk, breaches=4, mails=8)
    # Redis hands the dead worker's unacknowledged message out again (the workers look every second here); it finds
    # nothing left to do.
    log = desk.workers[-1][1]
    wait_for(lambda: f"sweep_due_clocks[{held}] succeeded" in log.read_text(), 15, what="the redelivered sweep")
    assert survivor.poll() is None
    time.sleep(1)
    assert breach_events() == 4
    assert len(desk.inbox.messages) == 8


def test_a_deadline_moved_after_the_sweep_was_enqueued_is_not_recorded(desk, overdue, member):
    moved, still_due = overdue(2)
    desk.sweep()  # queued while the deadline is due
    # Before any worker looks, the deadline moves: the request has been waiting for the customer since
    # ten minutes after it was logged, and resuming now counts the fifty minutes that were left from now.
    now = timezone.now()
    services.wait_for_customer(request_id=moved.pk, by=member, now=now - dt.timedelta(minutes=110))
    services.resume(request_id=moved.pk, by=member, now=now)
    desk.start_worker("late")
    settle(desk, breaches=1, mails=2)
    # The moved deadline is not recorded; the one still due is, with the warning it missed before it.
    assert sorted(TimerOutcome.objects.values_list("request_id", "kind")) == [
        (still_due.pk, "breach"), (still_due.pk, "warning")]
    moved.refresh_from_db()
    assert moved.commitment_state == "on_track"
    assert len(desk.inbox.messages) == 2


def test_the_embedded_broker_and_beat_run_the_same_timers(desk, overdue, tmp_path):
    """No Redis: the embedded broker (a SQLite file), beat inside the worker."""
    var = tmp_path / "var"
    overdue(3)
    desk.start_worker("embedded", "-B", CELERY_BROKER_URL="", DESK_VAR_DIR=str(var),
                      TIMER_SWEEP_SECONDS="1")
    settle(desk, breaches=3, mails=6, quiet=2.5)  # a few more beats come and go
    assert breach_events() == 3
    assert len(desk.inbox.messages) == 6


class HangingMailServer:
    """Accepts connections and never says a word, as a mail server stuck under load does."""

    def __init__(self):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.held = []
        self.stopping = False
        import threading

        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        self.listener.settimeout(0.2)
        while not self.stopping:
            try:
                self.held.append(self.listener.accept()[0])
            except OSError:
                continue

    def close(self):
        self.stopping = True
        self.thread.join(5)
        for held in self.held:
            held.close()
        self.listener.close()


@pytest.mark.slow
def test_a_hanging_mail_server_delays_no_timer_and_its_mail_goes_once_when_it_answers(desk, overdue, member, lead):
    hanging = HangingMailServer()
    mail_env = {"EMAIL_PORT": str(hanging.port), "EMAIL_TIMEOUT": "2", "MAIL_RETRY_FIRST_SECONDS": "3"}
    desk.start_worker("timers", "-Q", "celery", **mail_env)
    mail_worker = desk.start_worker("mail", "-Q", "mail", **mail_env)
    overdue(10)
    started = time.monotonic()
    desk.sweep()
    wait_for(lambda: breach_events() == 10, 10, what="10 breaches while the mail server hangs")
    assert time.monotonic() - started < 5  # the timers did not wait for the mail server
    # The mail worker took the notifications and gave up on the silent server: none mailed, none lost.
    wait_for(lambda: Notification.objects.filter(mail_taken_at__isnull=False).count() == 20, 20,
             what="the notifications to be taken")
    assert not Notification.objects.filter(emailed_at__isnull=False).exists()

    # The mail server answers again (here: the mail worker is started again, pointed at one that answers).
    desk.kill(mail_worker)
    hanging.close()
    desk.start_worker("mail-again", "-Q", "mail", MAIL_RETRY_FIRST_SECONDS="3")
    # A notification whose attempt timed out waits a minute before its next (as a reply does): all are
    # mailed within two minutes of the server answering.
    deadline = time.monotonic() + 120
    while len(desk.inbox.messages) < 20 and time.monotonic() < deadline:
        desk.broker.send_task("requests_app.tasks.email_notifications", connection=desk.connection, queue="mail")
        time.sleep(1)  # the mail sweep, as beat sends it
    time.sleep(2)  # room for a duplicate to show
    assert len(desk.inbox.messages) == 20
    assert sorted(m.rcpt_tos[0] for m in desk.inbox.messages) == sorted([member.email, lead.email] * 10)
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()

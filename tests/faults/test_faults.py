"""Faults caused, not imagined: with real Celery workers and beat, a Redis of the test's own, PostgreSQL and
an SMTP server, each fault strikes while commitments fall due and mail goes out; then we count.

In every case: each timer outcome once (the warnings missed while the fault lasted included, and before
their breach), every notification mailed within two minutes of the fault's end and no mail twice but the
one in flight, and the breaches that fell due outside the fault recorded within 5 s (p99)."""

import collections
import datetime as dt
import email
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django.utils import timezone

from catalogue.models import Channel
from requests_app.intake import services as intake
from requests_app.models import ClockKind, Notification, TimerOutcome
from requests_app.requests import services
from tests.factories import CommitmentFactory
from tests.requests_app.test_timer_workers import _session_pids, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]
REQUESTS = 60
FAULT_STARTS, FAULT_ENDS = 15.0, 30.0  # seconds after the workload starts


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Redis:
    """A Redis of the test's own, so restarting it touches nothing else; it keeps nothing on disk."""

    def __init__(self, tmp_path):
        self.port, self.tmp_path, self.process = _free_port(), tmp_path, None
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.start()

    def start(self):
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.skip("redis-server is not installed")
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(self._answers, 10, what="Redis to start")

    def _answers(self):
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
            return True
        except OSError:
            return False

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


class MailServer:
    """Keeps every mail; while `refusing`, answers every message with 451 (try again later)."""

    def __init__(self):
        self.mails, self.refusing = [], False
        self.controller = Controller(self, hostname="127.0.0.1", port=_free_port())
        self.controller.start()
        self.port = self.controller.port

    async def handle_DATA(self, server, session, envelope):
        if self.refusing:
            return "451 4.3.0 Try again later"
        self.mails.append(email.message_from_bytes(envelope.content))
        return "250 OK"

    def message_ids(self):
        return collections.Counter(mail["Message-ID"] for mail in self.mails)


class Stack:
    """Timer worker, mail worker and beat as separate processes, as the compose file runs them."""

    def __init__(self, tmp_path, redis, smtp):
        db = connection.settings_dict
        self.env = {
            **os.environ, "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
                                          f"{db['NAME']}",
            "DB_CONN_MAX_AGE": "0", "SECRET_KEY": "fault-test", "DEBUG": "1", "CELERY_BROKER_URL": redis.url,
            "CELERY_VISIBILITY_TIMEOUT": "5", "CELERY_UNACKED_RESTORE_SECONDS": "1",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp.port), "EMAIL_TIMEOUT": "3", "TIMER_SWEEP_SECONDS": "1",
            "MAIL_SWEEP_SECONDS": "1", "MAIL_RETRY_FIRST_SECONDS": "5", "LOG_LEVEL": "WARNING",
        }
        self.tmp_path, self.processes = tmp_path, {}
        self.sessions_before = _session_pids(db["NAME"])

    def start(self, name, *args):
        log = (self.tmp_path / f"{name}.log").open("a")
        if name == "beat":
            command = ["beat", "-s", str(self.tmp_path / "beat-schedule"), "-l", "info"]
        else:
            command = ["worker", "-n", f"{name}@%h", "-l", "info", "--without-gossip", "--without-mingle",
                       "--without-heartbeat", *args]
        self.processes[name] = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "servicedesk", *command], cwd=ROOT, env=self.env, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True)

    def kill(self, name):
        process = self.processes[name]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)

    def children(self, name) -> list[int]:
        """The pool processes of a prefork worker."""
        found = subprocess.run(["pgrep", "-P", str(self.processes[name].pid)], capture_output=True, text=True)
        return [int(pid) for pid in found.stdout.split()]

    def stop_all(self):
        for name, process in self.processes.items():
            if process.poll() is None:
                self.kill(name)
        name = connection.settings_dict["NAME"]
        wait_for(lambda: _session_pids(name) <= self.sessions_before, 15, what="worker sessions to close")


@pytest.fixture
def world(transactional_db, needs_postgres, tmp_path, team, member, lead, service):
    redis, smtp = Redis(tmp_path), MailServer()
    stack = Stack(tmp_path, redis, smtp)
    yield redis, smtp, stack, (team, member, lead, service)
    stack.stop_all()
    redis.stop()
    smtp.controller.stop()


def _workload(team, member, service, *, start, minutes=1):
    """REQUESTS requests logged from 40 to 10 s before `start` with a first-reply promise of `minutes`:
    for one minute, warnings fall due from 10 s before `start` to 20 s after it, and breaches from 20 s
    to 50 s after it; each breach is mailed to the assignee and the team lead."""
    CommitmentFactory(team=team, kind=ClockKind.FIRST_REPLY, target_minutes=minutes, warn_percent=50,
                      notify_on_warning=["assignee"], notify_on_breach=["assignee", "team_lead"])
    for n in range(REQUESTS):
        logged = start - dt.timedelta(seconds=40) + dt.timedelta(seconds=30 * n / REQUESTS)
        req = intake.log_request(by=member, service_id=service.pk, channel=Channel.PHONE, subject=f"Salary {n}",
                                 new_customer={"name": f"Customer {n}"}, now=logged)
        services.claim(request_id=req.pk, by=member, now=logged)


def _check(smtp, *, start, fault=(FAULT_STARTS, FAULT_ENDS), in_flight=1):
    """Wait for every outcome and mail, then hold the desk to its promises."""
    fault_end = start + dt.timedelta(seconds=fault[1])
    wait_for(lambda: TimerOutcome.objects.filter(kind="breach").count() == REQUESTS, 120, interval=0.5,
             what="every breach")
    mailed = Notification.objects.exclude(recipient__email="")
    wait_for(lambda: not mailed.filter(emailed_at__isnull=True).exists(), 120, interval=0.5,
             what="every notification mailed")
    time.sleep(2)  # time for a repeat to show
    # Each outcome once (the unique rule), every warning recorded before its breach.
    outcomes = list(TimerOutcome.objects.order_by("created_at", "pk").values_list("clock_id", "kind", "created_at"))
    assert collections.Counter(kind for _clock, kind, _at in outcomes) == {"warning": REQUESTS, "breach": REQUESTS}
    first = {}
    for clock, kind, at in outcomes:
        first.setdefault((clock, kind), at)
    assert all(first[(clock, "warning")] <= first[(clock, "breach")] for clock, _kind, _at in outcomes)
    # Every notification mailed within two minutes of the fault's end, and no mail twice but the one in flight.
    assert max(mailed.values_list("emailed_at", flat=True)) <= max(fault_end, timezone.now()) + dt.timedelta(minutes=2)
    assert len(smtp.message_ids()) == mailed.count()
    assert sum(count - 1 for count in smtp.message_ids().values()) <= in_flight
    # Breaches due outside the fault: on time.
    window = (start + dt.timedelta(seconds=fault[0]), fault_end + dt.timedelta(seconds=2))
    late = sorted((at - deadline).total_seconds() for deadline, at in TimerOutcome.objects.filter(kind="breach")
                  .values_list("deadline_at", "created_at") if not window[0] <= deadline <= window[1])
    assert late, "no breach fell outside the fault window"
    p99 = late[min(len(late) - 1, round(0.99 * (len(late) - 1)))]
    assert p99 < 5, f"breaches outside the fault were {p99:.1f} s late (p99)"


def _run(world, fault, *, worker_args=("-P", "solo"), minutes=1):
    redis, smtp, stack, (team, member, lead, service) = world
    start = timezone.now() + dt.timedelta(seconds=5)
    _workload(team, member, service, start=start, minutes=minutes)
    stack.start("timers", "-Q", "celery", *worker_args)
    stack.start("mail", "-Q", "mail", "-P", "solo")
    stack.start("beat")
    fault(stack, redis, smtp, start)
    return start


def _at(start, seconds):
    """Sleep until `seconds` after the workload's start."""
    time.sleep(max(0.0, (start + dt.timedelta(seconds=seconds) - timezone.now()).total_seconds()))


def test_redis_restarted_empty_loses_no_timer_and_no_mail(world):
    def fault(stack, redis, smtp, start):
        _at(start, FAULT_STARTS)
        redis.stop()
        _at(start, FAULT_ENDS)
        redis.start()  # empty: every queued task message is gone

    _check(world[1], start=_run(world, fault))


def test_the_timer_worker_killed_and_started_again_loses_and_repeats_nothing(world):
    def fault(stack, redis, smtp, start):
        _at(start, FAULT_STARTS)
        stack.kill("timers")
        _at(start, FAULT_ENDS)
        stack.start("timers", "-Q", "celery", "-P", "solo")

    _check(world[1], start=_run(world, fault))


def test_pool_processes_killed_again_and_again_lose_and_repeat_nothing(world):
    def fault(stack, redis, smtp, start):
        _at(start, FAULT_STARTS)
        while timezone.now() < start + dt.timedelta(seconds=FAULT_ENDS):
            for name in ("timers", "mail"):
                for pid in stack.children(name)[:1]:
                    os.kill(pid, signal.SIGKILL)
            time.sleep(3)

    _check(world[1], start=_run(world, fault, worker_args=("-P", "prefork", "-c", "2")))


def test_the_workers_database_sessions_cut_lose_and_repeat_nothing(world):
    def fault(stack, redis, smtp, start):
        name = connection.settings_dict["NAME"]
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            spared = [cursor.fetchone()[0], *stack.sessions_before]  # the test's own sessions
        _at(start, FAULT_STARTS)
        with psycopg.connect(f"dbname={name} host=127.0.0.1 user=postgres", autocommit=True) as admin:
            while timezone.now() < start + dt.timedelta(seconds=FAULT_ENDS):
                admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s "
                              "AND pid <> pg_backend_pid() AND pid <> ALL(%s)", [name, spared])
                time.sleep(2)

    _check(world[1], start=_run(world, fault))


def test_beat_stopped_for_two_minutes_records_the_missed_warnings_once_and_in_order_when_it_is_back(world):
    """Three-minute promises: the warnings (50 to 80 s) all fall due while beat is down (15 to 135 s) and are
    recorded when it is back, each before its breach (140 to 170 s), which comes on time."""
    back = 135.0

    def fault(stack, redis, smtp, start):
        _at(start, FAULT_STARTS)
        stack.kill("beat")
        _at(start, back)
        stack.start("beat")

    start = _run(world, fault, minutes=3)
    _check(world[1], start=start, fault=(FAULT_STARTS, back))
    assert TimerOutcome.objects.filter(kind="warning", created_at__gte=start + dt.timedelta(seconds=back)).count() \
        == REQUESTS


def test_a_refusing_mail_server_delays_mail_but_no_timer_and_every_mail_goes_once(world):
    def fault(stack, redis, smtp, start):
        _at(start, FAULT_STARTS)
        smtp.refusing = True
        _at(start, FAULT_ENDS)
        smtp.refusing = False

    _check(world[1], start=_run(world, fault))

"""The one-command desk keeps running: its broker survives processes writing and reading at once, and
`rundesk` starts a dead worker again while every staff page says the timers stopped, then that they run."""

import http.cookiejar
import multiprocessing
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from kombu import Connection

from servicedesk import embedded

ROOT = Path(__file__).resolve().parents[2]
BODY = "ä" * 700 + "x" * 1300  # two kilobytes and some, multi-byte: a torn message would not decode to this


def publish(url, options, role, count):
    with Connection(url, transport_options=options) as broker:
        queue = broker.SimpleQueue("stress")
        for n in range(count):
            queue.put({"id": f"{role}-{n}", "body": BODY})
        queue.close()


def consume(url, options, received, quiet_seconds):
    with Connection(url, transport_options=options) as broker:
        queue = broker.SimpleQueue("stress")
        last = time.monotonic()
        while time.monotonic() - last < quiet_seconds:
            try:
                message = queue.get(block=True, timeout=0.5)
            except queue.Empty:
                continue
            payload = message.payload
            received.put(payload["id"] if payload.get("body") == BODY else f"torn:{payload.get('id')}")
            message.ack()
            last = time.monotonic()
        queue.close()


@pytest.mark.slow
def test_the_embedded_broker_carries_30000_messages_between_processes_none_lost_none_torn(settings, tmp_path):
    settings.EMBEDDED_BROKER_FILE = tmp_path / "broker.sqlite3"
    settings.CELERY_BROKER_URL = url = f"sqla+sqlite:///{settings.EMBEDDED_BROKER_FILE}"
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"connect_args": {"timeout": 60}}
    embedded.prepare_broker(queues=["stress"])
    context = multiprocessing.get_context("fork")
    received = context.Queue()
    # The web server and beat write while the timer and mail workers take: all at once, on one file.
    writers = [context.Process(target=publish, args=(url, options, role, 15_000)) for role in ("web", "beat")]
    readers = [context.Process(target=consume, args=(url, options, received, 8)) for _ in ("timers", "mail")]
    for process in writers + readers:
        process.start()
    ids, deadline = [], time.monotonic() + 600
    while (any(p.is_alive() for p in readers) or not received.empty()) and time.monotonic() < deadline:
        try:
            ids.append(received.get(timeout=0.5))
        except Exception:  # noqa: BLE001 - queue.Empty from another module
            pass
    for process in writers + readers:
        process.join(30)
        assert process.exitcode == 0
    assert not [i for i in ids if i.startswith("torn:")]
    assert len(ids) == len(set(ids)) == 30_000
    # What the workers took is gone after housekeeping; nothing else is.
    assert embedded.purge_delivered() == 30_000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


class Browser:
    """A person signed in to the desk over HTTP (cookies and the CSRF token, as a browser keeps them)."""

    def __init__(self, base):
        self.base, self.jar = base, http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path) -> str:
        with self.opener.open(self.base + path, timeout=10) as response:
            return response.read().decode()

    def log_in(self, username, password):
        self.get("/login/")
        token = next(cookie.value for cookie in self.jar if cookie.name == "csrftoken")
        data = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
        self.opener.open(urllib.request.Request(self.base + "/login/", data=data.encode(),
                                                headers={"Referer": self.base + "/login/"}), timeout=10).read()


@pytest.mark.slow
def test_rundesk_starts_a_dead_worker_again_and_the_banner_comes_and_goes(tmp_path):
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE")}
    environment |= {"DESK_VAR_DIR": str(tmp_path), "DEBUG": "1", "TIMER_SWEEP_SECONDS": "0.5",
                    "MAIL_SWEEP_SECONDS": "0.5", "TIMERS_STALE_SECONDS": "3", "PYTHONUNBUFFERED": "1"}
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=environment, check=True, timeout=120)
    subprocess.run([*manage, "shell", "-c", "from teams.models import User; "
                    "User.objects.create_user('clerk', password='clerk-pass-2026')"],
                   cwd=ROOT, env=environment, check=True, timeout=60)
    port = free_port()
    log = tmp_path / "rundesk.log"
    desk = subprocess.Popen([*manage, "rundesk", f"127.0.0.1:{port}", "--no-demo"], cwd=ROOT, env=environment,
                            stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for(lambda: "The desk is at" in log.read_text(), 60, "the desk to start")
        browser = Browser(f"http://127.0.0.1:{port}")
        wait_for(lambda: _answers(browser), 30, "the web server")
        browser.log_in("clerk", "clerk-pass-2026")
        wait_for(lambda: "The timers" not in browser.get("/queue/") and "Mail has" not in browser.get("/queue/"),
                 60, "the timers and the mail to run")

        worker = int(re.search(r"Timer worker started \(pid (\d+)\)", log.read_text()).group(1))
        os.kill(worker, signal.SIGSTOP)  # hung: alive, but no sweep runs
        wait_for(lambda: "The timers have not run for" in browser.get("/queue/"), 30, "the banner")
        os.kill(worker, signal.SIGKILL)
        wait_for(lambda: "Timer worker stopped (exit code -9); starting it again in 1 s." in log.read_text(), 15,
                 "rundesk to notice")
        wait_for(lambda: len(re.findall(r"Timer worker started", log.read_text())) == 2, 15, "the restart")
        wait_for(lambda: "The timers have not run" not in browser.get("/queue/"), 60, "the banner to go")
        assert b'"ok": true' in urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=10).read()
    finally:
        os.killpg(desk.pid, signal.SIGTERM)
        try:
            desk.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(desk.pid, signal.SIGKILL)
    assert "Traceback" not in log.read_text(), log.read_text()


def _answers(browser) -> bool:
    try:
        browser.get("/login/")
    except OSError:
        return False
    return True

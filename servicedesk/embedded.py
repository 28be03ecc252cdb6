"""The embedded broker: a SQLite file that kombu's SQLAlchemy transport keeps its messages in."""

import signal
import sqlite3
import subprocess
import threading
import time

from django.conf import settings
from kombu import Connection


def prepare_broker(*, queues=()) -> None:
    """Create the broker's tables and every queue once, before several processes race to (the transport
    does not survive two processes creating one queue at once), and switch the file to WAL (the setting
    stays with the file): readers then never wait for a writer."""
    with Connection(settings.CELERY_BROKER_URL, transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS) as broker:
        for name in [*settings.CELERY_TASK_QUEUES, *queues]:
            broker.SimpleQueue(name).close()
    with sqlite3.connect(settings.EMBEDDED_BROKER_FILE, timeout=60) as db:
        db.execute("PRAGMA journal_mode=WAL")


def purge_delivered() -> int:
    """The transport keeps every message it handed out (visible = 0); without this the file only grows."""
    with sqlite3.connect(settings.EMBEDDED_BROKER_FILE, timeout=60) as db:
        return db.execute("DELETE FROM kombu_message WHERE visible = 0").rowcount


class Supervisor:
    """Keeps the embedded desk's Celery processes running: a dead one is started again, after 1, 2, 4 ...
    seconds (at most a minute; back to one second once it has run for a minute), and every step is said."""

    MAX_BACKOFF = 60.0
    HEALTHY_AFTER = 60.0

    def __init__(self, commands: dict[str, list[str]], *, say, cwd, clock=time.monotonic):
        self.commands, self.say, self.cwd, self.clock = commands, say, cwd, clock
        self.processes: dict[str, subprocess.Popen] = {}
        self.started_at: dict[str, float] = {}
        self.backoff = {name: 1.0 for name in commands}
        self.restart_at: dict[str, float] = {}
        self.stopping = threading.Event()

    def start(self, name: str) -> None:
        process = subprocess.Popen(self.commands[name], cwd=self.cwd)
        self.processes[name], self.started_at[name] = process, self.clock()
        self.say(f"{name} started (pid {process.pid}).")

    def start_all(self) -> None:
        for name in self.commands:
            self.start(name)

    def check(self) -> None:
        """One look at every process: restart what is due, schedule what has just died."""
        now = self.clock()
        for name, process in self.processes.items():
            if name in self.restart_at:
                if now >= self.restart_at[name]:
                    del self.restart_at[name]
                    self.start(name)
                continue
            code = process.poll()
            if code is None:
                if now - self.started_at[name] >= self.HEALTHY_AFTER:
                    self.backoff[name] = 1.0
                continue
            delay = self.backoff[name]
            self.backoff[name] = min(delay * 2, self.MAX_BACKOFF)
            self.restart_at[name] = now + delay
            self.say(f"{name} stopped (exit code {code}); starting it again in {delay:g} s.")

    def watch(self, *, every: float = 1.0, housekeeping=None, housekeeping_every: float = 60.0) -> None:
        """Look every second until stopped; run `housekeeping` (if any) every minute."""
        last_housekeeping = self.clock()
        while not self.stopping.wait(every):
            self.check()
            if housekeeping is not None and self.clock() - last_housekeeping >= housekeeping_every:
                last_housekeeping = self.clock()
                housekeeping()

    def stop_all(self, timeout: float = 15) -> None:
        self.stopping.set()
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()

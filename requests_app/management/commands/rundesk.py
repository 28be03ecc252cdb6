"""One command for the embedded desk: database, demo organisation, Celery workers and beat under watch, web server."""

import signal
import socket
import sys
import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from servicedesk import embedded


def check_free(addrport: str) -> None:
    """runserver ends the process with os._exit when its port is taken, which would orphan the worker:
    find out before starting anything."""
    host, _sep, port = addrport.rpartition(":")
    try:
        port_number = int(port)
    except ValueError:
        raise CommandError(_("Give the address as HOST:PORT, for example 127.0.0.1:8000.")) from None
    with socket.socket() as probe:
        try:
            probe.bind((host or "127.0.0.1", port_number))
        except OSError:
            raise CommandError(
                _("%(addrport)s is already in use. Stop what runs there, or start the desk on another port: "
                  "manage.py rundesk 127.0.0.1:8001") % {"addrport": addrport}
            ) from None


class Command(BaseCommand):
    help = ("Migrate, seed the demo organisation, start Celery (a timer worker, a mail worker, beat) under watch, "
            "and serve the desk.")

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--no-demo", action="store_true", help="Do not seed the demo organisation.")

    def handle(self, *args, addrport, no_demo, **options):
        check_free(addrport)
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        if settings.EMBEDDED_BROKER:
            embedded.prepare_broker()
        if not no_demo:
            call_command("seed_demo", stdout=self.stdout)
        # Timers and mail on workers of their own, so a mail server that hangs never delays a timer. As
        # children of this command they live and die with the server; a dead one is started again.
        celery = [sys.executable, "-m", "celery", "-A", "servicedesk"]
        worker = ["worker", "--pool", "solo", "--loglevel", "warning", "--without-gossip", "--without-mingle"]
        supervisor = embedded.Supervisor({
            "Timer worker": [*celery, *worker, "-Q", settings.CELERY_TASK_DEFAULT_QUEUE, "-n", "timers@%h"],
            "Mail worker": [*celery, *worker, "-Q", "mail", "-n", "mail@%h"],
            "Beat": [*celery, "beat", "--loglevel", "warning", "--schedule",
                     str(settings.VAR_DIR / "celerybeat-schedule")],
        }, say=self.say, cwd=settings.BASE_DIR)
        supervisor.start_all()
        threading.Thread(target=supervisor.watch, daemon=True, kwargs={
            "housekeeping": embedded.purge_delivered if settings.EMBEDDED_BROKER else None}).start()
        self.stdout.write(f"Mail goes to {settings.EMAIL_FILE_PATH}.")
        self.stdout.write(self.style.SUCCESS(f"The desk is at http://{addrport}/"))
        # A plain SIGTERM would end this process without stopping its children.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            # No autoreloader: it would run this whole command again in a second process.
            call_command("runserver", addrport, use_reloader=False)
        finally:
            supervisor.stop_all()

    def say(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()

"""Intake under load, from outside: the staff form, the public form and a bare Django view, served by one
gunicorn (sync workers) with 1, 2 and 4 workers, driven by wrk with 16 connections, on the generated
million-request desk. The figures are shares of the bare view's requests per second in the same run.

    apt-get install wrk                           # the load generator
    python bench/generate.py                      # once: desk_bench
    python bench/intake_load_bench.py [--database desk_bench] [--workers 1,2,4] [--connections 16] [--seconds 15]

Each round runs bare, staff form, public form, bare again (the bare figure is their mean). The requests and
customers the run adds are removed at the end; the acknowledgements it queues go to Redis database 2,
which is emptied.
"""

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pages import ROOT, machine_speed, set_up_django  # noqa: E402

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")
BOUNDARY = "deskbenchboundary"


def multipart(fields: dict, files: dict) -> bytes:
    parts = []
    for name, value in fields.items():
        parts.append(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, kind) in files.items():
        parts.append(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: {kind}\r\n\r\n".encode() + content + b"\r\n")
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def lua(path: str, body: bytes, cookie: str, content_type: str, script_dir: Path, name: str) -> Path:
    """A wrk script that POSTs one body with one session's cookies."""
    body_file = script_dir / f"{name}.body"
    body_file.write_bytes(body)
    script = script_dir / f"{name}.lua"
    script.write_text(
        f'local f = io.open("{body_file}", "rb"); wrk.body = f:read("*all"); f:close()\n'
        f'wrk.method = "POST"; wrk.path = "{path}"\n'
        f'wrk.headers["Content-Type"] = "{content_type}"\nwrk.headers["Cookie"] = "{cookie}"\n')
    return script


def wrk(port: int, path: str, *, connections: int, seconds: int, script: Path | None = None) -> tuple[float, int]:
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s"]
    if script:
        command += ["-s", str(script)]
    out = subprocess.run(command + [f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True,
                         check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: .*timeout (\d+)", out)
    return rate, int(bad.group(1) if bad else 0) + int(errors.group(1) if errors else 0)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="desk_bench")
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=15)
    args = parser.parse_args()
    set_up_django(args.database)
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from catalogue.models import Service
    from requests_app.models import Customer, ServiceRequest
    from teams.models import User

    started_at = timezone.now()
    front_desk = User.objects.filter(username="reception").first() or User.objects.filter(is_active=True).first()
    session = SessionStore()
    session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(front_desk.pk), settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = front_desk.get_session_auth_hash()
    session.create()
    csrf = get_random_string(32)  # the CSRF secret, sent as the cookie and, unmasked, with the form
    cookie = f"sessionid={session.session_key}; csrftoken={csrf}"
    staff_service = Service.objects.offered().filter(owning_team__isnull=False).order_by("pk").first()
    public_service = Service.objects.offered().filter(public_web_form=True, owning_team__isnull=False).order_by("pk").first()
    storage = tempfile.TemporaryDirectory()
    scripts = Path(storage.name)
    staff_body = "&".join(f"{k}={v}" for k, v in {
        "csrfmiddlewaretoken": csrf, "service": staff_service.pk, "channel": "phone", "subject": "Payslip+missing",
        "description": "Called+about+the+payslip.", "customer_name": "Bench+Caller", "customer_kind": "person",
        "customer_email": "", "customer_phone": "", "customer_business_id": "", "customer_language": "fi"}.items())
    staff_script = lua("/requests/new/", staff_body.encode(), cookie, "application/x-www-form-urlencoded", scripts,
                       "staff")
    public_body = multipart({"csrfmiddlewaretoken": csrf, "name": "Bench Visitor", "email": "visitor@example.org",
                             "phone": "", "language": "sv", "subject": "Bygglov", "description": "Ett uterum.",
                             "website": ""}, {"attachments": ("ritning.pdf", PDF, "application/pdf")})
    public_script = lua(f"/public/services/{public_service.code}/", public_body, cookie,
                        f"multipart/form-data; boundary={BOUNDARY}", scripts, "public")
    env = os.environ | {
        "DATABASE_URL": f"postgres://postgres@127.0.0.1/{args.database}", "SECRET_KEY": "bench", "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1", "CELERY_BROKER_URL": "redis://127.0.0.1:6379/2", "LOG_LEVEL": "WARNING",
        "PUBLIC_LIMIT_PER_ADDRESS": "1000000000", "PUBLIC_LIMIT_PER_EMAIL": "1000000000",
        "ATTACHMENT_STORAGE_OPTIONS": f'{{"location": "{storage.name}/files"}}',
    }
    # Served as production serves it: collected, hashed static files (pages that render link to them).
    env["STATIC_ROOT"] = f"{storage.name}/static"
    subprocess.run([str(ROOT / ".venv/bin/python"), str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v", "0"],
                   env=env, check=True)
    print(f"machine speed before: {machine_speed():.2f} s for the reference loop")
    print(f"{args.connections} connections, {args.seconds} s per measurement, sync workers")
    for workers in [int(w) for w in args.workers.split(",")]:
        port = free_port()
        server = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "bench_wsgi:application", "--chdir", str(ROOT / "bench"),
             "-w", str(workers), "-b", f"127.0.0.1:{port}", "--log-level", "warning", "--timeout", "60"],
            env=env)
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/bare/", timeout=2)
                    break
                except OSError:
                    time.sleep(0.2)
            for path, script in (("/bare/", None), ("/requests/new/", staff_script),
                                 (f"/public/services/{public_service.code}/", public_script)):
                wrk(port, path, connections=args.connections, seconds=3, script=script)  # warm
            bare_1, _ = wrk(port, "/bare/", connections=args.connections, seconds=args.seconds)
            staff, staff_bad = wrk(port, "/requests/new/", connections=args.connections, seconds=args.seconds,
                                   script=staff_script)
            public, public_bad = wrk(port, f"/public/services/{public_service.code}/", connections=args.connections,
                                     seconds=args.seconds, script=public_script)
            bare_2, _ = wrk(port, "/bare/", connections=args.connections, seconds=args.seconds)
        finally:
            server.terminate()
            server.wait(30)
        bare = (bare_1 + bare_2) / 2
        print(f"{workers} worker(s): bare {bare:.0f}/s ({bare_1:.0f}, {bare_2:.0f}); staff form {staff:.1f}/s = "
              f"{staff / bare * 100:.1f} % ({staff_bad} not 302); public form {public:.1f}/s = "
              f"{public / bare * 100:.1f} % ({public_bad} not 302)")
    print(f"machine speed after: {machine_speed():.2f} s for the reference loop")
    made = ServiceRequest.objects.filter(created_at__gte=started_at)
    print(f"requests written by the run: {made.count()} (removed)")
    customers = list(made.values_list("customer_id", flat=True))
    made.delete()
    Customer.objects.filter(pk__in=customers, requests__isnull=True).delete()
    subprocess.run(["redis-cli", "-n", "2", "flushdb"], capture_output=True)
    storage.cleanup()


if __name__ == "__main__":
    main()

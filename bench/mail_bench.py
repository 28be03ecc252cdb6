"""Mail in: 10,000 mixed messages in a real IMAP mailbox (Dovecot), fetched, threaded and stored; and the time
from a customer's answer arriving in the mailbox to its reply clock starting, with the desk's own worker and
beat polling.

    psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE desk_bench_mail'   # once
    python bench/mail_bench.py [--messages 10000] [--poll 5] [--answers 150]

Needs Dovecot (apt-get install dovecot-imapd) and Redis at 127.0.0.1:6379 (db 2 is used and flushed).
The database is emptied and migrated at the start.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

from pages import machine_speed, percentile, set_up_django  # noqa: E402

REDIS = "redis://127.0.0.1:6379/2"


def mail(*, sender, subject, text="", html=None, in_reply_to=None, headers=None, attachment=None) -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, "palkat@bench.example", subject
    msg["Message-ID"] = make_msgid(domain="customer.example")
    if in_reply_to:
        msg["In-Reply-To"] = msg["References"] = in_reply_to
    msg.set_content(text or "See the attachment.")
    if html:
        msg.add_alternative(html, subtype="html")
    for key, value in (headers or {}).items():
        msg[key] = value
    if attachment:
        msg.add_attachment(attachment, maintype="application", subtype="pdf", filename="receipt.pdf")
    return msg.as_bytes()


def mixed(count, replies, rng):
    """Replies to the desk's mail, new requests, HTML-only mail, attachments, auto-replies and bounces."""
    pdf = b"%PDF-1.4\n" + bytes(rng.getrandbits(8) for _ in range(60_000))
    kinds = ["reply"] * 40 + ["new"] * 20 + ["html"] * 10 + ["attachment"] * 10 + ["auto"] * 10 + \
            ["bounce"] * 5 + ["reference"] * 5
    made = []
    for n in range(count):
        kind = rng.choice(kinds)
        reply = rng.choice(replies)
        customer = reply.request.customer.email
        quote = f"\n\nOn Monday the desk wrote:\n> {reply.body}\n> Regards"
        if kind == "reply":
            raw = mail(sender=customer, subject=f"Re: [{reply.request.reference}] {reply.request.subject}",
                       text=f"Here is the answer {n}.{quote}", in_reply_to=reply.mail_id)
        elif kind == "reference":
            raw = mail(sender=customer, subject=f"About {reply.request.reference}", text=f"One more thing {n}.")
        elif kind == "new":
            raw = mail(sender=f"new{n}@customer.example", subject=f"Palkka puuttuu {n}",
                       text="Palkkani ei tullut tässä kuussa.\n\n-- \nMatti")
        elif kind == "html":
            raw = mail(sender=f"html{n}@customer.example", subject=f"Matkalasku {n}", text="",
                       html="<div><p>Hei,</p><p>matkalasku <b>puuttuu</b>.</p><img src='https://x.example/t.gif'>"
                            "<script>alert(1)</script></div>")
        elif kind == "attachment":
            raw = mail(sender=f"file{n}@customer.example", subject=f"Kuitti {n}", attachment=pdf)
        elif kind == "auto":
            raw = mail(sender=customer, subject="Automatic reply: out of office", text="Away until Monday.",
                       in_reply_to=reply.mail_id, headers={"Auto-Submitted": "auto-replied"})
        else:
            raw = mail(sender="MAILER-DAEMON@mx.customer.example", subject="Undelivered Mail Returned to Sender",
                       text="The mail could not be delivered.")
        made.append(raw)
    return made


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="desk_bench_mail")
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--open-requests", type=int, default=1_000)
    parser.add_argument("--poll", type=float, default=5.0, help="seconds between fetches in the latency run")
    parser.add_argument("--answers", type=int, default=150)
    parser.add_argument("--readers", type=int, default=2, help="mail worker processes reading the backlog")
    parser.add_argument("--profile", action="store_true", help="profile the fetch; no latency run")
    parser.add_argument("--sort", default="cumulative", help="how the profile is ordered")
    args = parser.parse_args()
    os.environ["CELERY_BROKER_URL"] = REDIS  # the mail tasks queued after commit go where production sends them
    set_up_django(args.database)
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count, F

    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", verbosity=0)

    from requests_app.inbox import fetching
    from requests_app.intake import services as intake
    from requests_app.models import ClockKind, InboundMail, Mailbox, Message, RequestClock
    from requests_app.requests import services
    from tests.factories import CommitmentFactory, MembershipFactory, ServiceFactory, TeamFactory
    from tests.mail.imap_server import ImapServer

    rng = random.Random(2026)
    team = TeamFactory(slug="payroll", name="Payroll")
    service = ServiceFactory(owning_team=team, code="salary", acknowledge_by_mail=True)
    CommitmentFactory(team=team, kind=ClockKind.NEXT_REPLY, target_minutes=24 * 60, hours="calendar")
    member = MembershipFactory(team=team).user
    replies = []
    for n in range(args.open_requests):
        req = intake.log_request(by=member, service_id=service.pk, channel="phone", subject=f"Salary question {n}",
                                 new_customer={"name": f"Customer {n}", "email": f"customer{n}@customer.example"})
        services.claim(request_id=req.pk, by=member)
        replies.append(services.reply(request_id=req.pk, by=member, body="Which month is it about?"))
    replies = list(Message.objects.filter(pk__in=[r.pk for r in replies]).select_related("request__customer"))
    # Mailed long ago: the latency run's worker has nothing of this to send.
    Message.objects.update(sent_at=F("created_at"), next_attempt_at=None)

    server = ImapServer()
    os.environ["BENCH_IMAP_PASSWORD"] = "secret"
    try:
        box = Mailbox.objects.create(name="Palkat", address="palkat@bench.example", service=service,
                                     host="127.0.0.1", port=server.port, use_ssl=False,
                                     username="palkat@bench.example", password_env="BENCH_IMAP_PASSWORD")
        messages = mixed(args.messages, replies, rng)
        started = time.perf_counter()
        server.deliver(box.address, *messages)
        print(f"{len(messages):,} messages ({sum(map(len, messages)) / 1e6:.0f} MB) appended over IMAP in "
              f"{time.perf_counter() - started:.1f} s")
        print(f"machine speed before: {machine_speed():.2f} s for the reference loop")
        if args.profile:
            import cProfile
            import pstats

            profile = cProfile.Profile()
            taken = profile.runcall(fetching.fetch_mailbox, box.pk)
            pstats.Stats(profile).sort_stats(args.sort).print_stats(40)
            return
        from requests_app.inbox.tasks import read_mail

        readers = [start_worker(f"reader{n}", {}) for n in range(args.readers)]
        time.sleep(3)
        started = time.perf_counter()
        taken = fetching.fetch_mailbox(box.pk, route=lambda pks: [read_mail.delay(pk) for pk in pks])
        kept = time.perf_counter() - started
        deadline = time.monotonic() + 1800
        while InboundMail.objects.filter(outcome="received").exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        seconds = time.perf_counter() - started
        stop(readers)
        rate = taken / seconds
        print(f"{taken:,} messages kept in {kept:.1f} s by the fetch, and read by {args.readers} mail worker "
              f"processes: all fetched, threaded and stored in {seconds:.1f} s = {rate:.0f} messages/s "
              f"(floor 50/s: {'met, ' + format(rate / 50, '.1f') + 'x' if rate >= 50 else 'NOT met'})")
        counts = dict(InboundMail.objects.values_list("outcome").annotate(n=Count("pk")))
        print(f"outcomes: {counts}")
        print(f"machine speed after: {machine_speed():.2f} s")
        latency(args, box, replies, server, rng, RequestClock, InboundMail, ClockKind)
    finally:
        server.stop()


def start_worker(name, extra, *args):
    """A mail worker process (solo pool) on the bench's Redis and database."""
    from django.db import connection

    env = {**os.environ, "DATABASE_URL": f"postgres://postgres@127.0.0.1/{connection.settings_dict['NAME']}",
           "CELERY_BROKER_URL": REDIS, "DB_CONN_MAX_AGE": "0", "LOG_LEVEL": "WARNING", "DEBUG": "0", **extra}
    log = open(ROOT / "var" / f"mail-bench-{name}.log", "w")
    return subprocess.Popen([sys.executable, "-m", "celery", "-A", "servicedesk", "worker", "-P", "solo", "-n",
                             f"{name}@%h", "-l", "warning", *args],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def stop(workers):
    for worker in workers:
        os.killpg(worker.pid, 9)
        worker.wait()


def latency(args, box, replies, server, rng, RequestClock, InboundMail, ClockKind):
    """A worker with beat polls every --poll seconds, a second one reads; answers arrive at random moments;
    how long until each one's clock started."""
    import redis

    redis.Redis.from_url(REDIS).flushdb()
    workers = [start_worker("poller", {"MAIL_FETCH_SECONDS": str(args.poll)}, "-B", "-s",
                            str(ROOT / "var" / "mail-bench-beat")),
               start_worker("reader", {})]
    try:
        time.sleep(args.poll * 2)  # the worker is up and has read the mailbox once
        RequestClock.objects.filter(kind=ClockKind.NEXT_REPLY).delete()
        arrived = {}
        for n, reply in enumerate(rng.sample(replies, args.answers)):
            time.sleep(rng.uniform(0, args.poll / 3))
            raw = mail(sender=reply.request.customer.email, subject=f"Re: [{reply.request.reference}] answer",
                       text=f"Late answer {n}.", in_reply_to=reply.mail_id)
            server.deliver(box.address, raw)
            arrived[reply.request_id] = time.time()
        deadline = time.monotonic() + args.poll * 6
        while time.monotonic() < deadline:
            started = dict(RequestClock.objects.filter(kind=ClockKind.NEXT_REPLY, request_id__in=arrived)
                           .values_list("request_id", "started_at"))
            if len(started) == len(arrived):
                break
            time.sleep(0.5)
        waits = [started[pk].timestamp() - at for pk, at in arrived.items() if pk in started]
        print(f"arrival to clock started, {len(waits)} of {len(arrived)} answers (poll every {args.poll:.0f} s): "
              f"p50 {statistics.median(waits):.1f} s, p95 {percentile(waits, 0.95):.1f} s, max {max(waits):.1f} s "
              f"(bar: p95 under two polls = {2 * args.poll:.0f} s: "
              f"{'met' if percentile(waits, 0.95) < 2 * args.poll else 'NOT met'})")
    finally:
        stop(workers)


if __name__ == "__main__":
    main()

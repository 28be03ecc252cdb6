"""Timer benchmark: a million open requests; how fast a sweep finds what is due, and how late a burst of
10,000 deadlines falling due in the same minute is recorded by real Celery workers on Redis.

    python bench/timers_bench.py generate          # (re)create desk_bench_timers with 1,000,000 open requests
    python bench/timers_bench.py find              # time the sweep's claim query (no workers)
    python bench/timers_bench.py burst             # 10,000 deadlines in one minute, real workers, lateness
    python bench/timers_bench.py burst --window 0  # ... all 10,000 at the same instant

Environment: BENCH_DATABASE (default desk_bench_timers), BENCH_REDIS_URL (default redis://127.0.0.1:6379/1),
BENCH_WORKERS (worker processes, default 2), BENCH_SWEEP_SECONDS (beat interval, default 1).
"""

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATABASE = os.environ.get("BENCH_DATABASE", "desk_bench_timers")
DATABASE_URL = f"postgres://postgres@127.0.0.1/{DATABASE}"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/1")
os.environ.update(DATABASE_URL=DATABASE_URL, SECRET_KEY="bench", DEBUG="0", ALLOWED_HOSTS="localhost",
                  DJANGO_SETTINGS_MODULE="servicedesk.settings", LOG_LEVEL="WARNING")

import psycopg  # noqa: E402

TEAMS, MEMBERS_PER_TEAM, SERVICES, CUSTOMERS = 20, 6, 40, 100_000


def admin_sql(sql):
    with psycopg.connect("dbname=postgres host=127.0.0.1 user=postgres", autocommit=True) as conn:
        conn.execute(sql)


def django_setup():
    import django

    django.setup()


def step(label, started):
    print(f"  {label}: {time.perf_counter() - started:.1f} s", flush=True)


def generate(total: int) -> None:
    admin_sql(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    admin_sql(f'CREATE DATABASE "{DATABASE}"')
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True)
    django_setup()
    from catalogue.models import ServiceArea
    from requests_app.models import Commitment
    from teams.models import Membership, Site, Team, Unit, User

    started = time.perf_counter()
    site = Site.objects.create(code="bench", name="Bench site")
    unit = Unit.objects.create(code="bench", name="Bench unit",
                               manager=User.objects.create(username="manager", email="manager@example.org"))
    area = ServiceArea.objects.create(code="bench", name_fi="Bench")
    teams, members = [], {}
    for t in range(TEAMS):
        team = Team.objects.create(slug=f"team-{t}", name=f"Team {t}")
        team.units.add(unit)
        teams.append(team)
        for m in range(MEMBERS_PER_TEAM):
            user = User.objects.create(username=f"t{t}m{m}", email=f"t{t}m{m}@example.org", home_site=site)
            Membership.objects.create(team=team, user=user, role="lead" if m == 0 else "member")
            members.setdefault(team.pk, []).append(user.pk)
        for kind in ("first_reply", "resolution"):
            Commitment.objects.create(team=team, kind=kind, target_minutes=24 * 60 if kind == "first_reply" else 7200,
                                      hours="calendar", warn_percent=75, notify_on_warning=["assignee"],
                                      notify_on_breach=["assignee", "team_lead"], escalate_after_minutes=480)
    from catalogue.models import Service

    services = [Service.objects.create(code=f"svc-{s}", area=area, name_fi=f"Palvelu {s}", owning_team=teams[s % TEAMS])
                for s in range(SERVICES)]
    service_ids = [s.pk for s in services]
    team_ids = [s.owning_team_id for s in services]
    assignee_ids = [members[s.owning_team_id][1 + s.pk % (MEMBERS_PER_TEAM - 1)] for s in services]
    owner = members[teams[0].pk][1]
    step("organisation", started)

    with psycopg.connect(f"dbname={DATABASE} host=127.0.0.1 user=postgres", autocommit=True) as conn:
        started = time.perf_counter()
        conn.execute(
            "INSERT INTO requests_app_customer (kind, name, email, phone, business_id, language, created_at) "
            "SELECT 'person', 'Customer ' || g, 'c' || g || '@example.com', '', '', 'fi', now() "
            "FROM generate_series(1, %s) g", [CUSTOMERS])
        first_customer = conn.execute("SELECT min(id) FROM requests_app_customer").fetchone()[0]
        step("customers", started)
        started = time.perf_counter()
        conn.execute(
            """
            INSERT INTO requests_app_servicerequest
              (reference, service_id, team_id, customer_id, channel, subject, description, status,
               intake_owner_id, intake_site_id, assignee_id, created_at, updated_at, resolution, handoff_count,
               commitment_state, next_deadline_at)
            SELECT 'BT-' || lpad(g::text, 7, '0'), (%(svc)s::bigint[])[1 + g %% %(n)s],
                   (%(team)s::bigint[])[1 + g %% %(n)s], %(c0)s + g %% %(customers)s, 'phone',
                   'Bench request ' || g, '', 'open', %(owner)s, %(site)s, (%(assignee)s::bigint[])[1 + g %% %(n)s],
                   now() - interval '1 day' * random(), now(), '', 0, 'on_track', NULL
            FROM generate_series(1, %(total)s) g
            """,
            dict(svc=service_ids, team=team_ids, assignee=assignee_ids, n=SERVICES, c0=first_customer,
                 customers=CUSTOMERS, owner=owner, site=site.pk, total=total),
        )
        step(f"{total:,} open requests", started)
        started = time.perf_counter()
        conn.execute(
            """
            INSERT INTO requests_app_timelineevent (request_id, kind, actor_id, created_at, text, data)
            SELECT id, 'logged', intake_owner_id, created_at, '', '{}'::jsonb FROM requests_app_servicerequest
            """)
        step("timeline events", started)
        started = time.perf_counter()
        # Half the first replies are already met (not in the partial index); every resolution clock runs.
        # Nothing falls due for at least ten minutes: the burst places its own deadlines.
        conn.execute(
            """
            INSERT INTO requests_app_requestclock
              (request_id, kind, commitment_id, state, working_hours, pauses_when_waiting, notify_on_warning,
               notify_on_breach, started_at, deadline_at, warn_at, escalate_at, paused_seconds, met_at,
               next_check_at)
            SELECT r.id, k.kind, c.id, CASE WHEN k.kind = 'first_reply' AND r.id % 2 = 0 THEN 'met' ELSE 'running' END,
                   false, true, '["assignee"]', '["assignee", "team_lead"]', r.created_at, d.deadline, NULL,
                   d.deadline + interval '8 hours', 0,
                   CASE WHEN k.kind = 'first_reply' AND r.id % 2 = 0 THEN r.created_at + interval '1 hour' END,
                   CASE WHEN k.kind = 'first_reply' AND r.id % 2 = 0 THEN NULL ELSE d.deadline END
            FROM requests_app_servicerequest r
            CROSS JOIN (VALUES ('first_reply'), ('resolution')) AS k(kind)
            JOIN requests_app_commitment c ON c.team_id = r.team_id AND c.kind = k.kind
            CROSS JOIN LATERAL (SELECT now() + interval '10 minutes' + random() * interval '30 days' AS deadline) d
            """)
        conn.execute(
            """
            UPDATE requests_app_servicerequest r SET next_deadline_at = m.deadline
            FROM (SELECT request_id, min(deadline_at) AS deadline FROM requests_app_requestclock
                  WHERE next_check_at IS NOT NULL GROUP BY request_id) m
            WHERE m.request_id = r.id
            """)
        step("2 clocks per request", started)
        started = time.perf_counter()
        conn.execute("VACUUM ANALYZE")
        step("vacuum analyze", started)
        counts = conn.execute(
            "SELECT (SELECT count(*) FROM requests_app_servicerequest WHERE status <> 'resolved'), "
            "(SELECT count(*) FROM requests_app_requestclock), "
            "(SELECT count(*) FROM requests_app_requestclock WHERE next_check_at IS NOT NULL)").fetchone()
        print(f"  open requests {counts[0]:,}; clocks {counts[1]:,}; clocks with a next check {counts[2]:,}")


CLAIM_SQL = """
SELECT c.*, r.team_id, r.assignee_id, r.reference, r.subject, r.commitment_state, r.next_deadline_at
FROM requests_app_requestclock c JOIN requests_app_servicerequest r ON r.id = c.request_id
WHERE c.next_check_at <= now() ORDER BY c.next_check_at LIMIT 500
FOR NO KEY UPDATE OF c, r SKIP LOCKED
"""


def find(due: int = 500, rounds: int = 50) -> dict:
    """Time the sweep's claim: first with nothing due (the usual case), then with `due` clocks due."""
    results = {}
    with psycopg.connect(f"dbname={DATABASE} host=127.0.0.1 user=postgres") as conn:
        # The query as Django sends it (the ORM's own SQL, so the figure is the product's).
        django_setup()
        from django.db import connection, transaction
        from django.utils import timezone

        from requests_app.commitments.timers import CLOCK_FIELDS, REQUEST_FIELDS
        from requests_app.models import RequestClock

        def orm_claim():
            with transaction.atomic():
                started = time.perf_counter()
                rows = list(
                    RequestClock.objects.filter(next_check_at__lte=timezone.now()).order_by("next_check_at")
                    .select_related("request").only(*CLOCK_FIELDS, *REQUEST_FIELDS)
                    .select_for_update(skip_locked=True, no_key=True, of=("self", "request"))[:500])
                elapsed = time.perf_counter() - started
                transaction.set_rollback(True)
            return elapsed, len(rows)

        for label in ("nothing due", f"{due} due"):
            if label != "nothing due":
                conn.execute(
                    "UPDATE requests_app_requestclock SET next_check_at = now() - interval '1 minute', "
                    "deadline_at = now() - interval '1 minute' WHERE id IN (SELECT id FROM requests_app_requestclock "
                    "WHERE next_check_at IS NOT NULL ORDER BY random() LIMIT %s) RETURNING id", [due])
                conn.commit()
            orm_claim()  # warm the connection and the plan
            timings, found = [], 0
            for _ in range(rounds):
                elapsed, found = orm_claim()
                timings.append(elapsed * 1000)
            timings.sort()
            results[label] = {"found": found, "median_ms": round(statistics.median(timings), 2),
                              "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 2), "max_ms": round(timings[-1], 2)}
            print(f"  claim with {label}: found {found}; median {results[label]['median_ms']} ms, "
                  f"p95 {results[label]['p95_ms']} ms, max {results[label]['max_ms']} ms")
        plan = conn.execute("EXPLAIN (ANALYZE, BUFFERS) " + CLAIM_SQL).fetchall()
        conn.rollback()
        print("  plan:\n    " + "\n    ".join(row[0] for row in plan))
        # Put those clocks back out of the way, so the burst starts clean.
        conn.execute("UPDATE requests_app_requestclock SET next_check_at = now() + interval '10 days', "
                     "deadline_at = now() + interval '10 days' WHERE next_check_at < now() + interval '10 minutes'")
        conn.commit()
        connection.close()
    return results


def start_workers(count: int, sweep_seconds: float, var_dir: str):
    env = {**os.environ, "CELERY_BROKER_URL": REDIS_URL, "TIMER_SWEEP_SECONDS": str(sweep_seconds),
           "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend", "DESK_VAR_DIR": var_dir,
           "DB_CONN_MAX_AGE": "600"}
    processes = []
    for n in range(count):
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "servicedesk", "worker", "-P", "solo", "-n", f"bench{n}@%h",
             "-l", "warning", "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=open(f"{var_dir}/w{n}.log", "w"),
        ))
    processes.append(subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "servicedesk", "beat", "-l", "warning",
         "-s", f"{var_dir}/celerybeat-schedule"],
        cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=open(f"{var_dir}/beat.log", "w"),
    ))
    return processes


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def burst(size: int = 10_000, window: float = 60.0, lead_in: float = 15.0) -> dict:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    workers = int(os.environ.get("BENCH_WORKERS", "2"))
    sweep_seconds = float(os.environ.get("BENCH_SWEEP_SECONDS", "1"))
    with psycopg.connect(f"dbname={DATABASE} host=127.0.0.1 user=postgres") as conn:
        for table in ("notification", "timeroutcome"):
            conn.execute(f"DELETE FROM requests_app_{table}")
        conn.execute("DELETE FROM requests_app_timelineevent WHERE kind <> 'logged'")
        # `size` running resolution clocks fall due evenly over one minute, starting `lead_in` s from now.
        start = conn.execute("SELECT now() + make_interval(secs => %s)", [lead_in]).fetchone()[0]
        conn.execute(
            """
            WITH chosen AS (
              SELECT id, row_number() OVER () AS n FROM (
                SELECT id FROM requests_app_requestclock WHERE kind = 'resolution' AND state = 'running'
                  AND next_check_at > now() + interval '5 minutes'
                ORDER BY random() LIMIT %(size)s) s)
            UPDATE requests_app_requestclock c
            SET deadline_at = %(start)s + make_interval(secs => %(window)s * (chosen.n - 1) / %(size)s),
                next_check_at = %(start)s + make_interval(secs => %(window)s * (chosen.n - 1) / %(size)s),
                warn_at = NULL, warned_at = NULL, breached_at = NULL, escalated_at = NULL, state = 'running'
            FROM chosen WHERE c.id = chosen.id
            """, dict(size=size, start=start, window=window))
        conn.commit()
        var_dir = tempfile.mkdtemp(prefix="timers-bench-")
        processes = start_workers(workers, sweep_seconds, var_dir)
        seen: dict[int, float] = {}
        deadlines: dict[int, float] = {}
        try:
            limit = time.time() + lead_in + window + 120
            while len(seen) < size and time.time() < limit:
                rows = conn.execute(
                    "SELECT id, extract(epoch FROM deadline_at) FROM requests_app_timeroutcome WHERE kind = 'breach'"
                ).fetchall()
                conn.commit()
                now = time.time()
                for outcome_id, deadline in rows:
                    if outcome_id not in seen:
                        seen[outcome_id], deadlines[outcome_id] = now, float(deadline)
                time.sleep(0.1)
            all_recorded = time.time()
            # Mail goes after commit, on its own queue; note when the last one has left.
            while time.time() < limit and conn.execute(
                    "SELECT count(*) FROM requests_app_notification WHERE emailed_at IS NULL").fetchone()[0]:
                conn.commit()
                time.sleep(0.2)
            conn.commit()
            mail_done = time.time()
        finally:
            for process in processes:
                os.killpg(process.pid, signal.SIGTERM)
            for process in processes:
                process.wait(20)
        counts = conn.execute(
            "SELECT (SELECT count(*) FROM requests_app_timeroutcome WHERE kind = 'breach'), "
            "(SELECT count(*) FROM requests_app_timelineevent WHERE kind = 'commitment_breached'), "
            "(SELECT count(*) FROM requests_app_notification), "
            "(SELECT count(*) FROM requests_app_notification WHERE emailed_at IS NOT NULL)").fetchone()
    lateness = [seen[i] - deadlines[i] for i in seen]
    result = {
        "deadlines": size, "window_s": window, "workers": workers, "sweep_every_s": sweep_seconds,
        "recorded": counts[0], "timeline_events": counts[1], "notifications": counts[2], "mailed": counts[3],
        "last_deadline_to_all_recorded_s": round(all_recorded - max(deadlines.values()), 2) if deadlines else None,
        "last_deadline_to_all_mailed_s": round(mail_done - max(deadlines.values()), 2) if deadlines else None,
        "lateness_s": {p: round(percentile(lateness, q), 2) for p, q in
                       (("p50", 50), ("p95", 95), ("p99", 99), ("max", 100))} if lateness else None,
    }
    print(json.dumps(result, indent=2))
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["generate", "find", "burst", "all"])
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--burst-size", type=int, default=10_000)
    parser.add_argument("--window", type=float, default=60.0, help="seconds over which the burst falls due")
    args = parser.parse_args()
    random.seed(1)
    if args.what in ("generate", "all"):
        print(f"Generating {args.requests:,} open requests in {DATABASE}")
        generate(args.requests)
    if args.what in ("find", "all"):
        print("Sweep claim query")
        find()
    if args.what in ("burst", "all"):
        print(f"Burst: {args.burst_size:,} deadlines in one minute")
        burst(args.burst_size, window=args.window)


if __name__ == "__main__":
    main()

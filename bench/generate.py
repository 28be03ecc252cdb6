"""Fill a PostgreSQL database with a large, realistic service desk: by default 1,000,000 requests from
200,000 customers over two years, worked by the demo organisation's twelve teams (grown to ~300 staff).

    python bench/generate.py                                  # desk_bench, 1,000,000 requests
    python bench/generate.py --database desk_small --requests 50000 --customers 10000

The database is dropped and created again, migrated, and given the demo organisation (sites, unit tree,
service areas, 45 services with owning teams and commitments). Then, in bulk (COPY and INSERT ... SELECT,
not the domain operations: those take ~10 ms a request, three hours for a million):

- requests: volume grows ~30 % over the two years, weekdays carry most of it (less in July and at
  Christmas), office hours most of the day; services follow a Zipf-like popularity; channels e-mail 35 %,
  web 25 %, phone 20 %, desk 15 %, callback 5 %; 5 % of requests come from 40 organisations with ~1,250
  requests each (their customer pages are the heavy ones), the rest from a skewed 200,000-customer base;
- states by age: almost everything older than a month is resolved; the last days hold the open backlog
  (new and unclaimed, claimed, waiting for the customer);
- 8 % of requests were handed off once and 1.5 % twice (Handoff rows, from another team's service);
- first reply ~ log-normal (median 4 h), resolution ~ log-normal (median 1.5 days) after it;
- clocks: first reply (deadline one day after logging, warning at 75 %) and resolution (seven days) for
  every request, a callback clock for callback requests, with their met/breached/paused states,
  outcomes, timeline events and the request's commitment summary, as the timers would have left them.
  Deadlines are calendar approximations of the teams' working-hour commitments (8 working hours ≈ one
  day, 5 working days ≈ one week): close enough for load, and consistent within the data;
- a reply message per first reply, breach reviews for a third of the breached requests.

Everything is drawn from a seeded random generator: the same arguments give the same data.
"""

import argparse
import datetime as dt
import math
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)
CHANNELS = [("email", 35), ("web", 25), ("phone", 20), ("desk", 15), ("callback", 5)]
HEAVY_CUSTOMERS, HEAVY_SHARE = 40, 0.05
EXTRA_STAFF, FRONT_DESK = 260, 24
SUBJECT_SHAPES = [
    "Question about {name}", "{name}: still waiting for an answer", "Problem with {name}",
    "Need help with {name}", "{name} for a new colleague", "Change to {name}", "{name} does not work",
]
FIRST_REPLY_TARGET, RESOLUTION_TARGET, CALLBACK_TARGET = DAY, 7 * DAY, 4 * HOUR
CHUNK = 50_000


def step(label, started):
    print(f"  {label}: {time.perf_counter() - started:.1f} s", flush=True)


def admin_sql(sql):
    import psycopg

    with psycopg.connect("dbname=postgres host=127.0.0.1 user=postgres", autocommit=True) as conn:
        conn.execute(sql)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="desk_bench")
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=200_000)
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--now", type=dt.datetime.fromisoformat, default=None,
                        help="the moment the data ends, ISO 8601 with its offset (default: now)")
    args = parser.parse_args()
    os.environ.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1/{args.database}", SECRET_KEY="bench", DEBUG="0",
        DJANGO_SETTINGS_MODULE="servicedesk.settings",
    )
    total = time.perf_counter()
    started = time.perf_counter()
    admin_sql(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
    admin_sql(f'CREATE DATABASE "{args.database}"')
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True)
    step("database and migrations", started)

    import django

    django.setup()
    Generator(args).run()
    step("all", total)


class Generator:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        from django.utils import timezone

        # The data ends at `now`: pass it for the same data on any day (the tests do).
        self.now = (getattr(args, "now", None) or timezone.now()).replace(microsecond=0)

    def run(self):
        from django.db import connection

        started = time.perf_counter()
        self.organisation()
        step("organisation and staff", started)
        connection.ensure_connection()
        conn = connection.connection
        conn.autocommit = True
        conn.execute("SET synchronous_commit = off")
        started = time.perf_counter()
        self.customers(conn)
        step(f"{self.args.customers:,} customers", started)
        started = time.perf_counter()
        made = self.requests(conn)
        step(f"{made:,} requests, their clocks, hand-offs and callbacks", started)
        started = time.perf_counter()
        self.derived(conn)
        step("timeline events, outcomes, messages, breach reviews", started)
        started = time.perf_counter()
        conn.execute("VACUUM ANALYZE")
        step("vacuum analyze", started)
        started = time.perf_counter()
        from requests_app.dashboards import figures

        rows = figures.refresh_all(now=self.now)
        conn.execute("VACUUM ANALYZE requests_app_dailyfigures")
        step(f"dashboard figures ({rows:,} daily rows)", started)
        for table in ("customer", "servicerequest", "timelineevent", "requestclock", "timeroutcome", "handoff",
                      "message", "callbackrequest", "breachreview"):
            count = conn.execute(f"SELECT count(*) FROM requests_app_{table}").fetchone()[0]
            print(f"  {table}: {count:,}")
        size = conn.execute("SELECT pg_size_pretty(pg_database_size(current_database()))").fetchone()[0]
        print(f"  database size: {size}")

    # --- the organisation ----------------------------------------------------------------------------------

    def organisation(self):
        from django.contrib.auth.hashers import make_password

        from requests_app.demo import build_organisation
        from requests_app.demo.organisation import FIRST_NAMES, LAST_NAMES
        from requests_app.models import Commitment
        from teams.models import Membership, User

        seeder = build_organisation()
        sites, units = list(seeder.sites.values()), list(seeder.units.values())
        password = make_password("bench-desk-2026")
        rng = self.rng
        staff = User.objects.bulk_create(
            User(username=f"staff{n:03d}", first_name=rng.choice(FIRST_NAMES), last_name=rng.choice(LAST_NAMES),
                 email=f"staff{n:03d}@agency.example.fi", home_site=sites[n % len(sites)],
                 home_unit=units[n % len(units)], title="Specialist", password=password)
            for n in range(EXTRA_STAFF)
        )
        teams = list(seeder.teams.values())
        # Most of the new staff join one team, some two; the front desk joins none.
        Membership.objects.bulk_create(
            [Membership(team=teams[n % len(teams)], user=person) for n, person in enumerate(staff[FRONT_DESK:])]
            + [Membership(team=teams[(n * 5 + 3) % len(teams)], user=person)
               for n, person in enumerate(staff[FRONT_DESK::4])
               if (n * 5 + 3) % len(teams) != (FRONT_DESK + 4 * n) % len(teams)],
            ignore_conflicts=True,
        )
        self.sites_of = dict(User.objects.values_list("pk", "home_site_id"))
        self.front_desk = [p.pk for p in staff[:FRONT_DESK]] + [seeder.front_desk.pk]
        self.everyone = list(self.sites_of)
        self.members = {}
        for team_id, user_id in Membership.objects.values_list("team_id", "user_id").order_by("team_id", "user_id"):
            self.members.setdefault(team_id, []).append(user_id)
        self.leads = {team.pk: team.leads[0].pk for team in teams}
        services = sorted(seeder.services.values(), key=lambda s: s.code)
        rng.shuffle(services)
        self.services = [(s.pk, s.owning_team_id, s.name_en) for s in services]
        # Zipf-like popularity: the most asked-for service gets ~25 times the least.
        self.service_weights = list(_cumulative(1 / (rank + 1) ** 0.85 for rank in range(len(services))))
        self.commitments = {
            (team_id, kind): pk for pk, team_id, kind in Commitment.objects.values_list("pk", "team_id", "kind")
        }

    # --- customers -----------------------------------------------------------------------------------------

    def customers(self, conn):
        from requests_app.demo.organisation import FIRST_NAMES, LAST_NAMES

        rng, count = self.rng, self.args.customers
        organisations = max(HEAVY_CUSTOMERS, count // 20)
        created = self.now - dt.timedelta(days=self.args.days + 30)
        self.customer_names = [""]  # by id; requests carry their customer's name
        self.customer_emails = [""]  # and the address they were logged with
        with conn.cursor().copy(
            "COPY requests_app_customer (id, kind, name, email, phone, business_id, language, created_at) FROM STDIN"
        ) as copy:
            for n in range(1, count + 1):
                if n <= organisations:
                    suffix = rng.choice(["Oy", "Oy", "Ab", "Ky", "ry", "kunta", "Oyj"])
                    name = f"{rng.choice(LAST_NAMES)} {rng.choice(['Rakennus', 'Palvelu', 'Tekniikka', 'Kuljetus', 'Konsultointi', 'Tarvike', 'Kiinteistö'])} {suffix} {n}"
                    self.customer_names.append(name)
                    self.customer_emails.append(f"info{n}@company.example.fi")
                    copy.write_row((n, "organisation", name, f"info{n}@company.example.fi",
                                    f"+358 9 {1000000 + n}", f"{2000000 + n}-{n % 10}", "fi", created))
                else:
                    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                    language = "sv" if rng.random() < 0.06 else ("en" if rng.random() < 0.03 else "fi")
                    email = f"{first}.{last}.{n}@mail.example.fi".lower().replace("ä", "a").replace("ö", "o")
                    self.customer_names.append(f"{first} {last}")
                    self.customer_emails.append(email)
                    copy.write_row((n, "person", f"{first} {last}", email,
                                    f"+358 40 {rng.randint(1000000, 9999999)}", "", language, created))
        conn.execute("SELECT setval(pg_get_serial_sequence('requests_app_customer', 'id'), %s)", [count])
        self.organisations = organisations

    def customer_id(self):
        rng = self.rng
        if rng.random() < HEAVY_SHARE:
            return rng.randint(1, HEAVY_CUSTOMERS)
        # Skewed: a few people ask often, most once or twice.
        return HEAVY_CUSTOMERS + 1 + int((self.args.customers - HEAVY_CUSTOMERS) * rng.random() ** 1.6)

    # --- requests ------------------------------------------------------------------------------------------

    def logged_times(self, count):
        """Two years of arrival times: growth, weekdays, holidays, office hours; sorted."""
        rng, days = self.rng, self.args.days
        start = (self.now - dt.timedelta(days=days)).replace(hour=0, minute=0, second=0)
        weights = []
        for d in range(days + 1):
            day = start + d * DAY
            weight = (1 + 0.3 * d / days) * (1.2, 1.0, 1.0, 1.0, 0.8, 0.12, 0.08)[day.weekday()]
            if day.month == 7:
                weight *= 0.55
            if day.month == 12 and day.day >= 22 or day.month == 1 and day.day <= 6:
                weight *= 0.5
            weights.append(weight)
        cumulative = list(_cumulative(weights))
        times = []
        for d in rng.choices(range(days + 1), cum_weights=cumulative, k=count):
            day = start + d * DAY
            if day.weekday() < 5 and rng.random() < 0.9:
                seconds = rng.triangular(5 * 3600, 15 * 3600, 8 * 3600)  # 07–17 Finnish time
            else:
                seconds = rng.uniform(0, 86400)
            moment = day + dt.timedelta(seconds=int(seconds))
            times.append(moment if moment < self.now else self.now - dt.timedelta(seconds=rng.randint(60, 86400)))
        times.sort()
        return times

    def requests(self, conn):
        from django.conf import settings
        from django.utils import timezone

        rng, now, count = self.rng, self.now, self.args.requests
        times = self.logged_times(count)
        channel_names = [name for name, _w in CHANNELS]
        channel_weights = list(_cumulative(w for _n, w in CHANNELS))
        counters = {}
        request_rows, clock_rows, handoff_rows, callback_rows = [], [], [], []
        clock_id = handoff_id = 0
        for request_id, created in enumerate(times, start=1):
            if len(request_rows) >= CHUNK:
                self.flush(conn, request_rows, clock_rows, handoff_rows, callback_rows)
            year = timezone.localtime(created).year
            counters[year] = counters.get(year, 0) + 1
            reference = f"{settings.DESK_REFERENCE_PREFIX}-{year}-{counters[year]:06d}"
            service_id, team_id, service_name = rng.choices(self.services, cum_weights=self.service_weights)[0]
            channel = rng.choices(channel_names, cum_weights=channel_weights)[0]
            intake = rng.choice(self.front_desk) if rng.random() < 0.3 else rng.choice(self.everyone)
            subject = rng.choice(SUBJECT_SHAPES).format(name=service_name.lower()).capitalize()
            age = now - created

            # Hand-offs happen early, before the first reply: the request first went to another team's service.
            handoffs = 2 if rng.random() < 0.015 else (1 if rng.random() < 0.08 else 0)
            at = created
            # Each move goes to another team: back to an earlier one is allowed, to the same one is not.
            path = [(service_id, team_id, service_name)]
            for _ in range(handoffs):
                path.insert(0, rng.choice([s for s in self.services if s[1] != path[0][1]]))
            for (from_service, from_team, _n), (to_service, to_team, _m) in zip(path, path[1:]):
                at = min(at + dt.timedelta(minutes=rng.randint(10, 600)), now)
                handoff_id += 1
                handoff_rows.append((handoff_id, request_id, from_service, to_service, from_team, to_team,
                                     rng.choice(self.members[from_team]),
                                     "Not ours: this belongs to the service that handles it, passing it on.",
                                     self.sites_of.get(intake), at))

            # Where it stands today.
            p_resolved = (0.15 if age < DAY else 0.6 if age < 7 * DAY else 0.93 if age < 30 * DAY
                          else 0.99 if age < 60 * DAY else 0.998)
            resolved = rng.random() < p_resolved
            first_reply = created + dt.timedelta(hours=rng.lognormvariate(math.log(4), 1.3))
            if at > created:
                first_reply = max(first_reply, at + dt.timedelta(minutes=30))
            resolved_at = None
            if resolved:
                resolved_at = first_reply + dt.timedelta(days=rng.lognormvariate(math.log(1.5), 1.1))
                if resolved_at >= now:
                    resolved = False
                    resolved_at = None
            if not resolved and first_reply >= now:
                first_reply = None
            waiting = not resolved and first_reply is not None and rng.random() < 0.2
            claimed = resolved or first_reply is not None or rng.random() < 0.5
            assignee = rng.choice(self.members[team_id]) if claimed else None
            status = ("resolved" if resolved else "waiting" if waiting else "open" if claimed else "new")

            # Clocks, as the timers would have left them.
            kinds = [("first_reply", FIRST_REPLY_TARGET, first_reply), ("resolution", RESOLUTION_TARGET, resolved_at)]
            if channel == "callback":
                called = created + dt.timedelta(hours=rng.lognormvariate(math.log(1.5), 0.8))
                if called >= now or (not resolved and first_reply is None and rng.random() < 0.5):
                    called = None
                kinds.append(("callback", CALLBACK_TARGET, called))
                window_start = created + dt.timedelta(minutes=rng.randint(15, 120))
                callback_rows.append((request_id, f"+358 40 {rng.randint(1000000, 9999999)}", window_start,
                                      window_start + 2 * HOUR, called))
            paused_at = (first_reply + dt.timedelta(minutes=rng.randint(5, 240))) if waiting else None
            if paused_at is not None and paused_at >= now:
                paused_at = now - dt.timedelta(minutes=1)
            summary_states, live_deadlines = [], []
            for kind, target, done_at in kinds:
                deadline = created + target
                warn = created + target * 0.75
                commitment = self.commitments.get((team_id, kind))
                state, met_at, breached_at, warned_at, next_check = "running", None, None, None, None
                escalate = deadline + 8 * HOUR if kind == "first_reply" else None
                escalated = None
                if done_at is not None:
                    met_at = done_at
                    breached_at = deadline if done_at > deadline else None
                    warned_at = warn if done_at > warn else None
                    state = "breached" if breached_at else "met"
                    if breached_at and escalate and done_at > escalate:
                        escalated = escalate
                elif paused_at is not None and paused_at < deadline:
                    state, warned_at = "paused", (warn if paused_at > warn else None)
                elif now >= deadline:
                    state, breached_at, warned_at = "breached", deadline, warn
                    if escalate and now >= escalate:
                        escalated = escalate
                    else:
                        next_check = escalate
                else:
                    warned_at = warn if now >= warn else None
                    next_check = deadline if warned_at else warn
                if state in ("running", "breached") and met_at is None:
                    live_deadlines.append(deadline)
                summary_states.append((state, met_at, breached_at, warned_at))
                clock_id += 1
                clock_rows.append((
                    clock_id, request_id, kind, commitment, state, kind != "callback", True,
                    '["assignee"]', '["assignee", "team_lead"]', created, deadline, warn, escalate,
                    paused_at if state == "paused" else None, 0, warned_at, breached_at, escalated, met_at,
                    next_check,
                ))
            commitment_state = _summary(summary_states)
            customer = self.customer_id()
            request_rows.append((
                request_id, reference, service_id, team_id, customer, self.customer_names[customer],
                self.customer_emails[customer], channel, subject,
                f"The customer asks: {subject.lower()}.", status, intake, self.sites_of.get(intake), assignee,
                created, resolved_at or paused_at or first_reply or created, first_reply, resolved_at,
                "Done; the customer has been told." if resolved else "", handoffs, commitment_state,
                min(live_deadlines) if live_deadlines and status != "resolved" else None,
            ))
        self.flush(conn, request_rows, clock_rows, handoff_rows, callback_rows)
        for table, last in (("servicerequest", count), ("requestclock", clock_id), ("handoff", handoff_id)):
            conn.execute(f"SELECT setval(pg_get_serial_sequence('requests_app_{table}', 'id'), %s)", [max(last, 1)])
        with conn.cursor() as cursor:
            cursor.executemany("INSERT INTO requests_app_referencecounter (year, last_number) VALUES (%s, %s)",
                               list(counters.items()))
        return count

    @staticmethod
    def flush(conn, request_rows, clock_rows, handoff_rows, callback_rows):
        """Write what is drawn so far, in chunks, so memory stays flat at any size."""
        _copy(conn, "requests_app_servicerequest",
              "id, reference, service_id, team_id, customer_id, customer_name, reply_to, channel, subject, description, "
              "status, "
              "intake_owner_id, intake_site_id, assignee_id, created_at, updated_at, first_reply_at, resolved_at, "
              "resolution, handoff_count, commitment_state, next_deadline_at", request_rows)
        _copy(conn, "requests_app_requestclock",
              "id, request_id, kind, commitment_id, state, working_hours, pauses_when_waiting, notify_on_warning, "
              "notify_on_breach, started_at, deadline_at, warn_at, escalate_at, paused_at, paused_seconds, "
              "warned_at, breached_at, escalated_at, met_at, next_check_at", clock_rows)
        _copy(conn, "requests_app_handoff",
              "id, request_id, from_service_id, to_service_id, from_team_id, to_team_id, by_id, note, intake_site_id, "
              "created_at",
              handoff_rows)
        _copy(conn, "requests_app_callbackrequest", "request_id, phone, window_start, window_end, called_at",
              callback_rows)
        for rows in (request_rows, clock_rows, handoff_rows, callback_rows):
            rows.clear()

    def derived(self, conn):
        """What the domain operations would have written alongside: events, outcomes, messages, reviews."""
        statements = [
            # The request was logged, claimed, replied to, paused, resolved.
            """INSERT INTO requests_app_timelineevent (request_id, kind, actor_id, created_at, text, data)
               SELECT id, 'logged', intake_owner_id, created_at, description,
                      jsonb_build_object('channel', channel) FROM requests_app_servicerequest""",
            f"""INSERT INTO requests_app_timelineevent (request_id, kind, actor_id, created_at, text, data)
               SELECT id, 'claimed', assignee_id,
                      created_at + (coalesce(first_reply_at, '{self.now.isoformat()}') - created_at) * 0.3, '',
                      '{{}}'::jsonb
               FROM requests_app_servicerequest WHERE assignee_id IS NOT NULL""",
            """INSERT INTO requests_app_timelineevent (request_id, kind, actor_id, created_at, text, data)
               SELECT h.request_id, 'handed_off', h.by_id, h.created_at, h.note,
                      jsonb_build_object('from_team', h.from_team_id, 'to_team', h.to_team_id, 'handoff', h.id)
               FROM requests_app_handoff h""",
            """INSERT INTO requests_app_message (request_id, direction, author_id, body, to_email, created_at, sent_at)
               SELECT r.id, 'out', r.assignee_id, 'Thank you, we are looking into this.', c.email,
                      r.first_reply_at, r.first_reply_at
               FROM requests_app_servicerequest r JOIN requests_app_customer c ON c.id = r.customer_id
               WHERE r.first_reply_at IS NOT NULL""",
            """INSERT INTO requests_app_timelineevent (request_id, kind, actor_id, created_at, text, data)
               SELECT request_id, 'replied', author_id, created_at, body, jsonb_build_object('message', id)
               FROM requests_app_message""",
            """INSERT INTO requests_app_timelineevent (request_id, kind, actor_id, created_at, text, data)
               SELECT request_id, 'waiting', r.assignee_id, c.paused_at, 'Asked the customer for details.', '{}'::jsonb
               FROM requests_app_requestclock c JOIN requests_app_servicerequest r ON r.id = c.request_id
               WHERE c.kind = 'resolution' AND r.status = 'waiting' AND c.paused_at IS NOT NULL""",
            """INSERT INTO requests_app_timelineevent (request_id, kind, actor_id, created_at, text, data)
               SELECT id, 'resolved', assignee_id, resolved_at, resolution, '{}'::jsonb
               FROM requests_app_servicerequest WHERE resolved_at IS NOT NULL""",
            # Outcomes the timers recorded: warnings, breaches, escalations, and each met clock.
            """INSERT INTO requests_app_timeroutcome (request_id, clock_id, clock_kind, deadline_at, kind, team_id,
                                                      service_id, intake_site_id, created_at)
               SELECT c.request_id, c.id, c.kind, c.deadline_at, o.kind, r.team_id, r.service_id, r.intake_site_id, o.at
               FROM requests_app_requestclock c JOIN requests_app_servicerequest r ON r.id = c.request_id
               CROSS JOIN LATERAL (VALUES ('warning', c.warned_at), ('breach', c.breached_at),
                                          ('escalation', c.escalated_at), ('met', c.met_at)) AS o(kind, at)
               WHERE o.at IS NOT NULL""",
            """INSERT INTO requests_app_timelineevent (request_id, kind, actor_id, created_at, text, data)
               SELECT request_id, CASE kind WHEN 'warning' THEN 'commitment_warning'
                                            WHEN 'breach' THEN 'commitment_breached'
                                            WHEN 'escalation' THEN 'escalated' ELSE 'commitment_met' END,
                      NULL, created_at, '', jsonb_build_object('clock', clock_kind, 'outcome', id)
               FROM requests_app_timeroutcome""",
            # A third of the breached, resolved requests got their team's review.
            """INSERT INTO requests_app_breachreview (request_id, team_id, what_happened, what_we_change,
                                                      written_by_id, written_at, updated_at)
               SELECT id, team_id, 'The request waited in the queue over a busy week.',
                      'The lead checks unclaimed requests every morning.', assignee_id,
                      resolved_at + interval '1 day', resolved_at + interval '1 day'
               FROM requests_app_servicerequest
               WHERE status = 'resolved' AND commitment_state = 'breached' AND id % 3 = 0""",
        ]
        for sql in statements:
            conn.execute(sql)


def _summary(states) -> str:
    """The request's commitment state, by the same rule as `requests_app.clocks.summarise`."""
    live = [s for s in states if s[1] is None and s[0] != "met"]
    if any(s[0] == "breached" for s in live):
        return "breached"
    running = [s for s in live if s[0] == "running"]
    if running:
        return "warning" if any(s[3] for s in running) else "on_track"
    if live:
        return "paused"
    return "breached" if any(s[2] for s in states) else "met"


def _cumulative(weights):
    total = 0.0
    for weight in weights:
        total += weight
        yield total


def _copy(conn, table, columns, rows):
    with conn.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


if __name__ == "__main__":
    main()

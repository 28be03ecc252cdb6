"""Queue and customer pages on the generated million-request desk (bench/generate.py).

    python bench/generate.py                                   # once: desk_bench (1,000,000 requests)
    DATABASE_URL=postgres://postgres@127.0.0.1/desk_bench python manage.py migrate
    python bench/queue_bench.py [--database desk_bench] [--repeat 20]

Every page is rendered by the real view through Django's test client (URL routing, middleware, session,
filters, template): the time is the server's, without the network. Each case runs `--repeat` times after
one warm-up; the figures are per case and over all cases. The number of SQL queries of every queue page is
recorded too: it must not depend on the filters or the data.
"""

import argparse
import re
import statistics
import sys
import time
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pages import machine_speed, percentile, set_up_django, verdict  # noqa: E402

QUEUE_BAR_MS, CUSTOMER_BAR_MS, QUERY_BUDGET = 50, 100, 12


def walk_to_page(client, url, params):
    """Page N of a keyset-paged list is reached the way a person gets there: by following "Next"."""
    params = dict(params)
    for _ in range(int(params.pop("page", 1)) - 1):
        html = client.get(url, params).content.decode()
        found = re.search(r'href="\?([^"]*)" rel="next"', html)
        params = {key: values[-1] for key, values in parse_qs(unescape(found.group(1))).items()}
    return params


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="desk_bench")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    set_up_django(args.database)
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from catalogue.models import CustomerGroup
    from requests_app.models import Customer, ServiceRequest
    from teams.models import Membership, Team

    big = Team.objects.get(slug="network")
    member = Membership.objects.filter(team=big, role="member").select_related("user").first().user
    two_teams = (Membership.objects.values("user").annotate(n=Count("team")).filter(n__gte=2).order_by("user")
                 .values_list("user", flat=True).first())
    open_rows = ServiceRequest.objects.filter(team=big).exclude(status="resolved")
    service = open_rows.values_list("service", flat=True).first()
    area = ServiceRequest.objects.filter(team=big).values_list("service__area", flat=True).first()
    site = open_rows.exclude(intake_site=None).values_list("intake_site", flat=True).first()
    group = CustomerGroup.objects.filter(services__owning_team=big).values_list("pk", flat=True).first()
    sample = ServiceRequest.objects.filter(team=big, status="resolved").select_related("customer").order_by("-pk")[1234]
    surname = sample.customer.name.split()[-1]
    heavy = (ServiceRequest.objects.values("customer").annotate(n=Count("pk"))
             .filter(n__gte=500).order_by("n").first())

    queue = reverse("requests:queue")
    team = {"team": big.slug}
    cases = {
        "open, newest first": team,
        "open, next deadline first": team | {"sort": "deadline"},
        "open, oldest first": team | {"sort": "oldest"},
        "unclaimed": team | {"assignee": "none"},
        "claimed by me": team | {"assignee": "me"},
        "claimed by anyone, page 3": team | {"assignee": "anyone", "page": 3},
        "breached": team | {"commitment": "breached"},
        "warning, deadline first": team | {"commitment": "warning", "sort": "deadline"},
        "one service": team | {"service": service},
        "service area": team | {"area": area},
        "customer group": team | {"customer_group": group},
        "intake site": team | {"site": site},
        "channel phone": team | {"channel": "phone"},
        "older than 3 days": team | {"older_than": "3"},
        "resolved, newest": team | {"status": "resolved"},
        "resolved, oldest": team | {"status": "resolved", "sort": "oldest"},
        "resolved, page 2": team | {"status": "resolved", "page": 2},
        "resolved, page 200": team | {"status": "resolved", "page": 200},
        "resolved in one month": team | {"status": "resolved", "created_after": "2026-03-01",
                                         "created_before": "2026-03-31"},
        "resolved, e-mail, one service, oldest": team | {"status": "resolved", "channel": "email",
                                                         "service": service, "sort": "oldest"},
        "search: reference": team | {"q": sample.reference, "status": "resolved"},
        "search: customer surname": team | {"q": surname},
        "search: customer surname, resolved": team | {"q": surname, "status": "resolved"},
        "search: subject word": team | {"q": "wireless"},
        "search: subject word, resolved": team | {"q": "wireless", "status": "resolved"},
        "all my teams (combined), open": {},
        "all my teams, resolved, deadline sort": {"status": "resolved", "sort": "deadline"},
    }

    print(f"machine speed before: {machine_speed():.2f} s for the reference loop")
    client = Client()
    client.force_login(member)
    results, counts = [], {}
    print(f"{'case':45} {'rows':>4} {'queries':>7} {'sql ms':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for label, params in cases.items():
        who = member
        if not params.get("team") and two_teams:
            from teams.models import User

            who = User.objects.get(pk=two_teams)
        client.force_login(who)
        params = walk_to_page(client, queue, params)
        client.get(queue, params)  # warm
        timings, sql = [], []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(queue, params)
                timings.append((time.perf_counter() - started) * 1000)
            sql.append(sum(float(query["time"]) for query in queries.captured_queries) * 1000)
            assert response.status_code == 200, (label, response.status_code, response.content[:500])
        rows = response.content.decode().count('<tr id="row-')
        counts[label] = len(queries)
        results.extend(timings)
        print(f"{label:45} {rows:>4} {len(queries):>7} {statistics.median(sql):>7.1f} {statistics.median(timings):>8.1f} "
              f"{percentile(timings, 0.95):>8.1f} {max(timings):>8.1f}", flush=True)
    p95 = percentile(results, 0.95)
    print(f"\nqueue pages: {len(results)} renders, p50 {statistics.median(results):.1f} ms, p95 {p95:.1f} ms "
          f"(bar {QUEUE_BAR_MS} ms: {verdict(p95, QUEUE_BAR_MS)})")
    print(f"queries per queue page: {sorted(set(counts.values()))} (budget {QUERY_BUDGET})")

    customer = Customer.objects.get(pk=heavy["customer"])
    client.force_login(member)
    url = reverse("requests:customer", args=[customer.pk])
    client.get(url)
    timings = []
    for _ in range(args.repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    p95 = percentile(timings, 0.95)
    print(f"customer page ({heavy['n']} requests): p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, "
          f"{len(queries)} queries (bar {CUSTOMER_BAR_MS} ms: "
          f"{verdict(p95, CUSTOMER_BAR_MS)})")

    print(f"machine speed after: {machine_speed():.2f} s for the reference loop")


if __name__ == "__main__":
    main()

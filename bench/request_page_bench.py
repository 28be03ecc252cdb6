"""The request page against the queue page, on the generated million-request desk (bench/generate.py).

    python bench/generate.py                                   # once: desk_bench (1,000,000 requests)
    DATABASE_URL=postgres://postgres@127.0.0.1/desk_bench python manage.py migrate
    python bench/request_page_bench.py [--database desk_bench] [--repeat 10]

Both pages are rendered by the real views through Django's test client, alternately, in one run: the request
page must be no slower than the queue page (p95). Requests are picked the way a member of the biggest team
opens them: their own team's (open and resolved, some handed off), one they took in for another team, and
one they were assigned before a hand-off.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pages import machine_speed, percentile, set_up_django  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="desk_bench")
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    set_up_django(args.database)
    from django.db import connection
    from django.db.models import Q
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from requests_app.models import ServiceRequest, access
    from teams.models import Membership, Team

    big = Team.objects.get(slug="network")
    member = Membership.objects.filter(team=big, role="member").select_related("user").first().user
    own = ServiceRequest.objects.filter(team=big)
    picks = (
        list(own.exclude(status="resolved").order_by("-created_at").values_list("reference", flat=True)[:20])
        + list(own.filter(status="resolved").order_by("-pk").values_list("reference", flat=True)[1000:1020])
        + list(own.filter(handoff_count__gt=0).order_by("-pk").values_list("reference", flat=True)[:10])
        + list(ServiceRequest.objects.filter(intake_owner=member).exclude(team=big)
               .values_list("reference", flat=True)[:5])
    )
    client = Client()
    client.force_login(member)
    queue = reverse("requests:queue")
    print(f"machine speed before: {machine_speed():.2f} s for the reference loop")
    page_ms, page_sql, queue_ms, queries = [], [], [], 0
    for reference in picks:
        url = reverse("requests:detail", args=[reference])
        assert client.get(url).status_code == 200, reference  # warm
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                page_ms.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
            page_sql.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
            queries = max(queries, len(captured))
            started = time.perf_counter()
            assert client.get(queue, {"team": big.slug}).status_code == 200
            queue_ms.append((time.perf_counter() - started) * 1000)
    page_p95, queue_p95 = percentile(page_ms, 0.95), percentile(queue_ms, 0.95)
    print(f"request page: {len(page_ms)} renders of {len(picks)} requests, p50 {statistics.median(page_ms):.1f} ms, "
          f"p95 {page_p95:.1f} ms, SQL p50 {statistics.median(page_sql):.1f} ms, at most {queries} queries")
    print(f"queue page (same run): p50 {statistics.median(queue_ms):.1f} ms, p95 {queue_p95:.1f} ms")
    print(f"request page p95 / queue page p95: {page_p95 / queue_p95:.2f} "
          f"({'met' if page_p95 <= queue_p95 else 'NOT met'}: no higher than the queue page)")
    # The page's query as it is (the request by its reference; visibility from one membership row read
    # after it), and as it was: visibility as a subquery, and first as a join through memberships under DISTINCT.
    related = ("service__area", "team", "customer", "assignee", "intake_owner", "intake_site")
    now = ServiceRequest.objects.for_page()
    subquery = access.openable_requests(member).select_related(*related)
    before = ServiceRequest.objects.filter(
        Q(team__memberships__user=member) | Q(intake_owner=member) | Q(assignee=member)
    ).distinct().select_related(*related)
    for label, queryset in (("now", now), ("as a subquery", subquery), ("under DISTINCT", before)):
        planning, execution = [], []
        for reference in picks:
            sql, params = queryset.filter(reference=reference).query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, SUMMARY) " + sql, params)
                for (line,) in cursor.fetchall():
                    if line.startswith("Planning Time"):
                        planning.append(float(line.split()[2]))
                    elif line.startswith("Execution Time"):
                        execution.append(float(line.split()[2]))
        print(f"the page's request query, {label}: planning p50 {statistics.median(planning):.2f} ms "
              f"(max {max(planning):.2f}), execution p50 {statistics.median(execution):.2f} ms")
    print(f"machine speed after: {machine_speed():.2f} s for the reference loop")


if __name__ == "__main__":
    main()

"""The status page on the generated million-request desk (bench/generate.py); the public form's throughput
is measured from outside by intake_load_bench.py.

    python bench/generate.py                                   # once: desk_bench (1,000,000 requests)
    python bench/public_bench.py [--database desk_bench] [--repeat 10]

The status page's p95 (floor 50 ms) for web requests of every age and length of history, opened by their
links, with the queue page of the request's team in the same run. The links it makes are removed at the end.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pages import machine_speed, percentile, set_up_django, verdict  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="desk_bench")
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    set_up_django(args.database)
    from django.conf import settings
    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone

    from requests_app.models import Message, ServiceRequest, StatusLink
    from teams.models import Membership

    settings.ALLOWED_HOSTS = ["testserver"]
    client = Client()
    started_at = timezone.now()
    print(f"machine speed before: {machine_speed():.2f} s for the reference loop")

    # The status page for web requests of every kind: new, long conversations, resolved long ago.
    web = ServiceRequest.objects.filter(channel="web", created_at__lt=started_at)
    picks = (list(web.exclude(status="resolved").order_by("-created_at")[:20])
             + list(web.filter(status="resolved").order_by("-pk")[5000:5020])
             + list(web.filter(status="resolved").order_by("pk")[:10])
             + [ServiceRequest.objects.get(pk=row["request_id"]) for row in  # the longest conversations
                Message.objects.filter(request__channel="web").values("request_id").annotate(n=Count("pk"))
                .order_by("-n")[:10]])
    now = timezone.now()
    links = [(req, StatusLink.issue(req, now=now)) for req in picks]
    member_of = {}
    status_ms, queue_ms = [], []
    for req, token in links:
        url = f"/public/status/{token}/"
        assert client.get(url).status_code == 200
        if req.team_id not in member_of:
            member_of[req.team_id] = Membership.objects.filter(team_id=req.team_id).select_related("user").first().user
        staff = Client()
        staff.force_login(member_of[req.team_id])
        for _ in range(args.repeat):
            began = time.perf_counter()
            client.get(url)
            status_ms.append((time.perf_counter() - began) * 1000)
            began = time.perf_counter()
            staff.get("/queue/")
            queue_ms.append((time.perf_counter() - began) * 1000)
    p95 = percentile(status_ms, 0.95)
    print(f"status page: {len(status_ms)} renders of {len(links)} requests, p50 {statistics.median(status_ms):.1f} ms, "
          f"p95 {p95:.1f} ms ({verdict(p95, 50)} against the 50 ms floor); queue page in the same run "
          f"p50 {statistics.median(queue_ms):.1f} ms, p95 {percentile(queue_ms, 0.95):.1f} ms")
    print(f"machine speed after: {machine_speed():.2f} s for the reference loop")

    StatusLink.objects.filter(created_at__gte=started_at).delete()  # leave the desk as it was


if __name__ == "__main__":
    main()

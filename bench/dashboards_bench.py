"""Dashboards on the generated million-request desk (bench/generate.py, which also counts the daily figures).

    python bench/generate.py                                   # once: desk_bench (1,000,000 requests)
    DATABASE_URL=postgres://postgres@127.0.0.1/desk_bench python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1/desk_bench python manage.py refresh_dashboards --all
    python bench/dashboards_bench.py [--database desk_bench] [--repeat 10]

Every dashboard kind (organisation, a unit with sub-units, a site, a service area, a service, a team) for
every period (this week, last 30 days, this quarter, a custom 90 days and a custom 365 days), rendered by the
real view through Django's test client. Also times the beat task's refresh of the recent days.
"""

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pages import machine_speed, percentile, set_up_django, verdict  # noqa: E402

BAR_MS = 300


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="desk_bench")
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    set_up_django(args.database)
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from requests_app.dashboards import figures
    from teams.models import User

    today = timezone.localdate()
    periods = {
        "week": {"period": "week"},
        "30 days": {"period": "30d"},
        "quarter": {"period": "quarter"},
        "custom 90 days": {"period": "custom", "from": (today - dt.timedelta(days=89)).isoformat(),
                           "to": today.isoformat()},
        "custom 365 days": {"period": "custom", "from": (today - dt.timedelta(days=364)).isoformat(),
                            "to": today.isoformat()},
    }
    scopes = {
        "organisation": reverse("dashboards:org"),
        "unit Digital Services (+2 sub-units)": reverse("dashboards:scope", args=["unit", "digital"]),
        "site Helsinki": reverse("dashboards:scope", args=["site", "helsinki"]),
        "service area IT": reverse("dashboards:scope", args=["area", "it"]),
        "service Wireless network": reverse("dashboards:scope", args=["service", "wifi"]),
        "team Network and telephony": reverse("dashboards:scope", args=["team", "network"]),
    }
    print(f"machine speed before: {machine_speed():.2f} s for the reference loop")
    client = Client()
    client.force_login(User.objects.get(username="staff100"))  # a member of one team
    everything = []
    print(f"{'dashboard':40} {'period':16} {'queries':>7} {'sql ms':>7} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}")
    for scope, url in scopes.items():
        for label, params in periods.items():
            client.get(url, params)  # warm
            timings, sql = [], []
            for _ in range(args.repeat):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(url, params)
                    timings.append((time.perf_counter() - started) * 1000)
                sql.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
                assert response.status_code == 200, (scope, label, response.status_code)
            everything += timings
            print(f"{scope:40} {label:16} {len(queries):>7} {statistics.median(sql):>7.1f} "
                  f"{statistics.median(timings):>7.1f} {percentile(timings, 0.95):>7.1f} {max(timings):>7.1f}",
                  flush=True)
    p95 = percentile(everything, 0.95)
    print(f"\nall dashboards: {len(everything)} renders, p50 {statistics.median(everything):.1f} ms, "
          f"p95 {p95:.1f} ms (bar {BAR_MS} ms: "
          f"{verdict(p95, BAR_MS)})")
    started = time.perf_counter()
    rows = figures.refresh_recent()
    print(f"refresh of the last {settings.DASHBOARD_RECENT_DAYS + 1} days (the beat task): "
          f"{time.perf_counter() - started:.1f} s, {rows} rows")

    print(f"machine speed after: {machine_speed():.2f} s for the reference loop")


if __name__ == "__main__":
    main()

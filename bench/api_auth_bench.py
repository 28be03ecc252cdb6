"""An API call with an integration's key, with a signed-in session and with HTTP Basic, side by side, on the
generated million-request desk (bench/generate.py).

    python bench/api_auth_bench.py [--database desk_bench] [--calls 200]

Each way reads the same request (`GET /api/v1/requests/<reference>/`) through Django's test client, in turns,
in one run; Basic is turned on for the run (it is off by default) and checks the password with Django's
default hasher, as a production desk would. The key must be within 2x of the session.
"""

import argparse
import base64
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pages import machine_speed, percentile, set_up_django  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="desk_bench")
    parser.add_argument("--calls", type=int, default=200)
    args = parser.parse_args()
    set_up_django(args.database)
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from requests_app.models import ServiceRequest
    from teams import tokens
    from teams.models import ApiToken, Membership, Team

    settings.API_BASIC_AUTH = True
    settings.API_TOKEN_RATE = "1000000/min"
    big = Team.objects.get(slug="network")
    member = Membership.objects.filter(team=big, role="member").select_related("user").first().user
    member.set_password("bench-password-1")
    member.save()
    reference = ServiceRequest.objects.filter(team=big).order_by("-pk").values_list("reference", flat=True)[0]
    url = reverse("api:request-detail", args=[reference])
    ApiToken.objects.filter(name="bench").delete()
    _, key = tokens.issue(name="bench", user=member)
    session = Client()
    session.force_login(member)
    basic = base64.b64encode(f"{member.username}:bench-password-1".encode()).decode()
    ways = {
        "key": lambda: Client().get(url, HTTP_AUTHORIZATION=f"Bearer {key}"),
        "session": lambda: session.get(url),
        "basic": lambda: Client().get(url, HTTP_AUTHORIZATION=f"Basic {basic}"),
    }
    print(f"machine speed before: {machine_speed():.2f} s for the reference loop")
    times = {name: [] for name in ways}
    for name, call in ways.items():
        assert call().status_code == 200, name  # warm
    for _ in range(args.calls):
        for name, call in ways.items():
            started = time.perf_counter()
            response = call()
            times[name].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (name, response.status_code)
    for name, ms in times.items():
        print(f"{name:8} {len(ms)} calls: p50 {statistics.median(ms):.1f} ms, p95 {percentile(ms, 0.95):.1f} ms")
    ratio = statistics.median(times["key"]) / statistics.median(times["session"])
    print(f"key / session (p50): {ratio:.2f} ({'within' if ratio <= 2 else 'NOT within'} 2x); "
          f"basic / session: {statistics.median(times['basic']) / statistics.median(times['session']):.1f}x")
    ApiToken.objects.filter(name="bench").delete()
    print(f"machine speed after: {machine_speed():.2f} s for the reference loop")


if __name__ == "__main__":
    main()

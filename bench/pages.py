"""What the page benchmarks share: a Django set up against a generated database, and honest statistics."""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def set_up_django(database: str) -> None:
    """The desk as production runs it (DEBUG off), on `database`, pages served to the test client."""
    sys.path.insert(0, str(ROOT))
    os.environ.update(DATABASE_URL=f"postgres://postgres@127.0.0.1/{database}", SECRET_KEY="bench",
                      DEBUG="0", ALLOWED_HOSTS="testserver", DJANGO_SETTINGS_MODULE="servicedesk.settings",
                      LOG_LEVEL="WARNING")
    import django

    django.setup()
    from django.conf import settings

    # Production serves collected, hashed files; the bench has not run collectstatic.
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


def machine_speed() -> float:
    """Seconds for a fixed pure-Python loop: this machine's speed varies by half from minute to minute (it
    shares its cores), so every run says how fast it was."""
    started = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.perf_counter() - started


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def verdict(p95: float, bar: float) -> str:
    return f"cleared by {bar / p95:.1f}x" if p95 < bar else "MISSED"

"""Background runs say they ran."""

from django.utils import timezone

from ..models import Heartbeat


def record_beat(name: str, *, now=None) -> None:
    """One write, whichever process comes first: an upsert, never a read then a write."""
    Heartbeat.objects.bulk_create([Heartbeat(name=name, last_run_at=now or timezone.now())],
                                  update_conflicts=True, unique_fields=["name"], update_fields=["last_run_at"])

from celery import shared_task
from django.utils import timezone

from ..health.selectors import TIMERS
from ..health.services import record_beat
from . import timers


# Task names are part of the messages on the broker: they stay as they are across releases.
@shared_task(name="requests_app.tasks.sweep_due_clocks", acks_late=True, ignore_result=True)
def sweep_due_clocks() -> int:
    """Beat, every TIMER_SWEEP_SECONDS: claim one batch of due clocks. A full batch means more are due:
    the next batch goes to whichever worker is free (enqueued on claiming, so they run side by side), and
    a burst of deadlines spreads over every worker. The message carries nothing: the rows are the truth."""
    now = timezone.now()
    result = timers.sweep(now=now, on_full_batch=sweep_due_clocks.delay)
    record_beat(TIMERS, now=now)
    return result.outcomes

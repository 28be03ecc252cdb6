from celery import shared_task

from . import figures


# Task names are part of the messages on the broker: they stay as they are across releases.
@shared_task(name="requests_app.tasks.refresh_dashboard_figures", acks_late=True, ignore_result=True)
def refresh_dashboard_figures(everything: bool = False) -> int:
    """Beat: recount the recent days' dashboard figures every few minutes, and every day once a night.
    Idempotent: each day is recounted from the requests in one transaction."""
    return figures.refresh_all() if everything else figures.refresh_recent()

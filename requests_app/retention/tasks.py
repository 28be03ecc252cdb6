from celery import shared_task

from . import services


@shared_task(name="requests_app.tasks.apply_retention")
def apply_retention() -> int:
    return services.apply_retention()

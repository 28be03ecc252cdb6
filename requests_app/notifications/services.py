"""Changes a person makes to their own notifications."""

from django.db import transaction
from django.utils import timezone

from ..models import Notification


@transaction.atomic(durable=True)
def mark_notifications_read(*, by, notification_ids=None, now=None) -> int:
    """Mark one's own notifications read (all unread ones when no ids are given)."""
    now = now or timezone.now()
    qs = Notification.objects.filter(recipient=by, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=now)

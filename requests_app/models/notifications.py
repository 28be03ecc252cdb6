"""In-app notices to one person, mailed once."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .commitments import TimerOutcome
from .requests import ServiceRequest


class Notification(models.Model):
    """In-app notice to one person; e-mailed after commit (emailed_at set once handled)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="notifications")
    outcome = models.ForeignKey(TimerOutcome, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications")
    title = models.CharField(max_length=200)
    text = models.TextField(blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # When a sender took it to mail it (committed before the mail server is spoken to).
    mail_taken_at = models.DateTimeField(null=True, blank=True)
    # Refusals by the mail server (or of the mail itself): tried again later and later, then given up.
    mail_attempts = models.PositiveSmallIntegerField(default=0, db_default=0)
    mail_error = models.CharField(max_length=300, blank=True, default="", db_default="")

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "outcome"], name="one_notification_per_outcome")
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], condition=Q(read_at__isnull=True), name="notification_unread"),
            models.Index(fields=["created_at"], condition=Q(emailed_at__isnull=True), name="notification_unmailed"),
        ]



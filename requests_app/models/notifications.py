"""In-app notices to one person, mailed once."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import translation

from servicedesk.languages import LANGUAGES, translated_property

from .commitments import TimerOutcome
from .requests import ServiceRequest


class Notification(models.Model):
    """In-app notice to one person; e-mailed after commit (emailed_at set once handled)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="notifications")
    outcome = models.ForeignKey(TimerOutcome, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications")
    # Worded by the desk in Finnish, Swedish and English (`worded`); read in the reader's language, mailed in
    # the recipient's. A person's own words in it (a hand-off note) stay as written, in every language.
    title_fi = models.CharField(max_length=200)
    title_sv = models.CharField(max_length=200, blank=True, default="", db_default="")
    title_en = models.CharField(max_length=200, blank=True, default="", db_default="")
    text_fi = models.TextField(blank=True)
    text_sv = models.TextField(blank=True, default="", db_default="")
    text_en = models.TextField(blank=True, default="", db_default="")
    title = translated_property("title")
    text = translated_property("text")
    WORDING = tuple(f"{field}_{language}" for field in ("title", "text") for language in LANGUAGES)
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

    @staticmethod
    def worded(title, text=str) -> dict:
        """`title_fi`, `text_fi`, ... for a new notification: `title()` and `text()` are called once in each
        language, so everything they translate (clock names, team names, dates) reads in it."""
        words = {}
        for language in LANGUAGES:
            with translation.override(language):
                words[f"title_{language}"], words[f"text_{language}"] = str(title())[:200], str(text())
        return words

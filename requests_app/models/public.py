"""The public door: status links and the counters that hold back floods."""

import hashlib
import secrets

from django.db import models

from .requests import ServiceRequest


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


class StatusLink(models.Model):
    """A customer's way back to their request. Only the token's digest is kept: a copy of the table opens
    nothing. A request may have several (one re-sent by mail leaves the first working); the team revokes all."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="status_links")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    @classmethod
    def issue(cls, req: ServiceRequest, *, now) -> str:
        """A new link's token: given once (on a page or in a mail as it leaves), never stored."""
        token = secrets.token_urlsafe(32)
        cls.objects.create(request=req, digest=token_digest(token), created_at=now)
        return token


class RateCount(models.Model):
    """How many times one key (a client address, an e-mail address) did one thing in one window of time."""

    key = models.CharField(max_length=200)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="rate_count_key_window")]
        indexes = [models.Index(fields=["window_start"], name="rate_count_window")]

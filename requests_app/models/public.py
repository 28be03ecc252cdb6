"""The public door: status links and the counters that hold back floods (the API's keys use them too)."""

import datetime as dt
import hashlib
import secrets

from django.db import connection, models

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


def _window_of(now, seconds: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(int(now.timestamp()) // seconds * seconds, tz=dt.UTC)


class RateCount(models.Model):
    """How many times one key (a client address, an e-mail address) did one thing in one window of time."""

    key = models.CharField(max_length=200)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="rate_count_key_window")]
        indexes = [models.Index(fields=["window_start"], name="rate_count_window")]

    @classmethod
    def count_one(cls, key: str, *, seconds: int, now) -> int:
        """Counts one more for `key` in its window of `seconds` that holds `now`, and returns the window's
        count. One statement, so parallel attempts never both slip under a limit; windows older than two days
        are cleared now and then."""
        start = _window_of(now, seconds)
        table = cls._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (key, window_start, count) VALUES (%s, %s, 1) "
                f"ON CONFLICT (key, window_start) DO UPDATE SET count = {table}.count + 1 RETURNING count",
                [key[:200], connection.ops.adapt_datetimefield_value(start)],
            )
            count = cursor.fetchone()[0]
        if count == 1 and secrets.randbelow(100) == 0:
            cls.objects.filter(window_start__lt=start - dt.timedelta(days=2)).delete()
        return count

    @classmethod
    def sliding_count(cls, key: str, *, seconds: int, now) -> float:
        """Counts one more for `key` and returns how many it made in the last `seconds`, estimated from this
        window's count and the last one's, weighted by how much of it is still within reach: a caller cannot
        make twice its limit across the edge of a window, as with fixed windows."""
        count = cls.count_one(key, seconds=seconds, now=now)
        before = _window_of(now, seconds) - dt.timedelta(seconds=seconds)
        last = cls.objects.filter(key=key[:200], window_start=before).values_list("count", flat=True).first() or 0
        return count + last * (1 - (now.timestamp() % seconds) / seconds)

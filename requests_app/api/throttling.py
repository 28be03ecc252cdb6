"""How often an integration's key may call the API."""

from django.conf import settings
from django.utils import timezone
from rest_framework.throttling import SimpleRateThrottle

from teams.models import ApiToken

from ..models import RateCount


class TokenRateThrottle(SimpleRateThrottle):
    """Calls per key (API_TOKEN_RATE, e.g. "1200/min"), counted in the database so every web process shares
    one count, over a sliding window (`RateCount.sliding_count`). Refused calls count too: a client that keeps
    calling stays held back. Sessions are people at a page and are not counted."""

    scope = "token"

    def get_rate(self):
        return settings.API_TOKEN_RATE

    def allow_request(self, request, view):
        if self.rate is None or not isinstance(request.auth, ApiToken):
            return True
        self.now = timezone.now()
        made = RateCount.sliding_count(f"api-key:{request.auth.pk}", seconds=self.duration, now=self.now)
        return made <= self.num_requests

    def wait(self):
        """Seconds until this window ends (Retry-After)."""
        return self.duration - self.now.timestamp() % self.duration

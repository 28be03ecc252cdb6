"""The client's address: the connection's own, or behind TRUSTED_PROXY_COUNT reverse proxies the address
the outermost of them saw. Login locks and the public door's limits both count per this address."""

from django.conf import settings


def client_address(request) -> str:
    """Each proxy appends the address it was reached from to X-Forwarded-For, so with N proxies the client's
    is N-th from the right; anything further left the client may have written itself and is never read."""
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= count and forwarded[-count]:
            return forwarded[-count][:100]
    return request.META.get("REMOTE_ADDR", "")[:100]

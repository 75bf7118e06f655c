"""A fixed-window rate limit per client address, kept in Django's cache, for public forms."""

from django.core.cache import cache
from django.http import HttpRequest

from projectize.core.middleware import client_ip


def rate_limited(request: HttpRequest, bucket: str, *, limit: int, window: int) -> bool:
    """Count one attempt in `bucket`; True once the address made more than `limit` in `window` seconds."""
    key = f"ratelimit:{bucket}:{client_ip(request) or 'unknown'}"
    # add() starts the window only if none is running, so the window never slides forward.
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # the window expired between add() and incr()
        cache.set(key, 1, window)
        count = 1
    return count > limit

"""Counters for the login lockout and the rate limits of public forms, shared by every server process.

gunicorn runs several worker processes, so a counter kept in one process's memory lets an attacker
spread attempts over them. With Redis configured the counters live there (its increment is atomic);
the embedded default keeps them in a database table, incremented with row-locking UPDATEs.
"""

import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from projectize.core.middleware import client_ip
from projectize.core.models import RateCounter


def hit(key: str, *, window: int) -> int:
    """Count one event under `key` in a fixed window of `window` seconds; return the count so far."""
    if settings.REDIS_URL:
        # add() starts the window only if none is running, so the window never slides forward.
        cache.add(key, 0, window)
        try:
            return cache.incr(key)
        except ValueError:  # the window expired between add() and incr()
            cache.set(key, 1, window)
            return 1
    now = timezone.now()
    with transaction.atomic():
        RateCounter.objects.filter(expires_at__lte=now).delete()
        # The UPDATE locks the row until commit, so the count read below is this event's own.
        if not RateCounter.objects.filter(key=key).update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    RateCounter.objects.create(key=key, count=1, expires_at=now + datetime.timedelta(seconds=window))
                return 1
            except IntegrityError:  # another process started the window a moment ago
                RateCounter.objects.filter(key=key).update(count=F("count") + 1)
        return RateCounter.objects.values_list("count", flat=True).get(key=key)


def count(key: str) -> int:
    """Events counted under `key` in its current window."""
    if settings.REDIS_URL:
        return int(cache.get(key, 0))
    found = RateCounter.objects.filter(key=key, expires_at__gt=timezone.now()).values_list("count", flat=True)
    return next(iter(found), 0)


def reset(key: str) -> None:
    if settings.REDIS_URL:
        cache.delete(key)
    else:
        RateCounter.objects.filter(key=key).delete()


def rate_limited(request: HttpRequest, bucket: str, *, limit: int, window: int) -> bool:
    """Count one attempt in `bucket`; True once the address made more than `limit` in `window` seconds."""
    return hit(f"ratelimit:{bucket}:{client_ip(request) or 'unknown'}", window=window) > limit

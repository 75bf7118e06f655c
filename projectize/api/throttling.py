"""Rate limits shared by every server process, through core's counters (Redis or a database table)."""

from typing import Any

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from projectize.api.auth import token_of
from projectize.core import ratelimit
from projectize.core.middleware import client_ip

WINDOW = 60


def limit_per_minute(kind: str) -> int:
    defaults = {"token": 600, "user": 600, "anonymous": 120}
    limits: dict[str, int] = getattr(settings, "API_RATE_LIMITS", {})
    return int(limits.get(kind, defaults[kind]))


class SharedRateThrottle(BaseThrottle):
    """Per token, else per signed-in person, else per address: at most N requests a minute."""

    def allow_request(self, request: Request, view: Any) -> bool:
        token = token_of(request)
        if token is not None:
            kind, who = "token", f"token:{token.pk}"
        elif request.user and request.user.is_authenticated:
            kind, who = "user", f"user:{request.user.pk}"
        else:
            kind, who = "anonymous", f"ip:{client_ip(request._request) or 'unknown'}"
        return ratelimit.hit(f"api:{who}", window=WINDOW) <= limit_per_minute(kind)

    def wait(self) -> float:
        return float(WINDOW)

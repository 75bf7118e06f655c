"""Rate limits shared by every server process, through core's counters (Redis or a database table)."""

from typing import Any

from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

from projectize.api.auth import token_of
from projectize.core import ratelimit
from projectize.core.middleware import client_ip

DEFAULT_RATES = {"token": "600/minute", "user": "600/minute", "anonymous": "120/minute"}


def rate(kind: str) -> tuple[int, int]:
    """(requests, seconds) for `kind`, from REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]."""
    configured = api_settings.DEFAULT_THROTTLE_RATES or {}
    parsed = SimpleRateThrottle.parse_rate(None, configured.get(kind) or DEFAULT_RATES[kind])
    assert parsed[0] is not None and parsed[1] is not None
    return parsed[0], parsed[1]


class SharedRateThrottle(BaseThrottle):
    """Per token, else per signed-in person, else per address: at most N requests a window."""

    window = 60

    def allow_request(self, request: Request, view: Any) -> bool:
        token = token_of(request)
        if token is not None:
            kind, who = "token", f"token:{token.pk}"
        elif request.user and request.user.is_authenticated:
            kind, who = "user", f"user:{request.user.pk}"
        else:
            kind, who = "anonymous", f"ip:{client_ip(request._request) or 'unknown'}"
        limit, self.window = rate(kind)
        return ratelimit.hit(f"api:{who}", window=self.window) <= limit

    def wait(self) -> float:
        return float(self.window)

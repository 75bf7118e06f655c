"""Identity checks for public voting: a one-time code sent to the voter's mobile number.

Which backend sends the code is a setting, SHOWCASE_VERIFICATION_BACKEND (a dotted path). The
embedded default prints the code on the server console. Production names a subclass of
`VerificationBackend` whose `send_code` hands the code to its SMS gateway.
"""

import hashlib
import hmac
import json
import secrets
import sys
import urllib.request
from abc import ABC, abstractmethod
from typing import ClassVar

from django.conf import settings
from django.core.cache import cache
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from projectize.core import ratelimit

DEFAULT_BACKEND = "projectize.showcase.verification.ConsoleBackend"
CODE_TTL_SECONDS = 10 * 60
CODE_ATTEMPTS = 5
RESEND_SECONDS = 60
CODES_PER_ADDRESS_PER_HOUR = 10


class VerificationError(Exception):
    """A code that cannot be sent or does not match. The message is for the resident."""


class VerificationBackend(ABC):
    """Delivers a one-time code to a mobile number (an SMS gateway in production)."""

    @abstractmethod
    def send_code(self, *, mobile: str, code: str) -> None:
        """Send `code` to `mobile`; raise VerificationError when it cannot be delivered."""


class ConsoleBackend(VerificationBackend):
    """Embedded default: the code appears on the server console, as Django's console e-mail does.

    Only in development: with DEBUG off a code on the console would sit in the server's logs, so it
    is refused (and `check --deploy` warns that no SMS gateway is configured).
    """

    def send_code(self, *, mobile: str, code: str) -> None:
        if not settings.DEBUG:
            raise VerificationError(_("短信验证码服务尚未配置，暂时无法发送验证码，请联系镇党委。"))
        sys.stdout.write(f"[showcase] verification code for {mobile}: {code}\n")
        sys.stdout.flush()


class HttpGatewayBackend(VerificationBackend):
    """Posts the code as JSON ({"mobile", "text"}) to SMS_GATEWAY_URL, with SMS_GATEWAY_TOKEN as a bearer token."""

    def send_code(self, *, mobile: str, code: str) -> None:
        text = _("您的投票验证码为 %(code)s，10 分钟内有效。") % {"code": code}
        request = urllib.request.Request(
            settings.SMS_GATEWAY_URL,
            data=json.dumps({"mobile": mobile, "text": text}).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                response.read()
        except OSError:
            raise VerificationError(_("验证码发送失败，请稍后再试。")) from None


class LocmemBackend(VerificationBackend):
    """Keeps sent codes in memory, for tests (like Django's locmem e-mail backend)."""

    outbox: ClassVar[list[tuple[str, str]]] = []

    def send_code(self, *, mobile: str, code: str) -> None:
        self.outbox.append((mobile, code))


def get_backend() -> VerificationBackend:
    backend: type[VerificationBackend] = import_string(
        getattr(settings, "SHOWCASE_VERIFICATION_BACKEND", DEFAULT_BACKEND)
    )
    return backend()


def _digest(value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def voter_key(mobile: str) -> str:
    """The stored identity of a voter: a keyed hash, so the database holds no phone numbers."""
    return _digest(f"voter:{mobile}")


def code_send(*, mobile: str, ip: str | None) -> None:
    """Send a fresh code, at most once a minute per number and a few times an hour per address."""
    if not cache.add(f"showcase:resend:{mobile}", 1, RESEND_SECONDS):
        raise VerificationError(_("验证码已发送，请 1 分钟后再试。"))
    if ratelimit.hit(f"showcase:codes-by-ip:{ip}", window=3600) > CODES_PER_ADDRESS_PER_HOUR:
        raise VerificationError(_("获取验证码过于频繁，请稍后再试。"))
    code = f"{secrets.randbelow(10**6):06d}"
    cache.set(f"showcase:code:{mobile}", {"digest": _digest(code), "attempts": 0}, CODE_TTL_SECONDS)
    get_backend().send_code(mobile=mobile, code=code)


def code_check(*, mobile: str, code: str) -> None:
    """Accept the code once; a few wrong guesses burn it."""
    key = f"showcase:code:{mobile}"
    stored = cache.get(key)
    if stored is None:
        raise VerificationError(_("验证码已过期或未获取，请重新获取。"))
    if not hmac.compare_digest(stored["digest"], _digest(code.strip())):
        stored["attempts"] += 1
        if stored["attempts"] >= CODE_ATTEMPTS:
            cache.delete(key)
            raise VerificationError(_("验证码错误次数过多，请重新获取。"))
        cache.set(key, stored, CODE_TTL_SECONDS)
        raise VerificationError(_("验证码不正确。"))
    cache.delete(key)

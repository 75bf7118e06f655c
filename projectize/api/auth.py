"""Who calls: a browser with its session, or an integration with its token."""

import datetime
import hashlib
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from projectize.api.models import ApiToken

KEY_PREFIX = "pz_"
# last_used_at is written at most this often per token; every use is in ApiRequest anyway.
LAST_USED_EVERY = datetime.timedelta(seconds=60)


def key_hash(key: str) -> str:
    """Keys are 256 random bits: a plain SHA-256 cannot be reversed or guessed."""
    return hashlib.sha256(key.encode()).hexdigest()


class TokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer pz_…`. A revoked key, or the key of a deactivated account, is refused."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0] != self.keyword:
            return None
        if len(header) != 2 or not header[1].startswith(KEY_PREFIX):
            raise exceptions.AuthenticationFailed(_("令牌格式不正确。"))
        token = (
            ApiToken.objects.select_related("user", "organization")
            .filter(key_hash=key_hash(header[1]), revoked_at__isnull=True)
            .first()
        )
        if token is None or not token.user.is_active or not token.organization.is_active:
            raise exceptions.AuthenticationFailed(_("令牌无效或已吊销。"))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class SessionAuthentication(authentication.SessionAuthentication):
    """The browser's session, with Django's CSRF check on writes, as on the pages."""


def token_of(request: Request) -> ApiToken | None:
    return request.auth if isinstance(request.auth, ApiToken) else None

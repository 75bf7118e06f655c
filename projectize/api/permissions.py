from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions
from rest_framework.request import Request

from projectize.api.auth import token_of


class TokenAllows(permissions.BasePermission):
    """Signed in, or a token; a read-only token may only read. What a caller may see and do beyond this is
    decided by the same selectors, rules and workflow tables as the pages."""

    message = _("该令牌只能读取数据。")

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            self.message = _("请先登录或提供接口令牌。")
            return False
        token = token_of(request)
        if token is not None and not token.can_write and request.method not in permissions.SAFE_METHODS:
            self.message = _("该令牌只能读取数据。")
            return False
        return True


class OpenData(permissions.BasePermission):
    """Open data: anyone may read (its views offer nothing but reads)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return True

"""Errors as RFC 9457 problem details (`application/problem+json`), in the caller's language.

The language is the request's (`Accept-Language`, else zh-hans), set by Django's LocaleMiddleware before
the view runs, so every message below is translated when the answer is built.
"""

import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

from projectize.core.workflow import TransitionError

PROBLEM_TYPE = "application/problem+json"
# A problem's `type` names its kind; these URIs are stable identifiers, not pages.
TYPE_BASE = "urn:projectize:problem:"


def titles() -> dict[int, str]:
    return {
        400: _("请求有误"),
        401: _("未认证"),
        403: _("无权操作"),
        404: _("未找到"),
        405: _("不支持该方法"),
        406: _("不支持该格式"),
        409: _("当前状态不允许该操作"),
        415: _("不支持该内容类型"),
        429: _("请求过于频繁"),
    }


KINDS = {
    400: "invalid",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    409: "conflict",
    415: "unsupported-media-type",
    429: "rate-limited",
}


def problem_response(
    status_code: int, detail: str, *, errors: dict[str, Any] | None = None, instance: str = ""
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": TYPE_BASE + KINDS.get(status_code, "error"),
        "title": titles().get(status_code, _("错误")),
        "status": status_code,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    if errors:
        body["errors"] = errors
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=status_code, content_type=PROBLEM_TYPE)


def _messages(detail: Any) -> Any:
    """DRF's nested error details as plain strings, keyed by field."""
    if isinstance(detail, dict):
        return {str(key): _messages(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_messages(value) for value in detail]
    return str(detail)


def exception_handler(exc: Exception, context: dict[str, Any]) -> HttpResponse | None:
    request = context.get("request")
    instance = request.path if request is not None else ""
    if isinstance(exc, TransitionError):
        return problem_response(status.HTTP_409_CONFLICT, str(exc), instance=instance)
    if isinstance(exc, DjangoValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return problem_response(400, _("提交的数据有误。"), errors=errors, instance=instance)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("未找到该对象，或您无权查看。"))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or _("您无权执行该操作。"))
    if not isinstance(exc, exceptions.APIException):
        return None
    handled = drf_exception_handler(exc, context)
    if handled is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _messages(exc.detail)
        if not isinstance(errors, dict):
            errors = {"non_field_errors": errors}
        response = problem_response(exc.status_code, _("提交的数据有误。"), errors=errors, instance=instance)
    else:
        detail = exc.detail
        text = str(detail) if not isinstance(detail, (dict, list)) else json.dumps(_messages(detail))
        response = problem_response(exc.status_code, text, instance=instance)
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in handled:
            response[header] = handled[header]
    return response

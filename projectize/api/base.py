"""What every API view shares: the token's subtree, its use log, ETags on details, and parsed filters."""

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from rest_framework import exceptions, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from projectize.api.auth import token_of
from projectize.api.models import ApiRequest, ApiToken
from projectize.core.middleware import client_ip
from projectize.orgs.models import Organization

# Where a model's organization is, tried in this order, for narrowing to a token's subtree.
ORGANIZATION_PATHS = (
    "organization",
    "project__organization",
    "programme__organization",
    "target__programme__organization",
    "letter__organization",
    "allocation__budget__organization",
    "budget__organization",
    "showcase__organization",
    "nomination__organization",
)


def organization_lookup(model: type[models.Model]) -> str | None:
    """The lookup from `model` to the organization it belongs to, or None."""
    for lookup in ORGANIZATION_PATHS:
        current: Any = model
        try:
            for part in lookup.split("__"):
                current = current._meta.get_field(part).related_model
        except (FieldDoesNotExist, AttributeError):
            continue
        if current is Organization:
            return lookup
    return None


def in_subtree(queryset: QuerySet[Any], organization: Organization, lookup: str | None = None) -> QuerySet[Any]:
    """The rows of `queryset` that belong to `organization`'s subtree (none, when the model has no organization)."""
    if lookup is None:
        lookup = organization_lookup(queryset.model)
    if lookup is None:
        return queryset.none()
    if lookup == "":
        return queryset.filter(path__startswith=organization.path)
    return queryset.filter(Q(**{f"{lookup}__path__startswith": organization.path}))


def log_token_use(request: Request, response: HttpResponseBase) -> None:
    token = token_of(request)
    if token is None:
        return
    ApiRequest.objects.create(
        token=token,
        method=request.method or "",
        path=request.get_full_path()[:300],
        status=response.status_code,
        ip=client_ip(request._request),
    )


class ApiView(APIView):
    """Every API view logs each use of a token, whatever the answer."""

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        log_token_use(request, response)
        return response


def etag_response(request: Request, data: Any) -> HttpResponseBase:
    """A detail with its ETag; 304 when the caller already holds this version."""
    body = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    tag = '"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'
    wanted = [t.strip() for t in request.headers.get("If-None-Match", "").split(",") if t.strip()]
    if tag in wanted or "*" in wanted:
        not_modified = HttpResponse(status=304)
        not_modified["ETag"] = tag
        return not_modified
    response = Response(data)
    response["ETag"] = tag
    return response


class ScopedViewSet(viewsets.ReadOnlyModelViewSet):
    """A read-only list and detail of what the caller may see on the pages (`visible`), narrowed to the
    token's subtree, filtered as the pages filter (`filtered`)."""

    # Lookup from the model to its organization ("" for organizations themselves); None: guessed.
    subtree_lookup: str | None = None
    # Pages run newest first by primary key (pagination.Cursor).
    lookup_value_converter = "int"

    def visible(self) -> QuerySet[Any]:
        raise NotImplementedError

    def narrow(self, queryset: QuerySet[Any], organization: Organization) -> QuerySet[Any]:
        return in_subtree(queryset, organization, self.subtree_lookup)

    def filtered(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset

    def get_queryset(self) -> QuerySet[Any]:
        queryset = self.visible()
        token = token_of(self.request)
        if token is not None:
            queryset = self.narrow(queryset, token.organization)
        if self.action == "list":
            queryset = self.filtered(queryset)
        return queryset

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        return etag_response(request, self.get_serializer(self.get_object()).data)

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        log_token_use(request, response)
        return response

    # Parameters ----------------------------------------------------------------------------------

    def param(self, name: str) -> str:
        value = self.request.query_params.get(name, "").strip()
        # PostgreSQL refuses a NUL in any text; Django's form fields refuse it the same way.
        if "\x00" in value:
            raise exceptions.ValidationError({name: [_("不能包含空字符。")]})
        return value

    def int_param(self, name: str, low: int = 1, high: int = 2**31 - 1) -> int | None:
        value = self.param(name)
        if not value:
            return None
        if not value.isdigit() or not low <= int(value) <= high:
            raise exceptions.ValidationError({name: [_("请填写有效的整数。")]})
        return int(value)

    def choice_param(self, name: str, choices: Any) -> str:
        value = self.param(name)
        if value and value not in dict(choices):
            raise exceptions.ValidationError({name: [_("无效的选项。")]})
        return value

    def bool_param(self, name: str) -> bool | None:
        value = self.param(name).lower()
        if not value:
            return None
        if value not in ("true", "false", "1", "0"):
            raise exceptions.ValidationError({name: [_("请填写 true 或 false。")]})
        return value in ("true", "1")

    def organization_param(self, name: str, within: QuerySet[Organization]) -> Organization | None:
        pk = self.int_param(name)
        if pk is None:
            return None
        found = within.filter(pk=pk).first()
        if found is None:
            raise exceptions.ValidationError({name: [_("未找到该组织，或您无权查看。")]})
        return found


def token_organization(request: Request) -> Organization | None:
    token = token_of(request)
    return token.organization if token is not None else None


def check_in_token_subtree(request: Request, organization: Organization | None, field: str) -> None:
    token = token_of(request)
    if token is not None and organization is not None and not organization.path.startswith(token.organization.path):
        raise exceptions.ValidationError({field: [_("该组织不在令牌的组织范围内。")]})


Narrower = Callable[[QuerySet[Any], Organization], QuerySet[Any]]
__all__ = ["ApiToken", "ApiView", "ScopedViewSet", "etag_response", "in_subtree", "organization_lookup"]

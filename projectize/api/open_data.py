"""Open data, without login: published targets and their awards, projects' public progress and outcomes, and
the outcome counters; JSON or CSV (`?format=csv`), paged, under a stated licence. Only public facts: no
resident, contact or person appears in any of it."""

import csv
import io
from typing import Any

from django.db.models import QuerySet, Sum
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import renderers
from rest_framework.request import Request
from rest_framework.response import Response

from projectize.api import serializers as s
from projectize.api.auth import SessionAuthentication, TokenAuthentication
from projectize.api.base import ApiView, ScopedViewSet
from projectize.api.licence import LICENCE
from projectize.api.pagination import OpenCursor
from projectize.api.permissions import OpenData
from projectize.claims import selectors as claims_selectors
from projectize.programmes import selectors as programmes_selectors
from projectize.projects import selectors as projects_selectors

OUTCOME_FIELDS = ("rules_established", "problems_solved", "service_brands", "beneficiaries")


class CsvRenderer(renderers.BaseRenderer):
    """A page of rows as CSV (UTF-8 with a BOM, so spreadsheet programs read Chinese); the licence and the next
    page's address travel in the `Link` header."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        if isinstance(data, dict) and "results" in data:
            rows = data["results"]
        elif isinstance(data, list):
            rows = data
        else:
            rows = [data] if isinstance(data, dict) else []
        rows = [{k: v for k, v in row.items() if not isinstance(v, (dict, list))} for row in rows]
        out = io.StringIO()
        if rows:
            writer = csv.DictWriter(out, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        return ("\ufeff" + out.getvalue()).encode()


def _links(request: Request, response: Any) -> Any:
    links = [f'<{LICENCE["url"]}>; rel="license"']
    data = getattr(response, "data", None)
    if isinstance(data, dict) and data.get("next"):
        links.append(f'<{data["next"]}>; rel="next"')
    response["Link"] = ", ".join(links)
    return response


FORMAT = OpenApiParameter("format", str, OpenApiParameter.QUERY, enum=["json", "csv"], description="json 或 csv")


class OpenViewSet(ScopedViewSet):
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [OpenData]
    pagination_class = OpenCursor
    renderer_classes = [renderers.JSONRenderer, CsvRenderer]

    def get_queryset(self) -> QuerySet[Any]:
        queryset = self.visible()
        return self.filtered(queryset) if self.action == "list" else queryset

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        return _links(request, super().finalize_response(request, response, *args, **kwargs))


@extend_schema_view(
    list=extend_schema(parameters=[FORMAT, OpenApiParameter("year", int)]),
    retrieve=extend_schema(parameters=[FORMAT]),
)
class OpenTargetViewSet(OpenViewSet):
    """Published targets (标的) of the 家新桥 programmes."""

    serializer_class = s.OpenTargetSerializer

    def visible(self) -> QuerySet[Any]:
        return programmes_selectors.public_targets().select_related("programme", "section")

    def filtered(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        year = self.int_param("year", 1900, 2200)
        return queryset.filter(programme__year=year) if year else queryset


@extend_schema_view(
    list=extend_schema(parameters=[FORMAT, OpenApiParameter("year", int)]),
    retrieve=extend_schema(parameters=[FORMAT]),
)
class OpenAwardViewSet(OpenViewSet):
    """Awards: which units took which target (the published result of open claiming)."""

    serializer_class = s.OpenAwardSerializer

    def visible(self) -> QuerySet[Any]:
        return claims_selectors.awarded_claims_in_subtree("").select_related(
            "target__programme", "organization", "project"
        )

    def filtered(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        year = self.int_param("year", 1900, 2200)
        return queryset.filter(target__programme__year=year) if year else queryset


@extend_schema_view(
    list=extend_schema(parameters=[FORMAT, OpenApiParameter("year", int)]),
    retrieve=extend_schema(parameters=[FORMAT]),
)
class OpenProjectViewSet(OpenViewSet):
    """Projects the public follows, with their progress and outcomes."""

    serializer_class = s.OpenProjectSerializer
    cursor_ordering = ("-updated_at", "-id")

    def visible(self) -> QuerySet[Any]:
        return projects_selectors.public_projects().select_related("organization")

    def filtered(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        year = self.int_param("year", 1900, 2200)
        return queryset.filter(year=year) if year else queryset


class OpenOutcomesView(ApiView):
    """The town's outcome counters (成效): rules established, problems solved, brands, people benefited."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [OpenData]
    renderer_classes = [renderers.JSONRenderer, CsvRenderer]

    @extend_schema(parameters=[FORMAT], responses=s.OpenOutcomesSerializer)
    def get(self, request: Request) -> Response:
        # The same sums as the public site's counters.
        totals = projects_selectors.all_projects().aggregate(**{name: Sum(name) for name in OUTCOME_FIELDS})
        return Response({"licence": LICENCE, **{name: value or 0 for name, value in totals.items()}})

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        return _links(request, super().finalize_response(request, response, *args, **kwargs))

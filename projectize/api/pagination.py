"""Cursor paging: a page costs the same at the millionth row as at the first (no OFFSET, no COUNT)."""

from typing import Any

from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from projectize.api.licence import LICENCE


class Cursor(CursorPagination):
    """Newest first by default. A view names its own order in `cursor_ordering` where an index of the pages
    serves it better: its first field places the cursor, the last one (unique) breaks ties."""

    ordering = ("-id",)
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_ordering(self, request: Any, queryset: Any, view: Any) -> tuple[str, ...]:
        return tuple(getattr(view, "cursor_ordering", self.ordering))


class OpenCursor(Cursor):
    """Open data's pages carry the licence the data is published under."""

    def get_paginated_response(self, data: Any) -> Response:
        response = super().get_paginated_response(data)
        response.data = {"licence": LICENCE, **response.data}
        return response

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        paged = super().get_paginated_response_schema(schema)
        paged["properties"] = {"licence": licence_schema(), **paged["properties"]}
        paged["required"] = ["licence", "results"]
        return paged


def licence_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {"name": {"type": "string"}, "url": {"type": "string"}, "statement": {"type": "string"}},
        "required": ["name", "url", "statement"],
    }

"""The OpenAPI 3.1 schema: drf-spectacular's, with the problem details every operation may answer."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema

PROBLEM = {
    "type": "object",
    "description": "RFC 9457 problem details, worded in the caller's language (Accept-Language).",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": True},
    },
    "required": ["type", "title", "status", "detail"],
}
# What any operation may answer besides its own success.
COMMON = {
    "400": "The request's parameters or body are wrong.",
    "401": "No valid session or token.",
    "403": "The caller may not do this.",
    "404": "No such object, or the caller may not see it.",
    "405": "The method is not allowed here.",
    "406": "None of the accepted formats can be given.",
    "415": "The body's content type is not JSON.",
    "429": "Too many requests: wait the seconds of Retry-After.",
}
WRITES = {"409": "The object's state does not allow the step."}
# Answered by the HTTP server in front of the application (gunicorn), as plain HTML without a problem body.
SERVER = {"414": "The address is longer than the server accepts (about 4 KB): send fewer or shorter parameters."}


class AutoSchema(SpectacularAutoSchema):
    """Operations are tagged by the first part of their path after the version."""

    def get_tags(self) -> list[str]:
        parts = [p for p in self.path.split("/") if p and not p.startswith("{")]
        return [parts[2] if len(parts) > 2 else "api"]


def add_problem_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
    content = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            responses = operation.setdefault("responses", {})
            extra = {**COMMON, **(WRITES if method in ("post", "put", "patch", "delete") else {})}
            for code, text in extra.items():
                responses.setdefault(code, {"description": text, "content": content})
            for code, text in SERVER.items():
                responses.setdefault(code, {"description": text})
            if method == "get" and "{" in _path_of(result, path_item) and "200" in responses:
                responses.setdefault("304", {"description": "Not modified since the ETag in If-None-Match."})
    return result


# Bounds Django derives from the database backend for integer columns (SQLite's 64-bit range, PostgreSQL's
# smallint and integer): not the API's own limits, and not the same on every backend, so the schema leaves
# them out. The fields' validators still refuse a value out of the column's range, with a 400.
BACKEND_BOUNDS = {2**15 - 1, 2**31 - 1, 2**63 - 1, -(2**15), -(2**31), -(2**63)}


def drop_backend_bounds(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    def visit(node: Any) -> None:
        if isinstance(node, dict):
            bounds = [bound for bound in ("maximum", "minimum") if node.get(bound) in BACKEND_BOUNDS]
            for bound in bounds:
                del node[bound]
            if bounds and node.get("format") == "int64":  # inferred from the 64-bit bound just dropped
                del node["format"]
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(result)
    return result


def _path_of(result: dict[str, Any], item: dict[str, Any]) -> str:
    return next(path for path, found in result["paths"].items() if found is item)


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "projectize.api.auth.TokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An integration's token (pz_…), made by town staff on the API tokens page.",
        }


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "projectize.api.auth.SessionAuthentication"
    name = "session"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}

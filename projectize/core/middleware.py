"""Keeps the current request's client address for the activity log.

Services are called with an explicit actor; the address is request metadata that every service
would otherwise have to thread through, so it rides along in a context variable.
"""

from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse

current_ip: ContextVar[str | None] = ContextVar("current_ip", default=None)
# The request being answered, for helpers deep in a view (an export deciding to run in the background).
current_request: ContextVar[HttpRequest | None] = ContextVar("current_request", default=None)


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_ip.set(client_ip(request))
        request_token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(request_token)
            current_ip.reset(token)


def client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR is the only address we can trust; a reverse proxy must set it (e.g. gunicorn
    # --forwarded-allow-ips) rather than us believing any X-Forwarded-For a client sends.
    return request.META.get("REMOTE_ADDR")


class PermissionsPolicyMiddleware:
    """Sets the Permissions-Policy header (Django sets the other security headers itself)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class RefuseNullCharactersMiddleware:
    """A query string carrying a NUL character is answered 400 (the 400 page) before any view reads it.

    PostgreSQL refuses a NUL inside any text, so a search for one would fail as a server error; no person
    types one. The API answers such a parameter itself, as problem details (projectize.api.base).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/") and any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            raise BadRequest("a NUL character in the query string")
        return self.get_response(request)

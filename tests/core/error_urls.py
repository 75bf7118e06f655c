"""The project's URLs plus views that fail on purpose, for the error-page tests."""

from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import path

from projectize import urls


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


def database_down(request: HttpRequest) -> HttpResponse:
    raise OperationalError("connection refused")


urlpatterns = [
    path("forbidden/", forbidden),
    path("broken/", broken),
    path("database-down/", database_down),
    *urls.urlpatterns,
]
handler500 = urls.handler500

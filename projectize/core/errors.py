"""What people see when something goes wrong, and how it is logged."""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader

# A database that cannot be reached (down, refused, timed out) raises one of these.
DATABASE_UNREACHABLE = (OperationalError, InterfaceError)


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's 500 handler: "service unavailable" when the database cannot be reached, else "error".

    Both pages render without a request context, so no context processor touches the database.
    Django calls this while handling the exception, so `sys.exception()` is the cause.
    """
    if isinstance(sys.exception(), DATABASE_UNREACHABLE):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = "120"
        return response
    return HttpResponse(loader.render_to_string("500.html"), status=500)


class OneLineForbidden(logging.Filter):
    """A refused request (403) is routine: log its one line without the traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True

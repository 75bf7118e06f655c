"""Serving a private file (an attachment, a job's result) once its view has checked permission."""

import mimetypes
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header


def private_file_response(file: FieldFile, *, filename: str, as_attachment: bool) -> HttpResponseBase:
    """Behind nginx (MEDIA_ACCEL_REDIRECT set) Django answers with X-Accel-Redirect and nginx sends the
    bytes from its internal location; otherwise Django streams the file itself."""
    prefix = settings.MEDIA_ACCEL_REDIRECT
    if prefix and isinstance(file.storage, FileSystemStorage):
        response = HttpResponse(content_type=mimetypes.guess_type(filename)[0] or "application/octet-stream")
        response["X-Accel-Redirect"] = f"{prefix.rstrip('/')}/{quote(file.name or '')}"
        response["Content-Disposition"] = content_disposition_header(as_attachment, filename) or ""
        return response
    return FileResponse(file.open("rb"), as_attachment=as_attachment, filename=filename)

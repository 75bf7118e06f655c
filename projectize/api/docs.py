from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse


def reference(request: HttpRequest) -> HttpResponse:
    """The browsable reference of the API (Swagger UI from our own static files), open to anyone like the schema."""
    return render(request, "api/reference.html", {"schema_url": reverse("api:schema") + "?format=json"})

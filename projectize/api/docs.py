from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from projectize.api.problems import problem_response


def reference(request: HttpRequest) -> HttpResponse:
    """The browsable reference of the API (Swagger UI from our own static files), open to anyone like the schema."""
    return render(request, "api/reference.html", {"schema_url": reverse("api:schema") + "?format=json"})


@csrf_exempt
def not_found(request: HttpRequest) -> HttpResponse:
    return problem_response(404, _("该接口地址不存在。"), instance=request.path)

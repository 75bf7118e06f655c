"""The pages of a background job: where the user follows it, and where the owner downloads its file."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render

from projectize.core.downloads import private_file_response
from projectize.core.models import Job, JobStatus
from projectize.core.typing import AuthedRequest


def _own_job(request: AuthedRequest, pk: int) -> Job:
    # Someone else's job does not exist for this user.
    return get_object_or_404(Job, pk=pk, owner=request.user)


@login_required
def job_list(request: AuthedRequest) -> HttpResponse:
    page = Paginator(Job.objects.filter(owner=request.user).exclude(kind="email"), 30).get_page(request.GET.get("page"))
    return render(request, "core/jobs.html", {"page": page})


@login_required
def job_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    job = _own_job(request, pk)
    template = "core/_job_status.html" if request.headers.get("HX-Request") else "core/job.html"
    return render(request, template, {"job": job})


@login_required
def job_download(request: AuthedRequest, pk: int) -> HttpResponseBase:
    job = _own_job(request, pk)
    if job.status != JobStatus.DONE or not job.result:
        raise Http404
    inline = job.result_name.endswith(".pdf")
    return private_file_response(job.result, filename=job.result_name, as_attachment=not inline)

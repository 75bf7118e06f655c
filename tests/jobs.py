"""Following a background download the way a user does: the request answers with the job's page,
the worker builds the file, the owner downloads it."""

from typing import Any
from urllib.parse import urljoin

from django.test import Client

from projectize.core.jobs import jobs_run_pending
from projectize.core.models import Job, JobStatus


def run_and_download(client: Client, response: Any) -> Any:
    assert response.status_code == 302, response.status_code
    job = Job.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[1])
    assert job.status == JobStatus.QUEUED
    jobs_run_pending()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    download = client.get(f"/jobs/{job.pk}/download/")
    assert download.status_code == 200
    return download


def content(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def browser_download(page: Any, url: str) -> Any:
    """In a browser test: open a download address, let the worker build it, fetch the file."""
    started = page.request.get(url, max_redirects=0)
    assert started.status == 302, started.status
    jobs_run_pending()
    return page.request.get(urljoin(url, started.headers["location"]) + "download/")

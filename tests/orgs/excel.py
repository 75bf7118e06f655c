"""Build small Excel files for import tests."""

from collections.abc import Sequence
from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from projectize.core.jobs import jobs_run_pending
from projectize.core.models import Job, JobStatus

HEADER = ["名称", "类型", "上级组织（名称或路径）", "联系人", "联系电话", "地址"]


def xlsx(rows: Sequence[Sequence[object]], name: str = "组织.xlsx") -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for row in rows:
        sheet.append(list(row))
    out = BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/octet-stream")


def job_from(response: Any) -> Job:
    """The job a request queued, from the redirect to its page."""
    assert response.status_code == 302, response.status_code
    return Job.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[1])


def run(job: Job) -> Job:
    """Let the worker run what is queued; the job as it ended."""
    jobs_run_pending()
    job.refresh_from_db()
    return job


def import_file(client: Client, file: Any) -> Any:
    """Upload a workbook as a person does; the worker reads it; the preview page it leads to."""
    job = job_from(client.post("/orgs/import/", {"file": file}))
    assert run(job).status == JobStatus.DONE, job.error
    assert job.params["done_url"] in client.get(job.get_absolute_url()).text
    return client.get(job.params["done_url"])


def confirm_import(client: Client, preview: Any) -> Any:
    """Confirm a preview; the worker checks the rows again and writes them; the page it leads to."""
    job = job_from(client.post(preview.wsgi_request.path, {"confirm": "1"}))
    assert run(job).status == JobStatus.DONE, job.error
    return client.get(job.params["done_url"])

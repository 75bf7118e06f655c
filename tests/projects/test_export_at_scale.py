"""The Excel export of the project list at scale (issue 15): a large one never holds the web request (it is built
by the background worker, which reports how far it is), and building it takes the same memory for many rows as
for few (rows stream from the database in chunks into a write-only workbook on disk)."""

import time
import tracemalloc

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projectize.core import jobs
from projectize.core.models import Job
from projectize.projects.export import projects_workbook
from projectize.projects.models import Project, ProjectStatus
from projectize.projects.selectors import projects_visible_to
from tests.core.test_list_exports import rows_of
from tests.jobs import run_and_download

pytestmark = pytest.mark.django_db


def make_many(organization, count):
    Project.objects.bulk_create(
        Project(
            organization=organization,
            year=2026,
            type="demonstration",
            title=f"批量项目{n:05d}——{'楼组议事' * (n % 5)}",
            code=f"2026-SF-{n:05d}",
            status=ProjectStatus.IN_PROGRESS,
        )
        for n in range(count)
    )


def test_a_large_export_answers_at_once_and_the_worker_builds_every_row(client, org, admin, settings):
    settings.EXPORT_INLINE_ROWS = 20
    make_many(org, 45)
    client.force_login(admin)
    started = time.monotonic()
    response = client.get(reverse("projects:export") + "?sort=code")
    # The request only queued the job: it answers with the job's page.
    assert response.status_code == 302 and time.monotonic() - started < 2
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url() and job.title == "projects.xlsx"
    rows = rows_of(run_and_download(client, response))
    assert [row[0] for row in rows[1:]] == [f"2026-SF-{n:05d}" for n in range(45)]


def test_a_small_export_streams_from_the_request(client, org, admin):
    make_many(org, 3)
    client.force_login(admin)
    response = client.get(reverse("projects:export"))
    assert response.status_code == 200 and response.streaming
    assert len(rows_of(response)) == 4


def test_the_worker_reports_how_many_rows_it_has_written(org, admin, monkeypatch):
    make_many(org, 2500)
    job = Job.objects.create(kind="download", title="projects.xlsx", params={})
    reported = []
    monkeypatch.setattr(jobs, "report_progress", lambda **done: reported.append(done))
    monkeypatch.setattr("projectize.core.exports.report_progress", lambda **done: reported.append(done))
    token = jobs.current_job.set(job)
    try:
        b"".join(projects_workbook(projects_visible_to(admin)))
    finally:
        jobs.current_job.reset(token)
    assert {"items": 1000} in reported and {"items": 2000} in reported


def peak_memory(admin) -> tuple[int, int]:
    """The peak of memory Python allocates while the export of what `admin` sees is built, and its queries."""
    tracemalloc.start()
    try:
        with CaptureQueriesContext(connection) as captured:
            for _chunk in projects_workbook(projects_visible_to(admin).order_by("code")):
                pass
        return tracemalloc.get_traced_memory()[1], len(captured)
    finally:
        tracemalloc.stop()


def test_building_the_file_takes_no_more_memory_for_many_rows_than_for_few(org, admin):
    # Both well above the 2,000 rows the database hands over at a time (two such chunks may be alive at once).
    make_many(org, 4500)
    few, few_queries = peak_memory(admin)
    Project.objects.all().delete()
    make_many(org, 13500)
    many, many_queries = peak_memory(admin)
    # Three times the rows: the same memory (no list of rows, no workbook in memory), and one query read in
    # chunks (a server-side cursor on PostgreSQL).
    assert many < few * 1.25, (few, many)
    assert many_queries <= few_queries

"""Background jobs: a long document or a large export answers at once with a job; the worker builds it;
only its owner downloads it."""

import subprocess
from datetime import timedelta
from io import BytesIO

import pytest
from celery.signals import worker_ready
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from openpyxl import load_workbook

from projectize.core import tasks  # noqa: F401 - connects the worker's start-up check
from projectize.core.models import Job, JobStatus, Notification
from projectize.orgs.models import Organization, Role
from projectize.projects.models import Call, Project, ProjectStatus, ProjectType
from tests.factories import make_org, make_root, user_with_role
from tests.jobs import content

pytestmark = pytest.mark.django_db
# Enough projects of one organization for a dossier of more than ten pages.
DOSSIER_PROJECTS = 400


@pytest.fixture
def town():
    root = make_root()
    for number in range(6):
        make_org(root, f"第{number + 1}居民区党总支")
    admin = user_with_role(Role.TOWN_ADMIN, root, username="admin")
    colleague = user_with_role(Role.TOWN_ADMIN, root, username="colleague")
    return root, admin, colleague


def job_of(response) -> Job:
    assert response.status_code == 302
    return Job.objects.get(pk=response["Location"].strip("/").rsplit("/", 1)[1])


@override_settings(EXPORT_INLINE_ROWS=3)
def test_a_large_export_answers_at_once_and_the_worker_builds_it_for_its_owner(client, town):
    _root, admin, colleague = town
    client.force_login(admin)
    job = job_of(client.get("/orgs/list/", {"export": "xlsx"}))
    # The request only queued the work.
    assert job.status == JobStatus.QUEUED and not job.result and job.owner == admin
    page = client.get(f"/jobs/{job.pk}/")
    assert "排队中" in page.text and 'hx-trigger="every 1s"' in page.text

    call_command("run_jobs", "--once")

    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.progress == 100 and job.finished_at is not None
    fragment = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"})
    assert "下载 organizations.xlsx" in fragment.text and "hx-trigger" not in fragment.text
    notice = Notification.objects.get(recipient=admin)
    assert notice.url == f"/jobs/{job.pk}/"
    download = client.get(f"/jobs/{job.pk}/download/")
    assert download.status_code == 200
    sheet = load_workbook(BytesIO(content(download))).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(names) == 7 and "第6居民区党总支" in names

    # Someone else's job does not exist for them, its file neither.
    client.force_login(colleague)
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 404


def test_a_small_export_is_still_answered_directly(client, town):
    _root, admin, _colleague = town
    client.force_login(admin)
    response = client.get("/orgs/list/", {"export": "xlsx"})
    assert response.status_code == 200 and not Job.objects.exists()


@override_settings(EXPORT_INLINE_ROWS=5)
def test_the_streamed_project_export_goes_to_the_background_past_the_limit(client, town):
    root, admin, _colleague = town
    call = Call.objects.create(organization=root, year=2012, title="2012 年度申报")
    Project.objects.bulk_create(
        Project(
            call=call,
            organization=root,
            year=2012,
            type=ProjectType.INNOVATION,
            title=f"项目{n}",
            status=ProjectStatus.IN_PROGRESS,
        )
        for n in range(8)
    )
    client.force_login(admin)
    job = job_of(client.get("/projects/export.xlsx"))
    call_command("run_jobs", "--once")
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    sheet = load_workbook(BytesIO(content(client.get(f"/jobs/{job.pk}/download/")))).active
    assert sheet.max_row == 9


def test_the_annual_report_pdf_is_queued_then_built_by_the_worker(client, town, tmp_path):
    root, admin, _colleague = town
    call = Call.objects.create(organization=root, year=2012, title="2012 年度申报")
    organizations = list(Organization.objects.get_children(root))
    Project.objects.bulk_create(
        Project(
            call=call,
            organization=organizations[n % len(organizations)],
            year=2012,
            type=ProjectType.DEMONSTRATION,
            code=f"2012-SF-{n:03}",
            title=f"楼组议事示范项目第{n}号",
            status=ProjectStatus.IN_PROGRESS,
            progress=n % 100,
        )
        for n in range(60)
    )
    client.force_login(admin)
    job = job_of(client.get("/reports/annual.pdf", {"year": 2012, "org": root.pk}))
    assert job.status == JobStatus.QUEUED and not job.result

    call_command("run_jobs", "--once")

    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    download = client.get(f"/jobs/{job.pk}/download/")
    assert download["Content-Type"] == "application/pdf"
    path = tmp_path / "report.pdf"
    path.write_bytes(content(download))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout
    assert "年度党建项目化工作报告" in text.replace(" ", "")


def test_a_job_whose_owner_lost_access_fails_with_a_message(client, town):
    root, _admin, _colleague = town
    secretary = user_with_role(Role.SECRETARY, Organization.objects.get_children(root)[0], username="sec")
    client.force_login(secretary)
    job = job_of(client.get(f"/reports/dossier/{Organization.objects.get_children(root)[0].pk}/2012.pdf"))
    secretary.grants.all().delete()
    call_command("run_jobs", "--once")
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error == "您已无权获取该文件。"
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 404


@override_settings(JOBS_STALE_AFTER_MINUTES=30)
def test_a_job_left_running_by_a_killed_worker_is_run_again_once_stale(client, town):
    _root, admin, _colleague = town
    with override_settings(EXPORT_INLINE_ROWS=3):
        client.force_login(admin)
        cut_off = job_of(client.get("/orgs/list/", {"export": "xlsx"}))
        recent = job_of(client.get("/orgs/list/", {"export": "xlsx"}))
    # A worker claimed both and was killed: one 31 minutes ago, the other a minute ago (maybe alive).
    now = timezone.now()
    Job.objects.filter(pk=cut_off.pk).update(status=JobStatus.RUNNING, started_at=now - timedelta(minutes=31))
    Job.objects.filter(pk=recent.pk).update(status=JobStatus.RUNNING, started_at=now - timedelta(minutes=1))

    call_command("run_jobs", "--once")

    cut_off.refresh_from_db()
    recent.refresh_from_db()
    assert cut_off.status == JobStatus.DONE and cut_off.result
    assert recent.status == JobStatus.RUNNING and not recent.result


@override_settings(JOBS_STALE_AFTER_MINUTES=30, JOBS_USE_CELERY=True)
def test_a_celery_worker_starting_takes_up_stale_jobs(client, town, django_capture_on_commit_callbacks):
    _root, admin, _colleague = town
    with override_settings(EXPORT_INLINE_ROWS=3, JOBS_USE_CELERY=False):
        client.force_login(admin)
        job = job_of(client.get("/orgs/list/", {"export": "xlsx"}))
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=timezone.now() - timedelta(hours=1))

    with django_capture_on_commit_callbacks(execute=True):
        worker_ready.send(sender=None)

    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.result


@override_settings(JOBS_KEEP_DAYS=7)
def test_files_of_jobs_finished_long_ago_are_deleted_by_the_daily_clean_up(client, town):
    _root, admin, _colleague = town
    client.force_login(admin)
    with override_settings(EXPORT_INLINE_ROWS=3):
        old = job_of(client.get("/orgs/list/", {"export": "xlsx"}))
        fresh = job_of(client.get("/orgs/list/", {"export": "xlsx"}))
    call_command("run_jobs", "--once")
    Job.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=8))
    old.refresh_from_db()
    old_file = str(old.result.name)
    assert default_storage.exists(old_file)

    call_command("purge_jobs", verbosity=0)

    old.refresh_from_db()
    assert not old.result and not default_storage.exists(old_file)
    assert client.get(f"/jobs/{old.pk}/download/").status_code == 404
    assert client.get(f"/jobs/{fresh.pk}/download/").status_code == 200


def test_a_ten_page_dossier_is_answered_before_it_is_built(client, town, tmp_path):
    root, admin, _colleague = town
    organization = Organization.objects.get_children(root)[0]
    call = Call.objects.create(organization=root, year=2012, title="2012 年度申报")
    Project.objects.bulk_create(
        Project(
            call=call,
            organization=organization,
            year=2012,
            type=ProjectType.DEMONSTRATION,
            code=f"2012-SF-{n:03}",
            title=f"楼组议事与睦邻互助示范项目第{n}号",
            status=ProjectStatus.IN_PROGRESS,
            progress=n % 100,
        )
        for n in range(DOSSIER_PROJECTS)
    )
    client.force_login(admin)
    job = job_of(client.get(f"/reports/dossier/{organization.pk}/2012.pdf"))
    # The request answered with the job still queued: nothing of the PDF exists yet.
    assert job.status == JobStatus.QUEUED and not job.result

    call_command("run_jobs", "--once")

    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    path = tmp_path / "dossier.pdf"
    path.write_bytes(content(client.get(f"/jobs/{job.pk}/download/")))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages >= 10, pages

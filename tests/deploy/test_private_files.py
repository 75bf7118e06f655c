"""Behind nginx, a private file is handed to nginx after the permission check (X-Accel-Redirect)."""

import pytest
from django.core.files.base import ContentFile
from django.test import override_settings

from projectize.core.models import Job, JobStatus
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def done_job(owner) -> Job:
    job = Job.objects.create(kind="download", title="t", owner=owner, status=JobStatus.DONE, result_name="r.xlsx")
    job.result.save("r.xlsx", ContentFile(b"PK\x03\x04 workbook"))
    return job


@override_settings(MEDIA_ACCEL_REDIRECT="/protected-media/")
def test_the_owner_gets_an_internal_redirect_for_nginx_and_no_bytes_from_django(client):
    owner = UserFactory.create()
    job = done_job(owner)
    client.force_login(owner)
    response = client.get(f"/jobs/{job.pk}/download/")
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/protected-media/{job.result.name}"
    assert response["Content-Disposition"] == 'attachment; filename="r.xlsx"'
    client.force_login(UserFactory.create())
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 404


def test_without_nginx_django_sends_the_file_itself(client):
    owner = UserFactory.create()
    job = done_job(owner)
    client.force_login(owner)
    response = client.get(f"/jobs/{job.pk}/download/")
    assert b"".join(response.streaming_content) == b"PK\x03\x04 workbook"

"""E-mail never holds a web request: a mail server that accepts and then says nothing costs the
worker one timeout, the job is tried again later, and the write that caused it is saved."""

import socket
import threading
import time
from collections.abc import Iterator

import pytest
from django.core import mail
from django.test import override_settings

from projectize.core.jobs import jobs_run_pending
from projectize.core.models import Job, JobStatus
from projectize.orgs.models import Role
from tests.factories import PASSWORD, make_org, make_root, user_with_role
from tests.workflow_example.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def silent_smtp() -> Iterator[int]:
    """A loopback port that accepts connections and never answers (no SMTP greeting)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                held.append(server.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    yield server.getsockname()[1]
    server.close()
    for connection in held:
        connection.close()


def test_a_step_that_mails_returns_at_once_and_the_mail_is_retried_later(client, silent_smtp):
    root = make_root()
    branch = make_org(root, "新桥居民区党总支")
    user_with_role(Role.TOWN_ADMIN, root, username="admin")
    author = user_with_role(Role.SECRETARY, branch, username="sec", email="sec@example.org")
    item = Ticket.objects.create(title="修缮楼道灯", organization=branch, author=author, status=Ticket.Status.SUBMITTED)
    smtp = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": silent_smtp,
        "EMAIL_TIMEOUT": 3,
    }
    client.login(username="admin", password=PASSWORD)
    with override_settings(**smtp):
        started = time.monotonic()
        response = client.post(f"/workflow/workflow_example.ticket/{item.pk}/approve/", {"next": "/"})
        request_seconds = time.monotonic() - started
        item.refresh_from_db()
        assert response.status_code == 302 and item.status == Ticket.Status.APPROVED
        job = Job.objects.get(kind="email")
        assert job.status == JobStatus.QUEUED and job.params["to"] == ["sec@example.org"]

        started = time.monotonic()
        jobs_run_pending()
        worker_seconds = time.monotonic() - started
    print(f"request {request_seconds:.2f} s, worker against a silent server {worker_seconds:.2f} s")
    job.refresh_from_db()
    # Not sent, not lost: queued again for a later attempt, with the reason.
    assert job.status == JobStatus.QUEUED and job.attempts == 1 and job.error
    assert job.started_at is not None and job.run_after > job.started_at
    assert not mail.outbox


@override_settings(JOBS_MAX_ATTEMPTS=1, EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_TIMEOUT=1)
def test_an_email_that_keeps_failing_ends_as_failed(silent_smtp):
    from projectize.core.jobs import job_enqueue

    with override_settings(EMAIL_HOST="127.0.0.1", EMAIL_PORT=silent_smtp):
        job = job_enqueue(kind="email", title="t", params={"subject": "s", "body": "b", "to": ["a@example.org"]})
        jobs_run_pending()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error

"""Background jobs: work that must not hold a web request (documents, large exports, e-mail).

A job is a row of `Job`. The web request only writes the row; a worker runs it: `manage.py run_jobs`
in the embedded default (`make run` starts it beside runserver), or a Celery worker when REDIS_URL is
set (`projectize.core.tasks`). The user follows its progress on the job's page and is notified when
the file is ready.

A download is built by replaying its own address as its owner inside the worker: the view checks
permission and parses its parameters in the request as usual, then hands the slow part over with
`defer_download`; in the worker the same view runs to the end and its response becomes the job's file.
So every document and export keeps one code path, and the owner's permissions are checked twice.
"""

import logging
import tempfile
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.files import File
from django.db import transaction
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from projectize.core.models import Job, JobStatus, Notification
from projectize.core.typing import User

logger = logging.getLogger(__name__)

# The job the current worker is running, if any: views and writers report progress to it, and
# `defer_download` lets the view run to the end instead of deferring again.
current_job: ContextVar[Job | None] = ContextVar("current_job", default=None)

Handler = Callable[[Job], None]
HANDLERS: dict[str, Handler] = {}


class JobError(Exception):
    """A job failed in a way the user should read (shown on the job's page)."""


class RetryLater(Exception):
    """A job failed for a passing reason (a mail server that does not answer); try again later."""


def handler(kind: str) -> Callable[[Handler], Handler]:
    def register(function: Handler) -> Handler:
        HANDLERS[kind] = function
        return function

    return register


def job_enqueue(
    *, kind: str, title: str, owner: User | None = None, params: dict[str, Any] | None = None, delay: float = 0
) -> Job:
    """Queue a job; the worker picks it up once the surrounding transaction commits (and `delay` seconds
    have passed)."""
    job = Job.objects.create(
        kind=kind,
        title=str(title)[:200],
        owner=owner if getattr(owner, "is_authenticated", False) else None,
        params=params or {},
        language=translation.get_language() or settings.LANGUAGE_CODE,
        progress=0,
        run_after=timezone.now() + timedelta(seconds=delay),
    )
    _dispatch(job, delay)
    return job


def _dispatch(job: Job, delay: float = 0) -> None:
    if settings.JOBS_USE_CELERY:
        from projectize.core.tasks import run_job

        transaction.on_commit(lambda: run_job.apply_async((job.pk,), countdown=delay))


def job_run(job_id: int) -> Job | None:
    """Claim a queued job and run it. None when another worker got it first (or it is not due)."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED, run_after__lte=now).update(
        status=JobStatus.RUNNING, started_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return None
    job = Job.objects.select_related("owner").get(pk=job_id)
    token = current_job.set(job)
    try:
        with translation.override(job.language or settings.LANGUAGE_CODE):
            HANDLERS[job.kind](job)
    except RetryLater as error:
        _retry_or_fail(job, str(error))
    except Exception as error:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        message = str(error) if isinstance(error, JobError) else _("处理时出错，请稍后重试或联系管理员。")
        _finish(job, JobStatus.FAILED, error=message)
    else:
        _finish(job, JobStatus.DONE)
    finally:
        current_job.reset(token)
    return job


def due_jobs() -> QuerySet[Job]:
    return Job.objects.filter(status=JobStatus.QUEUED, run_after__lte=timezone.now()).order_by("run_after", "pk")


def jobs_run_pending(*, limit: int | None = None) -> int:
    """Run every due job once (the embedded worker's loop and the tests call this)."""
    done = 0
    while limit is None or done < limit:
        next_id = due_jobs().values_list("pk", flat=True).first()
        if next_id is None:
            break
        if job_run(next_id) is not None:
            done += 1
    return done


def jobs_requeue_stale() -> int:
    """Jobs left running by a worker that was killed mid-way go back to the queue (and to Celery).

    Both workers call this: run_jobs as it starts and between looks at the queue, Celery as a worker
    starts and every few minutes from beat. A job counts as cut off once it has been running for
    JOBS_STALE_AFTER_MINUTES.
    """
    cutoff = timezone.now() - timedelta(minutes=settings.JOBS_STALE_AFTER_MINUTES)
    stale = list(Job.objects.filter(status=JobStatus.RUNNING, started_at__lt=cutoff).values_list("pk", flat=True))
    requeued = Job.objects.filter(pk__in=stale, status=JobStatus.RUNNING).update(
        status=JobStatus.QUEUED, started_at=None, run_after=timezone.now()
    )
    for pk in stale:
        logger.warning("job %s was left running by a stopped worker; queued again", pk)
        _dispatch(Job(pk=pk))
    return requeued


def jobs_purge_files() -> int:
    """Delete the files of jobs finished more than JOBS_KEEP_DAYS days ago; the job stays, without its file."""
    cutoff = timezone.now() - timedelta(days=settings.JOBS_KEEP_DAYS)
    old = Job.objects.filter(finished_at__lt=cutoff).exclude(result="")
    purged = 0
    for job in old.iterator():
        job.result.delete(save=False)
        Job.objects.filter(pk=job.pk).update(result="")
        purged += 1
    return purged


def _retry_or_fail(job: Job, reason: str) -> None:
    if job.attempts >= settings.JOBS_MAX_ATTEMPTS:
        _finish(job, JobStatus.FAILED, error=reason)
        return
    # 1, 4, 16 … minutes between attempts.
    delay = 60 * 4 ** (job.attempts - 1)
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.QUEUED, error=reason, run_after=timezone.now() + timedelta(seconds=delay)
    )
    _dispatch(job, delay)


def _finish(job: Job, status: str, *, error: str = "") -> None:
    job.status = status
    job.error = error
    job.finished_at = timezone.now()
    if status == JobStatus.DONE:
        job.progress = 100
    job.save(update_fields=["status", "error", "finished_at", "progress", "result", "result_name"])
    if job.owner is not None and job.kind != "email":
        if job.kind == "download":
            title = _("文件已生成：%(title)s") if status == JobStatus.DONE else _("文件生成失败：%(title)s")
        else:
            title = _("后台任务已完成：%(title)s") if status == JobStatus.DONE else _("后台任务失败：%(title)s")
        Notification.objects.create(
            recipient=job.owner, title=(title % {"title": job.title})[:200], url=job.get_absolute_url()
        )


_last_report: ContextVar[float] = ContextVar("last_report", default=0.0)


def report_progress(*, percent: int | None = None, items: int | None = None) -> None:
    """Record how far the running job is (at most once a second); a no-op outside a job."""
    job = current_job.get()
    if job is None:
        return
    now = time.monotonic()
    if now - _last_report.get() < 1 and percent != 100:
        return
    _last_report.set(now)
    changes: dict[str, Any] = {}
    if percent is not None:
        changes["progress"] = max(0, min(100, percent))
    if items is not None:
        changes["items_done"] = items
        if percent is None:
            changes["progress"] = None
    Job.objects.filter(pk=job.pk).update(**changes)


# Downloads ---------------------------------------------------------------------------------------


def defer_download(request: HttpRequest, *, title: str) -> HttpResponseBase | None:
    """In a web request: queue this download as a job and answer with a redirect to its page.
    In the worker replaying it: None, so the view goes on to build the file."""
    if current_job.get() is not None:
        return None
    job = job_enqueue(
        kind="download",
        title=title,
        owner=None if isinstance(request.user, AnonymousUser) else request.user,
        params={"path": request.get_full_path(), "host": request.get_host(), "secure": request.is_secure()},
    )
    return HttpResponseRedirect(job.get_absolute_url())


def exceeds(queryset: QuerySet[Any], limit: int) -> bool:
    """Whether the queryset has more than `limit` rows, counting at most limit + 1 of them."""
    return queryset[: limit + 1].count() > limit


@handler("download")
def _build_download(job: Job) -> None:
    from django.test import RequestFactory  # a plain WSGI request builder, not a test dependency
    from django_htmx.middleware import HtmxDetails

    path = job.params["path"]
    try:
        match = resolve(path.split("?", 1)[0])
    except Resolver404:
        raise JobError(_("该下载地址已不存在。")) from None
    request = RequestFactory().get(path, HTTP_HOST=job.params.get("host", "localhost"), secure=job.params["secure"])
    request.user = job.owner  # type: ignore[assignment]
    request.htmx = HtmxDetails(request)  # type: ignore[attr-defined]
    try:
        response = match.func(request, *match.args, **match.kwargs)
    except Exception as error:
        if error.__class__.__name__ in ("Http404", "PermissionDenied"):
            raise JobError(_("您已无权获取该文件。")) from None
        raise
    if response.status_code != 200:
        raise JobError(_("该文件无法生成（HTTP %(status)s）。") % {"status": response.status_code})
    name = _filename(response) or "download"
    with tempfile.TemporaryFile() as spool:
        for chunk in _content(response):
            spool.write(chunk)
        spool.seek(0)
        job.result.save(name, File(spool), save=False)
    job.result_name = name
    # Not response.close(): that signals the end of a request, which closes the worker's database
    # connection; the response's temporary file is closed when it is collected.


def _content(response: HttpResponseBase) -> Iterator[bytes]:
    if getattr(response, "streaming", False):
        yield from response.streaming_content  # type: ignore[attr-defined]
    else:
        yield response.content  # type: ignore[attr-defined]


def _filename(response: HttpResponseBase) -> str:
    disposition = response.get("Content-Disposition", "")
    for part in disposition.split(";"):
        key, _sep, value = part.strip().partition("=")
        if key == "filename":
            return value.strip('"')
    return ""


@handler("email")
def _send_email(job: Job) -> None:
    from django.core.mail import EmailMessage

    message = EmailMessage(job.params["subject"], job.params["body"], None, job.params["to"])
    try:
        # The SMTP backend gives up after EMAIL_TIMEOUT seconds; the job is tried again later.
        message.send()
    except OSError as error:  # smtplib's errors and socket timeouts are OSErrors
        raise RetryLater(str(error) or error.__class__.__name__) from None

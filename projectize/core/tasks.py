"""With REDIS_URL set, Celery runs background jobs; the job table still holds their state and progress."""

from typing import Any

from celery import shared_task
from celery.schedules import crontab
from celery.signals import worker_ready

from projectize.celery import app
from projectize.core.jobs import job_run, jobs_purge_files, jobs_requeue_stale


@shared_task(name="core.run_job")
def run_job(job_id: int) -> None:
    job_run(job_id)


@shared_task(name="core.requeue_stale_jobs")
def requeue_stale_jobs() -> int:
    return jobs_requeue_stale()


@shared_task(name="core.purge_job_files")
def purge_job_files() -> int:
    return jobs_purge_files()


@worker_ready.connect
def requeue_on_start(**kwargs: Any) -> None:
    # Jobs a killed worker left running are taken up again as soon as a worker is back.
    jobs_requeue_stale()


@app.on_after_finalize.connect
def schedule_job_upkeep(sender: Any, **kwargs: Any) -> None:
    sender.add_periodic_task(300.0, requeue_stale_jobs.s(), name="core requeue stale jobs")
    sender.add_periodic_task(crontab(hour=3, minute=15), purge_job_files.s(), name="core purge old job files")

"""With REDIS_URL set, Celery runs background jobs; the job table still holds their state and progress."""

from celery import shared_task

from projectize.core.jobs import job_run


@shared_task(name="core.run_job")
def run_job(job_id: int) -> None:
    job_run(job_id)

"""With Redis, Celery beat counts the changed figures every few minutes and everything nightly; embedded,
each change queues the count as a job (manage.py run_jobs) and cron may run `manage.py refresh_figures`."""

from typing import Any

from celery import shared_task
from celery.schedules import crontab

from projectize.celery import app
from projectize.reports import rollup


@shared_task(name="reports.count_changed_figures")
def count_changed_figures() -> int:
    return len(rollup.count_changed())


@shared_task(name="reports.count_all_figures")
def count_all_figures() -> int:
    return len(rollup.count_all())


@app.on_after_finalize.connect
def schedule_counts(sender: Any, **kwargs: Any) -> None:
    sender.add_periodic_task(300.0, count_changed_figures.s(), name="reports count changed figures")
    # A safety net for rows written without signals (imports, bulk updates): everything, at night.
    sender.add_periodic_task(crontab(hour=2, minute=40), count_all_figures.s(), name="reports count all figures")

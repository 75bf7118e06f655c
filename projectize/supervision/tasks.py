"""The daily warning check. With Redis, Celery beat runs it every morning; embedded, tasks run eagerly
and `manage.py evaluate_warnings` (from cron or a systemd timer) does the same."""

from typing import Any

from celery import shared_task
from celery.schedules import crontab

from projectize.celery import app
from projectize.supervision.services import warnings_evaluate


@shared_task(name="supervision.evaluate_warnings")
def evaluate_warnings() -> int:
    return len(warnings_evaluate())


@app.on_after_finalize.connect
def schedule_daily_check(sender: Any, **kwargs: Any) -> None:
    sender.add_periodic_task(crontab(hour=6, minute=30), evaluate_warnings.s(), name="supervision daily warnings")

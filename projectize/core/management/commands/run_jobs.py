"""The embedded default's background worker: runs queued jobs (documents, exports, e-mail) as they come."""

import time
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from projectize.core.jobs import jobs_requeue_abandoned, jobs_run_pending


class Command(BaseCommand):
    help = "Run queued background jobs; with --once, run what is due and stop."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run the jobs that are due, then exit.")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between looks at the queue.")

    def handle(self, *args: Any, once: bool, interval: float, **options: Any) -> None:
        # A job still marked running from before this worker started was cut off (a restart).
        jobs_requeue_abandoned(older_than=timedelta(hours=1))
        while True:
            count = jobs_run_pending()
            if count and options["verbosity"] > 1:
                self.stdout.write(f"ran {count} job(s)")
            if once:
                return
            time.sleep(interval)

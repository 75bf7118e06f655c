"""The embedded default's background worker: runs queued jobs (documents, exports, e-mail) as they come."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from projectize.core.jobs import jobs_purge_files, jobs_requeue_stale, jobs_run_pending

# Seconds between looks for jobs a killed worker left running, and between clean-ups of old files.
STALE_CHECK_EVERY = 60
PURGE_EVERY = 3600


class Command(BaseCommand):
    help = "Run queued background jobs; with --once, run what is due and stop."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run the jobs that are due, then exit.")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between looks at the queue.")

    def handle(self, *args: Any, once: bool, interval: float, **options: Any) -> None:
        last_stale_check = last_purge = -float(PURGE_EVERY)
        while True:
            if time.monotonic() - last_stale_check >= STALE_CHECK_EVERY:
                jobs_requeue_stale()
                last_stale_check = time.monotonic()
            if time.monotonic() - last_purge >= PURGE_EVERY:
                jobs_purge_files()
                last_purge = time.monotonic()
            count = jobs_run_pending()
            if count and options["verbosity"] > 1:
                self.stdout.write(f"ran {count} job(s)")
            if once:
                return
            time.sleep(interval)

"""Delete the files of background jobs finished more than JOBS_KEEP_DAYS days ago (run daily)."""

from typing import Any

from django.core.management.base import BaseCommand

from projectize.core.jobs import jobs_purge_files


class Command(BaseCommand):
    help = "Delete the files of jobs finished more than JOBS_KEEP_DAYS days ago."

    def handle(self, *args: Any, **options: Any) -> None:
        count = jobs_purge_files()
        if options["verbosity"] > 0:
            self.stdout.write(f"deleted the files of {count} finished job(s)")

"""Take the demo's accounts out of an installation that loaded it (`load_demo`)."""

from typing import Any

from django.core.management.base import BaseCommand

from projectize.orgs import demo


class Command(BaseCommand):
    help = "Delete the demo's accounts; an account the activity log names is disabled instead (no login)."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted, disabled = demo.unload()
        self.stdout.write(
            self.style.SUCCESS(f"Demo accounts: {deleted} deleted, {disabled} disabled (kept in the activity log).")
        )

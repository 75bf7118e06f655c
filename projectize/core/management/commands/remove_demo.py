"""Take the demo's accounts out of an installation that loaded it (`load_demo`)."""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import ProtectedError

from projectize.core.services import log_activity
from projectize.orgs.models import User

# Every demo account has the address <username>@example.org (a domain reserved for examples).
DEMO_EMAIL_DOMAIN = "@example.org"


class Command(BaseCommand):
    help = "Delete the demo's accounts; an account the activity log names is disabled instead (no login)."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = disabled = 0
        for account in User.objects.filter(email__iendswith=DEMO_EMAIL_DOMAIN).order_by("pk"):
            try:
                with transaction.atomic():
                    account.delete()
                deleted += 1
            except ProtectedError:
                # The append-only log keeps who did what; the account stays as a name but can never log in.
                with transaction.atomic():
                    account.is_active = False
                    account.set_unusable_password()
                    account.save(update_fields=["is_active", "password"])
                    log_activity(actor=None, action="user.update", target=account, after={"is_active": False})
                disabled += 1
        self.stdout.write(
            self.style.SUCCESS(f"Demo accounts: {deleted} deleted, {disabled} disabled (kept in the activity log).")
        )

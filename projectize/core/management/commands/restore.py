from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from projectize.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore an archive written by `manage.py backup` into an empty installation (migrated, no accounts)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)

    def handle(self, *args: Any, archive: Path, **options: Any) -> None:
        try:
            manifest = backup_restore(archive=archive)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Restored the backup of {manifest['created_at']}."))

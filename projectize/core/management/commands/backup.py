from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from projectize.core.backup import backup_create


class Command(BaseCommand):
    help = "Write the database and the uploaded files into one dated, checksummed archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--folder", type=Path, default=Path(settings.BACKUP_DIR), help="Where to write it.")

    def handle(self, *args: Any, folder: Path, **options: Any) -> None:
        archive = backup_create(folder=folder)
        self.stdout.write(self.style.SUCCESS(f"Backup written: {archive} (checksum in {archive.name}.sha256)"))

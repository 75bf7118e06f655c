"""Move activity log entries older than the retention age into a compressed archive file.

等保 2.0 asks that audit records be kept at least 180 days; older entries may leave the live table
for an archive, which must stay intact: each archive is a gzip-compressed JSON-lines file with a
SHA-256 checksum beside it, and the move itself is logged. The entries are written, checked and
deleted in one transaction, the only one allowed to delete from the append-only log.
"""

import datetime
import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from projectize.core.models import ActivityLog
from projectize.core.services import log_activity

# 等保 2.0: audit records are kept at least six months.
MINIMUM_DAYS = 180


class Command(BaseCommand):
    help = "Move activity log entries older than N days (at least 180) to a gzip archive with a SHA-256 checksum."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--older-than-days", type=int, default=settings.ACTIVITY_RETENTION_DAYS)
        parser.add_argument("--to", default=str(settings.ACTIVITY_ARCHIVE_DIR), help="folder for the archive files")

    def handle(self, *args: Any, older_than_days: int, to: str, **options: Any) -> None:
        if older_than_days < MINIMUM_DAYS:
            raise CommandError(
                f"Entries must be kept at least {MINIMUM_DAYS} days (等保 2.0); refusing --older-than-days "
                f"{older_than_days}."
            )
        cutoff = timezone.now() - datetime.timedelta(days=older_than_days)
        folder = Path(to)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"activity-before-{timezone.localdate(cutoff):%Y%m%d}-{timezone.now():%Y%m%d%H%M%S}.jsonl.gz"
        old = ActivityLog.objects.filter(created_at__lt=cutoff)
        with transaction.atomic():
            written = _write(path, old)
            if not written:
                path.unlink()
                self.stdout.write(f"No entries older than {older_than_days} days.")
                return
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            Path(f"{path}.sha256").write_text(f"{digest}  {path.name}\n")
            _allow_deleting_the_log()
            deleted, _per_model = old.delete()
            if deleted != written:
                raise CommandError(f"{written} entries were archived but {deleted} would be deleted; nothing deleted.")
            log_activity(
                actor=None,
                action="activity.archive",
                params={
                    "before": timezone.localdate(cutoff).isoformat(),
                    "count": written,
                    "file": path.name,
                    "sha256": digest,
                },
            )
        self.stdout.write(f"Archived {written} entries to {path} (SHA-256 {digest}).")


def _write(path: Path, entries: Any) -> int:
    """Write the entries as JSON lines into a gzip file; return how many."""
    count = 0
    with gzip.open(path, "wt", encoding="utf-8") as archive:
        for entry in entries.order_by("id").values().iterator(chunk_size=2000):
            archive.write(json.dumps(entry, cls=DjangoJSONEncoder, ensure_ascii=False) + "\n")
            count += 1
    return count


def _allow_deleting_the_log() -> None:
    """Let this transaction, and only it, delete log entries (the PostgreSQL trigger checks this setting)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL projectize.archiving = 'on'")

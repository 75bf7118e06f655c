"""Backup → restore gives back every row of every table and every uploaded file."""

import hashlib
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from projectize.orgs.models import User

pytestmark = pytest.mark.django_db(transaction=True)


def tables() -> dict[str, tuple[int, str]]:
    """Each table's row count and a checksum of all its rows."""
    found = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            cursor.execute(f'SELECT * FROM "{table}" ORDER BY 1')
            rows = cursor.fetchall()
            found[table] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return found


def uploads() -> dict[str, str]:
    root = Path(settings.MEDIA_ROOT)
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()
    }


def test_the_demo_round_trips_through_backup_and_restore(tmp_path):
    call_command("load_demo", "--i-know-this-is-a-demo", stdout=StringIO())
    default_storage.save("attachments/projects/round-trip", ContentFile(b"%PDF-1.4 an uploaded report"))
    before_tables, before_uploads = tables(), uploads()
    assert before_tables["orgs_user"][0] > 50 and before_uploads

    call_command("backup", "--folder", str(tmp_path), stdout=StringIO())
    [archive] = tmp_path.glob("projectize-backup-*.tar.gz")
    assert (tmp_path / f"{archive.name}.sha256").read_text().split()[1] == archive.name

    # An empty installation: migrated, no rows, no uploads.
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT)
    assert not User.objects.exists()

    call_command("restore", str(archive), stdout=StringIO())

    assert tables() == before_tables
    assert uploads() == before_uploads
    # Restoring again would overwrite a live installation: refused.
    with pytest.raises(CommandError, match="empty"):
        call_command("restore", str(archive), stdout=StringIO())


def test_a_damaged_archive_is_refused(tmp_path):
    User.objects.create_user("only")
    call_command("backup", "--folder", str(tmp_path), stdout=StringIO())
    [archive] = tmp_path.glob("projectize-backup-*.tar.gz")
    User.objects.all().delete()
    with archive.open("ab") as stream:
        stream.write(b"tampered")
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(archive), stdout=StringIO())
    assert not User.objects.exists()

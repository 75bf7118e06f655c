"""One dated, checksummed archive of an installation: the database and the uploaded files.

The database is copied while the system runs: `pg_dump --format=custom` on PostgreSQL, SQLite's
online backup API on the embedded default. `manifest.json` inside the archive lists every member
with its SHA-256; a `.sha256` file beside the archive checks the archive as a whole.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connections
from django.utils import timezone

DATABASE_SQLITE = "database.sqlite3"
DATABASE_POSTGRES = "database.pgdump"
MEDIA = "media"
MANIFEST = "manifest.json"


class BackupError(Exception):
    pass


def _database() -> dict[str, Any]:
    return settings.DATABASES["default"]


def _is_sqlite() -> bool:
    return str(_database()["ENGINE"]).endswith("sqlite3")


def _pg_env() -> dict[str, str]:
    db = _database()
    env = {**os.environ, "PGDATABASE": str(db["NAME"]), "PGHOST": str(db.get("HOST") or "")}
    for key, name in (("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if db.get(name):
            env[key] = str(db[name])
    return env


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def backup_create(*, folder: Path) -> Path:
    """Write the archive into `folder` and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    archive = folder / f"projectize-backup-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory() as work_dir:
        work = Path(work_dir)
        if _is_sqlite():
            database = work / DATABASE_SQLITE
            source = sqlite3.connect(str(_database()["NAME"]))
            target = sqlite3.connect(str(database))
            with target:
                source.backup(target)
            source.close()
            target.close()
        else:
            database = work / DATABASE_POSTGRES
            subprocess.run(["pg_dump", "--format=custom", "--file", str(database)], env=_pg_env(), check=True)
        media_root = Path(settings.MEDIA_ROOT)
        if media_root.is_dir():
            shutil.copytree(media_root, work / MEDIA)
        files = sorted(p for p in work.rglob("*") if p.is_file())
        manifest = {
            "created_at": timezone.now().isoformat(),
            "database": database.name,
            "files": {str(p.relative_to(work)): sha256(p) for p in files},
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
        with tarfile.open(archive, "w:gz") as tar:
            for path in [work / MANIFEST, *files]:
                tar.add(path, arcname=str(path.relative_to(work)))
    Path(f"{archive}.sha256").write_text(f"{sha256(archive)}  {archive.name}\n")
    return archive


def backup_restore(*, archive: Path) -> dict[str, Any]:
    """Put an archive back into an installation whose database holds no accounts yet."""
    checksum = Path(f"{archive}.sha256")
    if checksum.exists() and checksum.read_text().split()[0] != sha256(archive):
        raise BackupError(f"{archive.name} does not match {checksum.name}: the archive is damaged.")
    if get_user_model().objects.exists():
        raise BackupError("This installation already has accounts; restore only into an empty one.")
    with tempfile.TemporaryDirectory() as work_dir:
        work = Path(work_dir)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(work, filter="data")
        manifest = json.loads((work / MANIFEST).read_text())
        for name, expected in manifest["files"].items():
            if sha256(work / name) != expected:
                raise BackupError(f"{name} in the archive is damaged (checksum differs).")
        database = work / manifest["database"]
        connections.close_all()
        if database.name == DATABASE_SQLITE:
            if not _is_sqlite():
                raise BackupError("This archive holds an SQLite database; this installation uses PostgreSQL.")
            source = sqlite3.connect(str(database))
            target = sqlite3.connect(str(_database()["NAME"]))
            with target:
                source.backup(target)
            source.close()
            target.close()
        else:
            if _is_sqlite():
                raise BackupError("This archive holds a PostgreSQL dump; this installation uses SQLite.")
            command = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--dbname", str(_database()["NAME"])]
            subprocess.run([*command, str(database)], env=_pg_env(), check=True)
        if (work / MEDIA).is_dir():
            shutil.copytree(work / MEDIA, Path(settings.MEDIA_ROOT), dirs_exist_ok=True)
    return manifest

"""The activity log and the fund ledger cannot be rewritten, even by SQL typed past the application.

On PostgreSQL triggers refuse UPDATE and DELETE (only `archive_activity` may delete old log entries,
after archiving them); on SQLite, the embedded default, triggers refuse UPDATE. When the suite runs on
SQLite the PostgreSQL triggers are still proven, on a scratch PostgreSQL database migrated for it.
"""

import datetime
import gzip
import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from projectize.core.models import ActivityLog
from projectize.core.services import log_activity
from projectize.funds.models import Allocation, Disbursement
from projectize.funds.services import allocation_create, disbursement_request
from tests.append_only import lift_append_only_triggers
from tests.factories import make_root
from tests.funds.factories import assess, fund_world, funded

ROOT = Path(__file__).resolve().parents[2]
PAID_ON = datetime.date(2026, 3, 1)
SCRATCH_URL = os.environ.get("APPEND_ONLY_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def _refused(sql: str, params: list[Any]) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError:
        return True
    return False


@pytest.mark.django_db
def test_raw_sql_cannot_change_a_log_entry():
    entry = log_activity(actor=None, action="organization.create", target=make_root())
    assert _refused("UPDATE core_activitylog SET action = 'forged' WHERE id = %s", [entry.pk])
    assert ActivityLog.objects.get(pk=entry.pk).action == "organization.create"


@pytest.mark.django_db
def test_raw_sql_cannot_change_what_the_ledger_recorded():
    world = fund_world()
    funded(world)
    assess(world, world.project)
    allocation = allocation_create(
        project=world.project, year=2026, amount=Decimal("1000"), reason="启动经费", actor=world.admin
    )
    payment = disbursement_request(
        allocation=allocation, amount=Decimal("100"), purpose="印制宣传册", paid_on=PAID_ON, actor=world.finance
    )
    assert _refused("UPDATE funds_allocation SET amount = amount * 10 WHERE id = %s", [allocation.pk])
    assert _refused("UPDATE funds_disbursement SET purpose = 'forged' WHERE id = %s", [payment.pk])
    # What may change does: the running total drawn from an allocation.
    assert not _refused("UPDATE funds_allocation SET drawn = drawn WHERE id = %s", [allocation.pk])
    assert Allocation.objects.get(pk=allocation.pk).amount == allocation.amount
    assert Disbursement.objects.get(pk=payment.pk).purpose == "印制宣传册"


@pytest.fixture
def postgres_cursor(request) -> Iterator[Any]:
    """A cursor on a migrated PostgreSQL database: the test database, or a scratch one."""
    if connection.vendor == "postgresql":
        request.getfixturevalue("db")
        with connection.cursor() as cursor:
            yield cursor
        return
    import psycopg

    name = f"projectize_append_only_{os.getpid()}"
    admin = psycopg.connect(SCRATCH_URL, autocommit=True)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    url = SCRATCH_URL.rsplit("/", 1)[0] + "/" + name
    try:
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "projectize.settings", "DEBUG": "true"}
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=600,
        )
        with psycopg.connect(url, autocommit=True) as scratch:
            yield scratch.cursor()
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _refused_on(cursor: Any, sql: str) -> bool:
    cursor.execute("SAVEPOINT attempt")
    try:
        cursor.execute(sql)
    except Exception as error:  # the driver's own error class: psycopg's, or Django's wrapper
        cursor.execute("ROLLBACK TO SAVEPOINT attempt")
        return "append-only" in str(error)
    cursor.execute("RELEASE SAVEPOINT attempt")
    return False


def test_postgresql_refuses_update_and_delete_of_the_log_and_the_ledger(postgres_cursor):
    cursor = postgres_cursor
    cursor.execute("BEGIN") if connection.vendor != "postgresql" else None
    cursor.execute(
        "INSERT INTO core_activitylog (created_at, action, params, message, target_id, target_repr, before, after) "
        "VALUES (now(), 'organization.create', '{}', '', '', '', '{}', '{}')"
    )
    for statement in ("UPDATE core_activitylog SET action = 'forged'", "DELETE FROM core_activitylog"):
        assert _refused_on(cursor, statement), statement
    # The ledger tables are empty here: their triggers are read from the catalog (the UPDATE ones are
    # tried on rows above, on whichever database the suite runs).
    cursor.execute(
        "SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE 'funds_%'"
    )
    assert sorted(cursor.fetchall()) == [
        ("funds_allocation", "funds_allocation_fixed"),
        ("funds_allocation", "funds_allocation_no_delete"),
        ("funds_disbursement", "funds_disbursement_fixed"),
        ("funds_disbursement", "funds_disbursement_no_delete"),
    ]
    # archive_activity's own transaction may delete log entries.
    cursor.execute("SET LOCAL projectize.archiving = 'on'")
    assert not _refused_on(cursor, "DELETE FROM core_activitylog")
    cursor.execute("ROLLBACK") if connection.vendor != "postgresql" else None


@pytest.mark.django_db
def test_archive_activity_moves_old_entries_to_a_checked_gzip_file(tmp_path):
    town = make_root()
    old = log_activity(actor=None, action="organization.create", target=town)
    recent = log_activity(actor=None, action="organization.update", target=town)
    # Backdating an entry is what the trigger forbids; the test does it below the application.
    lift_append_only_triggers()
    ActivityLog.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=400))

    with pytest.raises(CommandError, match="at least 180 days"):
        call_command("archive_activity", "--older-than-days", "90", "--to", str(tmp_path))
    call_command("archive_activity", "--older-than-days", "365", "--to", str(tmp_path))

    [archive] = tmp_path.glob("*.jsonl.gz")
    [checksum] = tmp_path.glob("*.sha256")
    assert checksum.read_text() == f"{hashlib.sha256(archive.read_bytes()).hexdigest()}  {archive.name}\n"
    lines = [json.loads(line) for line in gzip.decompress(archive.read_bytes()).decode().splitlines()]
    assert [(line["id"], line["action"]) for line in lines] == [(old.pk, "organization.create")]
    assert not ActivityLog.objects.filter(pk=old.pk).exists()
    assert ActivityLog.objects.filter(pk=recent.pk).exists()
    logged = ActivityLog.objects.get(action="activity.archive")
    assert logged.params["count"] == 1
    assert logged.params["sha256"] == hashlib.sha256(archive.read_bytes()).hexdigest()

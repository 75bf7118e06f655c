"""The activity log and the fund ledger are append-only in the database itself, not only in Python.

PostgreSQL: a trigger refuses UPDATE and DELETE of activity log entries (except the deletion
`manage.py archive_activity` makes after writing them to an archive file, inside a transaction that
sets `projectize.archiving`), refuses DELETE of allocations and disbursements, and refuses UPDATE of
what a ledger row records (only an allocation's running `drawn` total, and a requested disbursement's
decision, may change).

SQLite (the embedded default) gets the UPDATE triggers; it has no DELETE triggers because Django's
`flush` (used between tests and by `manage.py flush`) empties tables with DELETE, where PostgreSQL
uses TRUNCATE, which row triggers do not see. (A later migration that rebuilds one of these tables
on SQLite drops its trigger: such a migration must create it again.)
"""

from django.db import migrations

ALLOCATION_FIXED = (
    "budget_id",
    "project_id",
    "person_id",
    "tier_id",
    "assessment_id",
    "grade",
    "amount",
    "reason",
    "reverses_id",
    "created_by_id",
    "created_at",
)
DISBURSEMENT_FIXED = ("allocation_id", "amount", "purpose", "paid_on", "reverses_id", "requested_by_id", "requested_at")
# A decided disbursement (approved or rejected) keeps its decision.
DISBURSEMENT_DECIDED = "OLD.status <> 'requested' AND (OLD.status, OLD.approved_by_id, OLD.decided_at) IS DISTINCT FROM (NEW.status, NEW.approved_by_id, NEW.decided_at)"


def _changed_pg(columns: tuple[str, ...]) -> str:
    old = ", ".join(f"OLD.{c}" for c in columns)
    new = ", ".join(f"NEW.{c}" for c in columns)
    return f"({old}) IS DISTINCT FROM ({new})"


def _changed_sqlite(columns: tuple[str, ...]) -> str:
    return " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)


POSTGRES = f"""
CREATE OR REPLACE FUNCTION projectize_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'core_activitylog'
            AND current_setting('projectize.archiving', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '% of % rows is not allowed: they are append-only', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_activitylog_append_only BEFORE UPDATE OR DELETE ON core_activitylog
    FOR EACH ROW EXECUTE FUNCTION projectize_refuse_change();
CREATE TRIGGER funds_allocation_no_delete BEFORE DELETE ON funds_allocation
    FOR EACH ROW EXECUTE FUNCTION projectize_refuse_change();
CREATE TRIGGER funds_allocation_fixed BEFORE UPDATE ON funds_allocation
    FOR EACH ROW WHEN ({_changed_pg(ALLOCATION_FIXED)}) EXECUTE FUNCTION projectize_refuse_change();
CREATE TRIGGER funds_disbursement_no_delete BEFORE DELETE ON funds_disbursement
    FOR EACH ROW EXECUTE FUNCTION projectize_refuse_change();
CREATE TRIGGER funds_disbursement_fixed BEFORE UPDATE ON funds_disbursement
    FOR EACH ROW WHEN ({_changed_pg(DISBURSEMENT_FIXED)} OR ({DISBURSEMENT_DECIDED}))
    EXECUTE FUNCTION projectize_refuse_change();
"""
POSTGRES_REVERSE = """
DROP TRIGGER IF EXISTS core_activitylog_append_only ON core_activitylog;
DROP TRIGGER IF EXISTS funds_allocation_no_delete ON funds_allocation;
DROP TRIGGER IF EXISTS funds_allocation_fixed ON funds_allocation;
DROP TRIGGER IF EXISTS funds_disbursement_no_delete ON funds_disbursement;
DROP TRIGGER IF EXISTS funds_disbursement_fixed ON funds_disbursement;
DROP FUNCTION IF EXISTS projectize_refuse_change();
"""
SQLITE = [
    "CREATE TRIGGER core_activitylog_append_only BEFORE UPDATE ON core_activitylog "
    "BEGIN SELECT RAISE(ABORT, 'UPDATE of core_activitylog rows is not allowed: they are append-only'); END",
    f"CREATE TRIGGER funds_allocation_fixed BEFORE UPDATE ON funds_allocation WHEN {_changed_sqlite(ALLOCATION_FIXED)} "
    "BEGIN SELECT RAISE(ABORT, 'UPDATE of funds_allocation rows is not allowed: they are append-only'); END",
    "CREATE TRIGGER funds_disbursement_fixed BEFORE UPDATE ON funds_disbursement "
    f"WHEN {_changed_sqlite(DISBURSEMENT_FIXED)} OR (OLD.status <> 'requested' AND "
    "(OLD.status IS NOT NEW.status OR OLD.approved_by_id IS NOT NEW.approved_by_id OR OLD.decided_at IS NOT NEW.decided_at)) "
    "BEGIN SELECT RAISE(ABORT, 'UPDATE of funds_disbursement rows is not allowed: they are append-only'); END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS core_activitylog_append_only",
    "DROP TRIGGER IF EXISTS funds_allocation_fixed",
    "DROP TRIGGER IF EXISTS funds_disbursement_fixed",
]


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES, params=None)  # no placeholders: the % belong to RAISE
    elif vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement)


def remove(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_REVERSE, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_initial"),
        ("funds", "0002_initial"),
    ]

    operations = [migrations.RunPython(install, remove)]

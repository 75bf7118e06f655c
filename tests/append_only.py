"""For tests that must rewrite history to set up a case (backdate a log entry, poison every text column)."""

from django.db import connection

TRIGGERS = {
    "core_activitylog": ["core_activitylog_append_only"],
    "funds_allocation": ["funds_allocation_fixed", "funds_allocation_no_delete"],
    "funds_disbursement": ["funds_disbursement_fixed", "funds_disbursement_no_delete"],
}


def lift_append_only_triggers() -> None:
    """Drop (SQLite) or disable (PostgreSQL) the append-only triggers inside the test's transaction,
    which is rolled back afterwards, so they are back for the next test."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # ALTER TABLE waits for no deferred foreign-key checks of this transaction.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table, triggers in TRIGGERS.items():
            if connection.vendor == "postgresql":
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            else:
                for trigger in triggers:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")

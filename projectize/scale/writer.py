"""Rows written in bulk: COPY on PostgreSQL, batched INSERT elsewhere (SQLite at test size).

A table is declared with the columns the generator fills; every other column takes the model's own
default, so a field added later with a default needs no change here, and one without a default
stops the generator at once with its name.

On PostgreSQL the tables' secondary indexes, unique constraints and foreign keys are set aside while the
rows go in and built again afterwards (`indexes_built_after`): one sort per index and one join per
foreign key instead of an index insertion and a deferred check per row, which is most of the
database's work at city scale.
"""

import datetime
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max

BATCH = 20_000


class Table:
    def __init__(self, model: type[models.Model], columns: Sequence[str]) -> None:
        meta = model._meta
        supplied = [meta.get_field(name) for name in ("id", *columns)]
        names = {field.attname for field in supplied}  # type: ignore[union-attr]
        tail: list[tuple[str, Any]] = []
        for field in meta.concrete_fields:
            if field.attname in names:
                continue
            if not field.has_default() and not field.null and not field.empty_strings_allowed:
                raise ImproperlyConfigured(f"generate_scale gives no value for {meta.label}.{field.name}")
            if field.has_default() and callable(field.default) and field.unique:
                raise ImproperlyConfigured(f"generate_scale must give each {meta.label}.{field.name} its own value")
            tail.append((str(field.column), field.get_db_prep_save(field.get_default(), connection)))
        self.model = model
        self.columns = [str(field.column) for field in supplied] + [column for column, _value in tail]  # type: ignore[union-attr]
        self.tail = tuple(value for _column, value in tail)
        self.rows: list[tuple[Any, ...]] = []
        self.written = 0
        self.last_id = model._default_manager.aggregate(last=Max("id"))["last"] or 0

    def new_id(self) -> int:
        self.last_id += 1
        return self.last_id

    def add(self, *values: Any) -> int:
        """Queue one row (its id first) and return the id."""
        self.rows.append(values + self.tail)
        if len(self.rows) >= BATCH:
            self.flush()
        return int(values[0])

    def flush(self) -> None:
        if not self.rows:
            return
        table = connection.ops.quote_name(str(self.model._meta.db_table))
        columns = ", ".join(connection.ops.quote_name(column) for column in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({marks})", [_plain(row) for row in self.rows]
                )
        self.written += len(self.rows)
        self.rows = []


def _plain(row: tuple[Any, ...]) -> list[Any]:
    # SQLite keeps moments as naive UTC text, as Django writes them.
    return [
        connection.ops.adapt_datetimefield_value(value) if isinstance(value, datetime.datetime) else value
        for value in row
    ]


def reset_sequences(tables: Sequence[Table]) -> None:
    """Ids were given here, not by the database: its next id must follow the last one written."""
    statements = connection.ops.sequence_reset_sql(no_style(), [table.model for table in tables])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


@contextmanager
def indexes_built_after(tables: Sequence[Table], say: Any = None) -> Iterator[None]:
    """PostgreSQL: drop the tables' foreign keys, unique constraints no foreign key depends on, and
    plain indexes; give the body the bare tables (primary keys kept); create them again, exactly as
    the migrations made them (same names and definitions), also when the body fails. Elsewhere, nothing.

    Creating a unique constraint again checks the rows written, and adding a foreign key checks every
    reference, so the data ends as checked as if each row had been checked on its way in.

    Partial indexes stay: PostgreSQL prints a predicate such as `status IN (...)` in a form that reads
    back as an equivalent but differently written one, and the schema must stay as migrated."""
    if connection.vendor != "postgresql":
        yield
        return
    names = [str(table.model._meta.db_table) for table in tables]
    with connection.cursor() as cursor:
        # Constraints first (foreign keys before the unique constraints they might lean on), then the
        # indexes that back no constraint.
        cursor.execute(
            """
            SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.contype
              FROM pg_constraint c
             WHERE c.conrelid = ANY(%s::regclass[])
               AND (c.contype = 'f'
                    OR (c.contype = 'u' AND NOT EXISTS (
                        SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = c.conindid)))
             ORDER BY c.contype = 'f' DESC, c.conrelid, c.conname
            """,
            [names],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
              FROM pg_index i
             WHERE i.indrelid = ANY(%s::regclass[])
               AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
               AND i.indpred IS NULL
             ORDER BY i.indrelid, i.indexrelid::regclass::text
            """,
            [names],
        )
        indexes = cursor.fetchall()
        for table, name, _definition, _kind in constraints:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            # Index builds sort in memory rather than on disk; the setting lasts for this session only.
            cursor.execute("SET maintenance_work_mem = '512MB'")
            for _name, definition in indexes:
                cursor.execute(definition)
            # Unique constraints before the foreign keys, which may point at them.
            for table, name, definition, _kind in sorted(constraints, key=lambda row: row[3] == "f"):
                cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}")
            cursor.execute("RESET maintenance_work_mem")
        if say is not None:
            say(f"built {len(indexes)} indexes, {len(constraints)} constraints again")

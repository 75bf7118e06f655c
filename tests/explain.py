"""EXPLAIN helpers for the tests that read a page's plans over generated data on PostgreSQL (issue 15): no
page reads a large table whole."""

import json
import re
from collections.abc import Iterable
from typing import Any

from django.db import connection

# A table this large is never read whole by a page.
LARGE = 10_000


def large_tables() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples >= %s", [LARGE])
        return {name for (name,) in cursor.fetchall()}


def whole_reads(plan: dict[str, Any], large: set[str]) -> list[str]:
    found = []
    if plan.get("Node Type") == "Seq Scan" and plan.get("Relation Name") in large:
        found.append(plan["Relation Name"])
    for child in plan.get("Plans", []):
        found += whole_reads(child, large)
    return found


def plans_of(captured: Iterable[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    """(SQL, plan) of each SELECT among the captured queries.

    The data here is a few percent of a city: with the default cost of a random read (4.0, spinning disks)
    the planner reads a table of a few ten thousand rows whole where, at city scale, it goes through the
    index (checked on the bench's database). The plans are read with the cost of SSD storage (1.1), under
    which a table is read whole only where no index serves the query."""
    found = []
    with connection.cursor() as cursor:
        cursor.execute("SET random_page_cost = 1.1")
        try:
            for query in captured:
                # A server-side cursor's query (QuerySet.iterator, a form's choices) is planned as the query.
                sql = re.sub(r'^DECLARE "\w+" NO SCROLL CURSOR WITH HOLD FOR ', "", query["sql"])
                if sql.startswith(("SELECT", "(SELECT", "WITH")):
                    cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
                    raw = cursor.fetchone()[0]
                    found.append((sql, (raw if isinstance(raw, list) else json.loads(raw))[0]["Plan"]))
        finally:
            cursor.execute("RESET random_page_cost")
    return found


def whole_reads_of(captured: Iterable[dict[str, Any]], large: set[str], where: str) -> list[str]:
    """What the captured queries read whole, each named with `where` (the reader and the page)."""
    return [
        f"{where}: reads {table} whole: {sql[:200]}"
        for sql, plan in plans_of(captured)
        for table in whole_reads(plan, large)
    ]

"""On PostgreSQL, over a generated log of moderate size, a district's staff read the activity log's first page,
its "next" page, a page by number and the export's request through indexes: no query reads the log (or any
other large table) whole (issue 15). Skipped on SQLite; run it with DATABASE_URL pointing at PostgreSQL."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projectize.core.jobs import jobs_run_pending
from projectize.orgs.models import User
from tests.explain import LARGE, large_tables, whole_reads_of

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="plans are PostgreSQL's"),
]

SIZES = ["--orgs", "2000", "--projects", "2000", "--needs", "200", "--claims", "20", "--log-rows", "60000"]


def test_a_district_reader_pages_and_exports_the_log_through_indexes(client):
    call_command("generate_scale", *SIZES, "--seed", "5", "--i-know-this-is-synthetic", stdout=io.StringIO())
    large = large_tables()
    assert "core_activitylog" in large, f"the log has at least {LARGE:,} rows"
    client.force_login(User.objects.get(username="d01_admin"))
    first = client.get("/activity/")
    assert first.status_code == 200 and len(first.context["page"]) == 50
    # Every town's entries are the district's: the first page is full and "next" leads on.
    assert first.context["after"]
    urls = [
        "/activity/",
        f"/activity/?after={first.context['after'].replace('+', '%2B')}&page=2",
        "/activity/?page=30",
        "/activity/?export=xlsx",
    ]
    problems = []
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == (302 if "export" in url else 200), url
        problems += whole_reads_of(captured, large, url)
    # The worker writes the export a chunk at a time through the created_at index (one cursor over the
    # whole log would sort it first); its first chunks are read as every later one is.
    with CaptureQueriesContext(connection) as captured:
        assert jobs_run_pending() == 1
    reads = [query for query in captured if 'FROM "core_activitylog"' in query["sql"]]
    assert any('"core_activitylog"."created_at" <' in query["sql"] for query in reads), "no chunk after the first"
    problems += whole_reads_of(reads[:4], large, "export")
    assert not problems, "\n".join(problems)

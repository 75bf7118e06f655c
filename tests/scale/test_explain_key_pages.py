"""On PostgreSQL, over a generated city of moderate size, the key pages beside the project pages and the log
(home, needs, claims, the target board, the dashboards at every level, the public home and target list)
reach their rows through indexes: no query reads a large table whole (issue 15). Skipped on SQLite; run it
with DATABASE_URL pointing at PostgreSQL. The project pages, the organization tree and the activity log
have theirs (tests/projects/test_explain_plans.py, tests/core/test_activity_explain.py)."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projectize.claims.models import Claim
from projectize.orgs.models import Organization, User
from projectize.reports import rollup
from tests.explain import large_tables, whole_reads_of

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="plans are PostgreSQL's"),
]

SIZES = ["--orgs", "40000", "--projects", "12000", "--needs", "40000", "--claims", "12000", "--log-rows", "5000"]


def pages() -> list[tuple[str | None, str]]:
    town = User.objects.get(username="t0001_admin").grants.get().organization
    district = Organization.objects.get(path=town.path[: 2 * Organization.steplen])
    claim = Claim.objects.filter(organization__path__startswith=town.path).order_by("pk").first()
    assert claim is not None
    # The bench's readers (bench/run.py): a town's admin, leader and branch secretary, the city's staff.
    found: list[tuple[str | None, str]] = [("u000001", "/")]
    for who in ("t0001_admin", "t0001_leader1"):
        found += [(who, "/needs/"), (who, "/needs/?page=40"), (who, "/needs/?status=received")]
    found += [("t0001_admin", url) for url in ("/", "/claims/all/", "/claims/all/?page=20", f"/claims/{claim.pk}/")]
    found += [("t0001_admin", "/programmes/targets/"), ("t0001_admin", "/reports/dashboard/")]
    found += [("city_admin", "/reports/dashboard/"), ("city_admin", f"/reports/dashboard/?org={district.pk}")]
    found += [(None, "/public/"), (None, "/programmes/public/"), (None, "/programmes/public/?page=5")]
    return found


def test_no_key_page_reads_a_large_table_whole(client):
    call_command("generate_scale", *SIZES, "--seed", "7", "--i-know-this-is-synthetic", stdout=io.StringIO())
    rollup.count_all()  # the dashboards and the public home read the counted figures
    large = large_tables()
    assert {"needs_need", "claims_claim", "projects_project", "orgs_organization"} <= large
    problems = []
    for who, url in pages():
        client.logout()
        if who:
            client.force_login(User.objects.get(username=who))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, (who, url)
        problems += whole_reads_of(captured, large, f"{who or 'visitor'} {url}")
    assert not problems, "\n".join(problems)

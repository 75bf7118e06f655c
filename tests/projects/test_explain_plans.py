"""On PostgreSQL, over a generated data set of moderate size, no query of the project pages or the organization
tree reads a large table whole: every plan reaches its rows through an index (issue 15). Skipped on SQLite.

Run it with DATABASE_URL pointing at a PostgreSQL server; it generates its own data (about a minute)."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projectize.orgs.models import Organization, User
from projectize.projects.models import Call, Project, ProjectStatus
from tests.explain import large_tables, whole_reads_of

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="plans are PostgreSQL's"),
]

SIZES = ["--orgs", "12000", "--projects", "60000", "--needs", "200", "--claims", "20", "--log-rows", "20000"]


def pages() -> list[tuple[str, str]]:
    town = Organization.objects.get(path=User.objects.get(username="t0001_admin").grants.get().organization.path)
    project = Project.objects.filter(organization_path__startswith=town.path, status=ProjectStatus.IN_PROGRESS).first()
    own = Project.objects.filter(responsible__username="u000001").first() or project
    assert project is not None and own is not None
    call = Call.objects.filter(organization=town).first()
    assert project is not None and call is not None
    lists = [
        "/projects/",
        "/projects/?page=300",
        f"/projects/?year={project.year}&status=in_progress&type={project.type}",
        f"/projects/?organization={town.pk}&page=20",
        "/projects/?sort=title&page=40",
        "/projects/?sort=organization",
        "/projects/?sort=-updated&page=100",
    ]
    readers = ["city_admin", "d01_leader", "t0001_admin", "t0001_leader1", "u000001"]
    found = [(who, url) for who in readers for url in lists]
    found += [(who, project.get_absolute_url()) for who in ("t0001_admin", "t0001_leader1")]
    found += [("u000001", own.get_absolute_url()), ("t0001_admin", f"/projects/{project.pk}/application/")]
    # The generated running projects leave overdue milestones and reports (tens of thousands here).
    overdue = ["/projects/overdue/", "/projects/overdue/?page=150"]
    overdue_readers = ("city_admin", "d01_admin", "d01_leader", "t0001_admin", "u000001")
    found += [(who, url) for who in overdue_readers for url in overdue]
    found += [("city_admin", "/projects/calls/"), ("t0001_admin", call.get_absolute_url())]
    root = Organization.objects.get(depth=1)
    found += [(who, "/orgs/") for who in ("city_admin", "t0001_admin", "u000001")]
    found += [("city_admin", f"/orgs/{root.pk}/children/"), ("city_admin", f"/orgs/{town.pk}/children/?page=2")]
    found += [("t0001_admin", town.get_absolute_url())]
    return found


def test_no_page_reads_a_large_table_whole(client):
    call_command("generate_scale", *SIZES, "--seed", "3", "--i-know-this-is-synthetic", stdout=io.StringIO())
    large = large_tables()
    assert {"projects_project", "orgs_organization", "projects_milestone", "projects_progressreport"} <= large
    problems = []
    for who, url in pages():
        client.force_login(User.objects.get(username=who))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, (who, url)
        problems += whole_reads_of(captured, large, f"{who} {url}")
    assert not problems, "\n".join(problems)

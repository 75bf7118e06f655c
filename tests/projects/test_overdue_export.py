"""督办 exports every overdue item the list shows (not one page), and only of projects the user may see."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projectize.projects.models import Milestone, ProgressReport, ProjectStatus
from tests.core.test_list_exports import rows_of
from tests.factories import PASSWORD
from tests.projects.factories import make_project

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
HEADERS = ("逾期程度", "项目", "组织", "逾期事项", "应完成日期", "逾期天数")


def overdue(project, days, title="成立议事会"):
    return Milestone.objects.create(project=project, title=title, due_date=TODAY - datetime.timedelta(days=days))


@pytest.fixture
def projects(org, other_org):
    ours = make_project(org, status=ProjectStatus.IN_PROGRESS, code="2026-SF-001", title="楼组微议事")
    theirs = make_project(other_org, status=ProjectStatus.IN_PROGRESS, code="2026-SF-002", title="邻里守望")
    ProgressReport.objects.create(project=ours, number=1, due_date=TODAY - datetime.timedelta(days=20))
    overdue(ours, 3)
    overdue(theirs, 5, "建立志愿队")
    return ours, theirs


def export(client, username, **params):
    assert client.login(username=username, password=PASSWORD)
    return rows_of(client.get("/projects/overdue/", {"export": "xlsx", **params}))


def test_the_overdue_export_lists_the_organizations_own_items_reddest_first(client, projects, secretary):
    rows = export(client, "sec01")
    assert rows[0] == HEADERS
    # The other organization's overdue milestone is not among them.
    assert rows[1:] == [
        ("严重逾期", "2026-SF-001 楼组微议事", "春申居民区党总支", "第 1 期进展报告", days_ago(20), 20),
        ("逾期", "2026-SF-001 楼组微议事", "春申居民区党总支", "成立议事会", days_ago(3), 3),
    ]


def test_town_staff_export_every_item_not_one_page(client, projects, admin):
    _, theirs = projects
    for n in range(55):
        overdue(theirs, 1, f"步骤{n}")
    rows = export(client, "admin", page="2")
    assert len(rows) == 1 + 3 + 55
    assert rows[1][3] == "第 1 期进展报告" and "建立志愿队" in [row[3] for row in rows]


def test_someone_who_sees_no_project_exports_no_items(client, projects, expert):
    assert export(client, "expert1") == [HEADERS]


def test_the_overdue_export_queries_stay_flat(client, projects, admin):
    export(client, "admin")

    def count():
        with CaptureQueriesContext(connection) as queries:
            rows_of(client.get("/projects/overdue/", {"export": "xlsx"}))
        return len(queries)

    small = count()
    for n in range(20):
        overdue(make_project(projects[1].organization, status=ProjectStatus.IN_PROGRESS, code=f"X-{n}"), 2)
    assert count() == small


def days_ago(days):
    """The date `days` before today, as the workbook reads it back."""
    return datetime.datetime.combine(TODAY - datetime.timedelta(days=days), datetime.time())


def test_the_overdue_list_links_to_its_export(client, projects, admin):
    assert client.login(username="admin", password=PASSWORD)
    assert 'href="?export=xlsx"' in client.get("/projects/overdue/", {"page": "1"}).content.decode()

"""The accountability records export every row the list shows, and only the organizations the user reads."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projectize.orgs.models import Role
from projectize.supervision.services import accountability_record
from tests.core.test_list_exports import rows_of
from tests.factories import PASSWORD, make_org, make_root, user_with_role
from tests.supervision.factories import world

pytestmark = pytest.mark.django_db

HEADERS = ("问责日期", "被问责组织", "被问责人", "问责方式", "问责事由", "相关项目")


@pytest.fixture
def w():
    w = world()
    accountability_record(
        organization=w.org,
        date=datetime.date(2026, 5, 6),
        measure="talk",
        reason="进展报告长期逾期",
        project=w.project,
        person=w.secretary,
        actor=w.admin,
    )
    accountability_record(
        organization=w.other_org, date=datetime.date(2026, 6, 1), measure="criticism", reason="台账缺失", actor=w.admin
    )
    elsewhere = make_root("泗泾镇党委")
    accountability_record(
        organization=make_org(elsewhere, "泗泾居民区党总支"),
        date=datetime.date(2026, 6, 2),
        measure="rectify",
        reason="别处的问责",
        actor=user_with_role(Role.TOWN_ADMIN, elsewhere, username="sijing"),
    )
    return w


def export(client, username):
    assert client.login(username=username, password=PASSWORD)
    return rows_of(client.get("/supervision/accountability/", {"page": "2", "export": "xlsx"}))


def test_staff_export_the_records_of_their_town_newest_first(client, w):
    rows = export(client, "admin")
    assert rows[0] == HEADERS
    assert rows[1:] == [
        # Read-only openpyxl leaves off a row's empty cells at the end.
        (datetime.datetime(2026, 6, 1), "明华居民区党总支", None, "通报批评", "台账缺失"),
        (
            datetime.datetime(2026, 5, 6),
            "春申居民区党总支",
            str(w.secretary),
            "约谈",
            "进展报告长期逾期",
            "2026-SF-001 楼组微议事",
        ),
    ]


def test_an_organization_exports_only_its_own_records(client, w):
    assert [row[4] for row in export(client, "sec")[1:]] == ["进展报告长期逾期"]
    assert [row[4] for row in export(client, "othersec")[1:]] == ["台账缺失"]


def test_someone_without_a_role_exports_no_records(client, w):
    user_with_role(Role.REVIEWER, w.committee, username="expert")
    assert export(client, "expert") == [HEADERS]


def test_the_record_export_queries_stay_flat(client, w):
    export(client, "admin")

    def count():
        with CaptureQueriesContext(connection) as queries:
            rows_of(client.get("/supervision/accountability/", {"export": "xlsx"}))
        return len(queries)

    small = count()
    for n in range(20):
        accountability_record(
            organization=w.org, date=datetime.date(2026, 1, 1), measure="other", reason=f"r{n}", actor=w.admin
        )
    assert count() == small


def test_the_record_list_links_to_its_export(client, w):
    assert client.login(username="admin", password=PASSWORD)
    assert 'href="?export=xlsx"' in client.get("/supervision/accountability/", {"page": "1"}).content.decode()

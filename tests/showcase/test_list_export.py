"""The showcase list exports every showcase it shows, and none of another town's."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projectize.orgs.models import Role
from projectize.showcase.models import ShowcaseStatus
from tests.core.test_list_exports import rows_of
from tests.factories import make_org, make_root, user_with_role
from tests.showcase.factories import make_showcase, make_world

pytestmark = pytest.mark.django_db

HEADERS = ("年度", "名称", "主题", "推荐开始日期", "推荐截止日期", "群众投票开始时间", "群众投票截止时间", "状态")


@pytest.fixture
def world():
    world = make_world(1)
    make_showcase(world.admin, world.committee, year=2012, status=ShowcaseStatus.PUBLISHED)
    make_showcase(world.admin, world.committee, year=2013)
    elsewhere = make_root("泗泾镇党委")
    make_org(elsewhere, "泗泾居民区党总支")
    make_showcase(user_with_role(Role.TOWN_ADMIN, elsewhere, username="sijing"), elsewhere, year=2014, title="别处展评")
    return world


def export(client, user, **params):
    client.force_login(user)
    return rows_of(client.get("/showcase/", {"export": "xlsx", **params}))


def test_staff_export_their_towns_showcases_newest_first(client, world):
    rows = export(client, world.admin, page="2")
    assert rows[0] == HEADERS
    assert [(row[0], row[1], row[7]) for row in rows[1:]] == [
        (2013, "2013 年七一党建项目展评", "筹备中"),
        (2012, "2012 年七一党建项目展评", "已表彰"),
    ]
    assert isinstance(rows[1][3], datetime.datetime) and isinstance(rows[1][5], datetime.datetime)


def test_an_organization_exports_the_showcases_of_the_committee_above_it(client, world):
    assert [row[0] for row in export(client, world.secretaries[0])[1:]] == [2013, 2012]


def test_a_user_of_no_committee_exports_no_showcases(client, world):
    assert export(client, user_with_role(Role.REVIEWER, world.orgs[0])) == [HEADERS]


def test_the_showcase_export_queries_stay_flat(client, world):
    export(client, world.admin)

    def count():
        with CaptureQueriesContext(connection) as queries:
            rows_of(client.get("/showcase/", {"export": "xlsx"}))
        return len(queries)

    small = count()
    for year in range(2000, 2010):
        make_showcase(world.admin, world.committee, year=year)
    assert count() == small


def test_the_showcase_list_links_to_its_export(client, world):
    client.force_login(world.admin)
    assert 'href="?export=xlsx"' in client.get("/showcase/", {"page": "1"}).content.decode()

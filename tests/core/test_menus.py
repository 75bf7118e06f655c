"""The menus of the staff bar are shown by permission (`perms.<app>.<perm>` from `rules`), and each role sees
exactly its own menus: the same ones it saw when the bar tested role names."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projectize.orgs.models import CommitteeProfile, Organization, Role
from tests.factories import UserFactory, grant, make_org, make_root

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<a class="(?:nav-link|dropdown-item|nav-link dropdown-toggle)" href="([^"]*)"[^>]*>([^<]*)</a>')

ORGS_AND_USERS = [
    "组织与用户 #",
    "组织架构 /orgs/",
    "组织列表 /orgs/list/",
    "Excel 导入 /orgs/import/",
    "用户 /orgs/users/",
    "操作日志 /activity/",
    "接口令牌 /integrations/tokens/",
    "事件推送记录 /integrations/deliveries/",
]
ORGS = ["组织 #", "组织架构 /orgs/", "组织列表 /orgs/list/"]
PROJECTS = ["三型项目 #", "项目列表 /projects/", "年度申报 /projects/calls/"]
OVERDUE = ["督办清单 /projects/overdue/"]
REVIEWS = ["评审 #", "评审轮次 /reviews/all/", "评分标准 /reviews/rubrics/", "我的评审 /reviews/"]
MY_REVIEWS = ["我的评审 /reviews/"]
# A town that has not named its brand programme (and district staff) see it under a neutral name.
XINQIAO = ["区域化党建 #", "需求征集 /needs/", "品牌项目 /programmes/", "认领统计 /claims/statistics/"]
MY_CLAIMS = ["我的认领 /claims/"]
SUPERVISION = [
    "督查指导 #",
    "督查活动 /supervision/",
    "活动日历 /supervision/calendar/",
    "反馈函 /supervision/letters/",
    "预警 /supervision/warnings/",
    "问责记录 /supervision/accountability/",
]
WARNING_RULES = ["预警规则 /supervision/rules/"]
LETTERS_AND_WARNINGS = ["反馈函 /supervision/letters/", "预警 /supervision/warnings/"]
FUNDS = ["两增经费 /funds/"]
TOWN_NEW = "新建镇（街道） /orgs/setup/towns/new/"
SHOWCASE = ["七一展评 /showcase/"]
REPORTS = ["统计报告 #", "成效统计 /reports/dashboard/", "报告 /reports/"]
ORGANIZATION_REPORTS = ["报告 /reports/"]

TOWN_ADMIN = [
    *ORGS_AND_USERS,
    *PROJECTS,
    *OVERDUE,
    *REVIEWS,
    *XINQIAO,
    *SUPERVISION,
    *WARNING_RULES,
    *FUNDS,
    *SHOWCASE,
    *REPORTS,
]
LEADER = [*PROJECTS, *OVERDUE, *MY_REVIEWS, *XINQIAO, *SUPERVISION, *FUNDS, *SHOWCASE, *REPORTS]

# The roles each user holds, and the menus they see, in the bar's order.
CASES = {
    "no role": ((), []),
    "town admin": ((Role.TOWN_ADMIN,), TOWN_ADMIN),
    "leader": ((Role.LEADER,), LEADER),
    "reviewer": ((Role.REVIEWER,), [*PROJECTS, *MY_REVIEWS, *SHOWCASE]),
    "secretary": (
        (Role.SECRETARY,),
        [*ORGS, *PROJECTS, *OVERDUE, *LETTERS_AND_WARNINGS, *SHOWCASE, *ORGANIZATION_REPORTS],
    ),
    "org staff": ((Role.ORG_STAFF,), [*ORGS, *PROJECTS, *OVERDUE, *LETTERS_AND_WARNINGS, *SHOWCASE]),
    "claiming-unit contact": ((Role.CLAIM_CONTACT,), [*PROJECTS, *MY_CLAIMS, *SHOWCASE]),
    "finance": ((Role.FINANCE,), [*PROJECTS, *FUNDS, *SHOWCASE]),
    "town admin, leader and finance": ((Role.TOWN_ADMIN, Role.LEADER, Role.FINANCE), TOWN_ADMIN),
    "leader and secretary": ((Role.LEADER, Role.SECRETARY), [*ORGS, *LEADER]),
    "secretary and claiming-unit contact": (
        (Role.SECRETARY, Role.CLAIM_CONTACT),
        [*ORGS, *PROJECTS, *OVERDUE, *MY_CLAIMS, *LETTERS_AND_WARNINGS, *SHOWCASE, *ORGANIZATION_REPORTS],
    ),
    "reviewer and org staff": (
        (Role.REVIEWER, Role.ORG_STAFF),
        [*ORGS, *PROJECTS, *OVERDUE, *MY_REVIEWS, *LETTERS_AND_WARNINGS, *SHOWCASE],
    ),
}


def menus(client, user):
    client.force_login(user)
    page = client.get("/").content.decode()
    bar = page.split('<ul class="navbar-nav me-auto">', 1)[1].split("</ul>\n      <ul", 1)[0]
    return [f"{text.strip()} {href}" for href, text in LINK.findall(bar)]


@pytest.mark.parametrize("case", list(CASES))
def test_each_role_sees_its_own_menus(client, case):
    roles, expected = CASES[case]
    root = make_root()
    user = UserFactory.create()
    for role in roles:
        grant(user, role, root)
    assert menus(client, user) == expected


def test_a_role_in_an_archived_organization_shows_no_menu(client):
    archived = make_org(make_root(), "已归档支部")
    Organization.objects.filter(pk=archived.pk).update(is_active=False)
    user = UserFactory.create()
    grant(user, Role.TOWN_ADMIN, archived)
    assert menus(client, user) == []


def test_a_superuser_sees_every_menu(client):
    make_root()
    # Every permission holds for a superuser, "我的认领" too (the role-name bar left it out).
    after = TOWN_ADMIN.index(XINQIAO[-1]) + 1
    expected = [*TOWN_ADMIN[:after], *MY_CLAIMS, *TOWN_ADMIN[after:]]
    # A superuser may also add towns under a district, as district staff do.
    expected.insert(expected.index("Excel 导入 /orgs/import/") + 1, TOWN_NEW)
    assert menus(client, UserFactory.create(is_superuser=True)) == expected


def test_district_staff_add_towns_and_district_leaders_do_not(client):
    district = Organization.objects.add_root({"name": "松江区委", "kind": "district"})
    make_org(district, "新桥镇党委", "committee")
    staff, leader = UserFactory.create(), UserFactory.create()
    grant(staff, Role.DISTRICT_STAFF, district)
    grant(leader, Role.DISTRICT_LEADER, district)
    assert TOWN_NEW in menus(client, staff)
    assert TOWN_NEW not in menus(client, leader) and "组织架构 /orgs/" in menus(client, leader)


def test_the_brand_programme_menu_carries_the_users_own_towns_brand(client):
    district = Organization.objects.add_root({"name": "松江区委", "kind": "district"})
    xinqiao = make_org(district, "新桥镇党委", "committee")
    sijing = make_org(district, "泗泾镇党委", "committee")
    CommitteeProfile.objects.create(organization=district, slug="songjiang", brand_name="松江区域化党建")
    CommitteeProfile.objects.create(organization=xinqiao, slug="xinqiao", brand_name="家新桥")
    CommitteeProfile.objects.create(organization=sijing, slug="sijing", brand_name="泗泾同心圆")
    people = {"家新桥": (Role.TOWN_ADMIN, xinqiao), "泗泾同心圆": (Role.TOWN_ADMIN, sijing)}
    people["泗泾同心圆 (a leader of a branch)"] = (Role.LEADER, make_org(sijing, "江川居民区党总支"))
    people["区域化党建"] = (Role.DISTRICT_STAFF, district)
    for label, (role, organization) in people.items():
        user = UserFactory.create()
        grant(user, role, organization)
        bar = menus(client, user)
        assert bar[bar.index("需求征集 /needs/") - 1] == f"{label.split(' ')[0]} #"
    # The brand is read at sign-in and kept in the session: a page reads no profile.
    with CaptureQueriesContext(connection) as captured:
        assert "区域化党建" in client.get("/").content.decode()
    assert not [query for query in captured if "orgs_committeeprofile" in query["sql"]]

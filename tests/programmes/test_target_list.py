"""The staff target list (标的一览), the programme list's filters and the Excel exports of both and of the board."""

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projectize.claims.models import ClaimStatus
from projectize.core.templatetags.projectize import money
from projectize.orgs.models import Organization, OrgKind, Role, User
from projectize.programmes.models import Programme, Target, TargetStatus
from projectize.reports.selectors import Scope, claim_rate
from tests.claims.helpers import make_claim, with_pks
from tests.core.test_list_exports import rows_of
from tests.factories import make_org, make_root, user_with_role
from tests.programmes.factories import make_programme, make_section, make_target

URL = "/programmes/targets/"


@dataclass
class Town:
    root: Organization
    branch: Organization
    this_year: Programme
    last_year: Programme
    admin: User


@pytest.fixture
def town(db) -> Town:
    """This year: a draft, a target claimed by one unit, one with only a draft and a withdrawn claim,
    one awarded to two units, one closed unclaimed, one closed before it was published.
    Last year: one awarded target. And another town."""
    root = make_root()
    branch = make_org(root, "社区党总支", OrgKind.GENERAL_BRANCH)
    police = make_org(root, "新桥派出所党支部", OrgKind.STATIONED)
    shop = make_org(root, "新桥商业广场有限公司", OrgKind.ENTERPRISE)
    village = make_org(branch, "新庄村党总支", OrgKind.VILLAGE)
    this_year = make_programme(root, year=2026)
    last_year = make_programme(root, year=2025)
    traffic = make_section(this_year, "交通管理", 1)
    service = make_section(this_year, "社区服务", 2)
    make_target(traffic, status=TargetStatus.DRAFT, title="草稿标的")
    claimed = make_target(traffic, title="停车治理", support_funds=Decimal("80000.00"))
    make_claim(claimed, police, ClaimStatus.SUBMITTED)
    make_claim(claimed, shop, ClaimStatus.SELECTED)
    unclaimed = make_target(service, title="路灯维修")
    make_claim(unclaimed, police, ClaimStatus.DRAFT)
    make_claim(unclaimed, shop, ClaimStatus.WITHDRAWN)
    awarded = make_target(service, status=TargetStatus.AWARDED, title="邻里调解", max_units=2)
    make_claim(awarded, shop, ClaimStatus.AWARDED)
    make_claim(awarded, police, ClaimStatus.AWARDED, is_lead=True)
    make_target(service, status=TargetStatus.CLOSED, title="已关闭标的")
    # Closed while still a draft: never offered, so never counted as published.
    never_offered = make_target(service, status=TargetStatus.CLOSED, title="未发布即关闭")
    Target.objects.filter(pk=never_offered.pk).update(published_at=None)
    river = make_target(make_section(last_year), status=TargetStatus.AWARDED, title="河道保洁")
    make_claim(river, village, ClaimStatus.AWARDED)
    other = make_root("泗泾镇党委")
    make_target(make_section(make_programme(other, year=2026)), title="泗泾停车")
    return Town(root, branch, this_year, last_year, user_with_role(Role.TOWN_ADMIN, root))


def titles(response) -> list[str]:
    return [target.title for target in response.context["page"]]


def test_secretaries_and_claim_contacts_may_not_open_the_list(client, town):
    client.force_login(user_with_role(Role.SECRETARY, town.branch))
    assert client.get(URL).status_code == 403
    client.force_login(user_with_role(Role.CLAIM_CONTACT, town.branch))
    assert client.get(URL, {"export": "xlsx"}).status_code == 403


def test_a_town_admin_of_another_town_sees_only_their_own_targets(client, town):
    client.force_login(user_with_role(Role.TOWN_ADMIN, Organization.objects.get(name="泗泾镇党委")))
    assert titles(client.get(URL)) == ["泗泾停车"]
    response = client.get(URL, {"organization": town.root.pk})
    assert 'data-testid="error-organization"' in response.content.decode() and titles(response) == []


def test_the_list_shows_claims_made_and_the_awarded_units(client, town):
    client.force_login(user_with_role(Role.LEADER, town.root))
    response = client.get(URL, {"year": 2026})
    rows = {t.title: (t.made_claims, t.awarded_unit, t.awarded_units) for t in response.context["page"]}
    assert rows == {
        "停车治理": (2, None, 0),
        "草稿标的": (0, None, 0),
        "路灯维修": (0, None, 0),  # a draft and a withdrawn claim are no claims made
        "邻里调解": (2, "新桥派出所党支部", 2),  # the lead unit first
        "已关闭标的": (0, None, 0),
        "未发布即关闭": (0, None, 0),
    }
    page = response.content.decode()
    assert "新桥派出所党支部 等 2 家" in page and money(Decimal("80000")) in page and "共 6 个标的" in page


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "停车"}, ["停车治理"]),
        ({"q": "社区服务"}, ["路灯维修", "邻里调解", "已关闭标的", "未发布即关闭"]),
        ({"year": 2025}, ["河道保洁"]),
        ({"programme": "last_year"}, ["河道保洁"]),
        ({"status": TargetStatus.AWARDED}, ["邻里调解", "河道保洁"]),
        ({"stage": "offered", "year": 2026}, ["停车治理", "路灯维修", "邻里调解", "已关闭标的"]),
        ({"stage": "claimed"}, ["停车治理", "邻里调解", "河道保洁"]),
        # The committee runs the programmes: its targets count for an organization below it too.
        ({"organization": "branch", "year": 2025}, ["河道保洁"]),
        ({"organization": "root", "stage": "claimed", "year": 2026}, ["停车治理", "邻里调解"]),
    ],
)
def test_each_filter_narrows_the_list(client, town, params, expected):
    client.force_login(town.admin)
    assert sorted(titles(client.get(URL, with_pks(town, params)))) == sorted(expected)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"year": "abc"}, "year"),
        ({"status": "done"}, "status"),
        ({"stage": "won"}, "stage"),
        ({"programme": "0"}, "programme"),
    ],
)
def test_a_wrong_filter_value_is_reported_beside_its_field(client, town, params, field):
    client.force_login(town.admin)
    response = client.get(URL, params)
    assert f'data-testid="error-{field}"' in response.content.decode() and titles(response) == []
    assert client.get(URL, {**params, "export": "xlsx"})["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("organization", ["root", "branch"])
@pytest.mark.parametrize("year", [None, 2025, 2026])
def test_the_lists_count_what_the_dashboard_claim_rate_chart_counts(client, town, organization, year):
    scope = Scope(getattr(town, organization), year)
    published, claimed, awarded = claim_rate(scope).series[0][1]
    client.force_login(town.admin)
    params = scope.params()

    def count(**extra: str) -> int:
        return client.get(URL, {**params, **extra}).context["page"].paginator.count

    assert (count(stage="offered"), count(stage="claimed"), count(status="awarded")) == (published, claimed, awarded)


def test_the_number_of_queries_does_not_grow_with_the_rows(client, town):
    client.force_login(town.admin)
    section = make_section(town.this_year, "平安建设", 3)
    unit = make_org(town.root, "巡逻队", OrgKind.SOCIAL_ORG)

    def add(n: int) -> None:
        for index in range(n):
            target = make_target(section, title=f"平安{Target.objects.count()}-{index}")
            make_claim(target, unit, ClaimStatus.AWARDED)

    add(3)
    with CaptureQueriesContext(connection) as few:
        assert len(titles(client.get(URL, {"q": "平安"}))) == 3
    add(27)
    with CaptureQueriesContext(connection) as many:
        assert len(titles(client.get(URL, {"q": "平安"}))) == 30
    assert len(many) == len(few)


def test_the_target_export_has_the_columns_and_only_the_filtered_targets(client, town):
    client.force_login(town.admin)
    rows = rows_of(client.get(URL, {"stage": "claimed", "year": 2026, "export": "xlsx"}))
    assert rows[0] == ("标的", "品牌项目", "板块", "状态", "认领截止", "支持经费（元）", "认领数", "授予单位")
    assert [(row[0], row[2], row[3], row[5], row[6], row[7]) for row in rows[1:]] == [
        ("停车治理", "交通管理", "认领中", 80000, 2, None),
        ("邻里调解", "社区服务", "已授予", 50000, 2, "新桥派出所党支部 等 2 家"),
    ]


def test_the_board_exports_its_targets(client, town):
    client.force_login(user_with_role(Role.LEADER, town.root))
    rows = rows_of(client.get(town.last_year.get_absolute_url(), {"export": "xlsx"}))
    assert rows[0] == ("标的", "板块", "状态", "认领截止", "支持经费（元）", "认领数", "授予单位")
    assert [(row[0], row[1], row[2], row[5], row[6]) for row in rows[1:]] == [
        ("河道保洁", "交通管理", "已授予", 1, "新庄村党总支")
    ]


def test_the_programme_list_filters_by_year_and_organization_and_exports_them(client, town):
    client.force_login(town.admin)
    response = client.get("/programmes/", {"year": 2025, "organization": town.branch.pk})
    assert [p.pk for p in response.context["page"]] == [town.last_year.pk]
    assert 'data-testid="error-year"' in client.get("/programmes/", {"year": "二〇二五"}).content.decode()
    rows = rows_of(client.get("/programmes/", {"year": 2026, "export": "xlsx"}))
    assert rows[0] == ("年度", "名称", "主办党委", "认领开始时间", "认领截止时间", "标的数")
    assert [(row[0], row[1], row[2], row[5]) for row in rows[1:]] == [(2026, "家新桥", "新桥镇党委", 6)]

"""The staff claim list (认领一览): who may open it, its filters, the number of units, the export."""

from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projectize.claims.models import Claim, ClaimStatus
from projectize.orgs.models import Organization, OrgKind, Role, User
from projectize.programmes.models import Programme, Target
from projectize.reports.selectors import Scope, units_by_kind
from tests.claims.helpers import make_claim, with_pks
from tests.core.test_list_exports import rows_of
from tests.factories import make_org, make_root, user_with_role
from tests.programmes.factories import make_programme, make_section, make_target

URL = "/claims/all/"


@dataclass
class Town:
    root: Organization
    branch: Organization
    police: Organization
    shop: Organization
    village: Organization
    this_year: Programme
    last_year: Programme
    parking: Target
    lights: Target
    river: Target
    leader: User


@pytest.fixture
def town(db) -> Town:
    """Five claims of three units on this town's programmes, and one of another town."""
    root = make_root()
    branch = make_org(root, "社区党总支", OrgKind.GENERAL_BRANCH)
    police = make_org(root, "新桥派出所党支部", OrgKind.STATIONED)
    shop = make_org(root, "新桥商业广场有限公司", OrgKind.ENTERPRISE)
    village = make_org(branch, "新庄村党总支", OrgKind.VILLAGE)
    this_year = make_programme(root, year=2026)
    last_year = make_programme(root, year=2025)
    parking = make_target(make_section(this_year), title="停车治理")
    lights = make_target(make_section(this_year, "社区服务", 2), title="路灯维修")
    river = make_target(make_section(last_year), title="河道保洁")
    make_claim(parking, police, ClaimStatus.AWARDED, is_lead=True)
    make_claim(parking, shop, ClaimStatus.NOT_SELECTED)
    make_claim(lights, shop, ClaimStatus.SUBMITTED)
    make_claim(lights, police, ClaimStatus.DRAFT)
    make_claim(river, village, ClaimStatus.AWARDED)
    other = make_root("泗泾镇党委")
    make_claim(
        make_target(make_section(make_programme(other, year=2026)), title="泗泾停车"),
        make_org(other, "泗泾超市", OrgKind.ENTERPRISE),
    )
    leader = user_with_role(Role.LEADER, root)
    return Town(root, branch, police, shop, village, this_year, last_year, parking, lights, river, leader)


def shown(response) -> list[str]:
    """The rows of the page as "target · unit", in the list's order."""
    return [f"{c.target.title} · {c.organization.name}" for c in response.context["page"]]


def test_secretaries_and_claim_contacts_may_not_open_the_list(client, town):
    client.force_login(user_with_role(Role.SECRETARY, town.village))
    assert client.get(URL).status_code == 403
    client.force_login(user_with_role(Role.CLAIM_CONTACT, town.shop))
    assert client.get(URL).status_code == 403
    assert client.get(URL, {"export": "xlsx"}).status_code == 403


def test_a_town_admin_of_another_town_sees_none_of_this_towns_claims(client, town):
    client.force_login(user_with_role(Role.TOWN_ADMIN, Organization.objects.get(name="泗泾镇党委")))
    assert shown(client.get(URL)) == ["泗泾停车 · 泗泾超市"]
    # Nor can they ask for this town by its number: it is not one of their organizations.
    response = client.get(URL, {"organization": town.root.pk})
    assert 'data-testid="error-organization"' in response.content.decode()
    assert shown(response) == []


def test_a_leader_sees_every_claim_of_the_town_and_how_many_units_they_come_from(client, town):
    client.force_login(town.leader)
    response = client.get(URL)
    assert len(shown(response)) == 5
    # The shop claimed twice and the police twice: three units in all.
    assert response.context["unit_count"] == 3
    assert "共 5 条认领，涉及 3 家单位" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "路灯"}, ["路灯维修 · 新桥商业广场有限公司", "路灯维修 · 新桥派出所党支部"]),
        ({"q": "派出所"}, ["停车治理 · 新桥派出所党支部", "路灯维修 · 新桥派出所党支部"]),
        ({"organization": "branch"}, ["河道保洁 · 新庄村党总支"]),
        ({"year": 2025}, ["河道保洁 · 新庄村党总支"]),
        ({"kind": OrgKind.ENTERPRISE}, ["停车治理 · 新桥商业广场有限公司", "路灯维修 · 新桥商业广场有限公司"]),
        ({"status": ClaimStatus.AWARDED}, ["停车治理 · 新桥派出所党支部", "河道保洁 · 新庄村党总支"]),
        ({"programme": "last_year"}, ["河道保洁 · 新庄村党总支"]),
        ({"year": 2026, "kind": OrgKind.STATIONED, "status": ClaimStatus.AWARDED}, ["停车治理 · 新桥派出所党支部"]),
    ],
)
def test_each_filter_narrows_the_list(client, town, params, expected):
    client.force_login(town.leader)
    response = client.get(URL, with_pks(town, params))
    assert sorted(shown(response)) == sorted(expected)
    assert response.context["unit_count"] == len({row.split(" · ")[1] for row in expected})


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"year": "去年"}, "year"),
        ({"year": "1899"}, "year"),
        ({"kind": "bank"}, "kind"),
        ({"status": "lost"}, "status"),
        ({"programme": "999999"}, "programme"),
        ({"organization": "abc"}, "organization"),
    ],
)
def test_a_wrong_filter_value_is_reported_beside_its_field_and_shows_nothing(client, town, params, field):
    client.force_login(town.leader)
    response = client.get(URL, params)
    page = response.content.decode()
    assert f'data-testid="error-{field}"' in page and 'data-testid="filter-errors"' in page
    assert shown(response) == []
    # Nor is the whole list exported under a filter that was not understood.
    response = client.get(URL, {**params, "export": "xlsx"})
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("organization", ["root", "branch"])
@pytest.mark.parametrize("year", [None, 2025, 2026])
def test_the_dashboard_chart_of_units_by_kind_opens_lists_with_the_same_number_of_units(
    client, town, organization, year
):
    make_claim(town.lights, town.shop, ClaimStatus.WITHDRAWN)
    make_claim(town.river, town.shop, ClaimStatus.AWARDED)
    chart = units_by_kind(Scope(getattr(town, organization), year))
    assert all(link.startswith(URL) for link in chart.links)
    assert chart.links or (organization, year) == ("branch", 2026)
    client.force_login(town.leader)
    for link, (_kind, units) in zip(chart.links, chart.rows, strict=True):
        assert client.get(link).context["unit_count"] == units, link


def test_the_number_of_queries_does_not_grow_with_the_rows(client, town):
    client.force_login(town.leader)
    target = make_target(make_section(town.this_year, "平安建设", 3), title="平安巡逻")
    for n in range(3):
        make_claim(target, make_org(town.root, f"单位{n}", OrgKind.ENTERPRISE))
    with CaptureQueriesContext(connection) as few:
        assert len(shown(client.get(URL, {"q": "平安"}))) == 3
    for n in range(3, 30):
        make_claim(target, make_org(town.root, f"单位{n}", OrgKind.SOCIAL_ORG))
    with CaptureQueriesContext(connection) as many:
        assert len(shown(client.get(URL, {"q": "平安"}))) == 30
    assert len(many) == len(few)


def test_the_export_has_the_columns_and_only_the_filtered_claims(client, town):
    client.force_login(town.leader)
    rows = rows_of(client.get(URL, {"kind": OrgKind.ENTERPRISE, "year": 2026, "export": "xlsx"}))
    assert rows[0] == ("标的", "品牌项目", "板块", "认领单位", "单位类型", "状态", "提交时间", "项目编号")
    assert sorted((row[0], row[3], row[4], row[5]) for row in rows[1:]) == [
        ("停车治理", "新桥商业广场有限公司", "企业", "未选中"),
        ("路灯维修", "新桥商业广场有限公司", "企业", "已提交"),
    ]


def test_a_claim_contact_exports_their_units_claims(client, town):
    client.force_login(Claim.objects.filter(organization=town.shop).first().contact)  # type: ignore[union-attr]
    rows = rows_of(client.get("/claims/", {"export": "xlsx"}))
    assert rows[0] == ("标的", "品牌项目", "认领单位", "状态", "认领截止", "提交时间", "项目编号")
    assert sorted((row[0], row[2], row[3]) for row in rows[1:]) == [
        ("停车治理", "新桥商业广场有限公司", "未选中"),
        ("路灯维修", "新桥商业广场有限公司", "已提交"),
    ]


def test_the_statistics_page_and_the_board_link_to_the_list(client, town):
    client.force_login(town.leader)
    assert f'href="{URL}?programme=' in client.get("/claims/statistics/").content.decode()
    assert (
        f'href="{URL}?programme={town.this_year.pk}"' in client.get(town.this_year.get_absolute_url()).content.decode()
    )

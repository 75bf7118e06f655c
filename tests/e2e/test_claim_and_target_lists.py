"""A leader opens the claim list, narrows it to one kind of unit, then looks over the targets."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from projectize.claims.models import ClaimStatus
from projectize.orgs.models import OrgKind, Role
from projectize.programmes.models import TargetStatus
from tests.claims.helpers import make_claim
from tests.factories import make_org, make_root, user_with_role
from tests.programmes.factories import make_programme, make_section, make_target


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_leader_filters_the_claims_by_kind_of_unit(page, live_server, login, screenshot):
    root = make_root()
    user_with_role(Role.LEADER, root, username="leader")
    branch = make_org(root, "社区党总支", OrgKind.GENERAL_BRANCH)
    police = make_org(root, "新桥派出所党支部", OrgKind.STATIONED)
    shop = make_org(root, "新桥商业广场有限公司", OrgKind.ENTERPRISE)
    bank = make_org(root, "新桥农商银行", OrgKind.ENTERPRISE)
    mediators = make_org(root, "邻里调解服务社", OrgKind.SOCIAL_ORG)
    village = make_org(branch, "新庄村党总支", OrgKind.VILLAGE)
    programme = make_programme(root, year=2026)
    traffic, service = make_section(programme, "交通管理", 1), make_section(programme, "社区服务", 2)
    parking = make_target(traffic, title="春申小区停车治理", support_funds=Decimal("80000"))
    crossing = make_target(traffic, status=TargetStatus.AWARDED, title="学校门口交通疏导")
    lights = make_target(service, title="老旧小区路灯维修", support_funds=Decimal("30000"))
    elders = make_target(service, status=TargetStatus.NOTICE, title="独居老人助餐")
    make_target(service, status=TargetStatus.DRAFT, title="社区花园改造")
    make_claim(parking, shop, ClaimStatus.SUBMITTED)
    make_claim(parking, police, ClaimStatus.SUBMITTED)
    make_claim(crossing, police, ClaimStatus.AWARDED, is_lead=True)
    make_claim(crossing, bank, ClaimStatus.NOT_SELECTED)
    make_claim(lights, bank, ClaimStatus.SUBMITTED)
    make_claim(elders, mediators, ClaimStatus.SELECTED)
    make_claim(elders, village, ClaimStatus.DRAFT)
    url = live_server.url

    login("leader")
    page.goto(f"{url}/claims/all/")
    rows = page.get_by_test_id("claim-row")
    expect(rows).to_have_count(7)
    expect(page.get_by_test_id("claim-count")).to_have_text("共 7 条认领，涉及 5 家单位")

    page.get_by_label("单位类型").select_option(label="企业")
    page.get_by_role("button", name="筛选", exact=True).click()
    expect(page).to_have_url(re.compile(r"kind=enterprise"))
    expect(rows).to_have_count(3)
    for unit in ("新桥商业广场有限公司", "新桥农商银行"):
        expect(page.get_by_test_id("claim-list")).to_contain_text(unit)
    expect(page.get_by_test_id("claim-list")).not_to_contain_text("新桥派出所党支部")
    expect(page.get_by_test_id("claim-count")).to_have_text("共 3 条认领，涉及 2 家单位")
    screenshot("claim-list-by-kind")

    # A wrong value typed into the address bar is reported beside its field, not ignored.
    page.goto(f"{url}/claims/all/?year=去年")
    expect(page.get_by_test_id("error-year")).to_be_visible()
    expect(rows).to_have_count(0)
    screenshot("claim-list-wrong-filter")

    page.goto(f"{url}/claims/statistics/")
    page.get_by_role("link", name="标的一览").click()
    page.get_by_label("认领进展").select_option(label="有单位认领")
    page.get_by_role("button", name="筛选", exact=True).click()
    targets = page.get_by_test_id("target-row")
    expect(targets).to_have_count(4)
    expect(page.get_by_test_id("target-list")).to_contain_text("新桥派出所党支部")
    expect(page.get_by_test_id("target-list")).not_to_contain_text("社区花园改造")
    screenshot("target-list-claimed")

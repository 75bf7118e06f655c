"""District staff compare the demo's two towns on the district dashboard, rank them, and drill into each."""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import Locator, Page, expect

from projectize.claims.demo import RESULTS
from projectize.orgs.models import Organization, OrgKind
from projectize.projects.demo import SECOND_OUTCOMES

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Xinqiao's outcomes are the paper's (10 rules, 48 problems, 16 brands, 33,162 person-times) with what the two
# 家新桥 projects concluded this year added; Sijing's are the demo's own.
XINQIAO = {
    "rules_established": "10",
    "problems_solved": str(48 + sum(n for n, _people in RESULTS)),
    "service_brands": "16",
    "beneficiaries": f"{33162 + sum(people for _n, people in RESULTS):,}",
}
SIJING = {name: f"{n:,}" for name, n in SECOND_OUTCOMES.items()}


def town(name: str) -> Organization:
    return Organization.objects.get(kind=OrgKind.COMMITTEE, name=name)


def expect_outcomes(row: Locator, outcomes: dict[str, str]) -> None:
    for name, value in outcomes.items():
        expect(row.locator(f"[data-indicator={name}]")).to_have_text(value)


def expect_kpis(page: Page, outcomes: dict[str, str]) -> None:
    for name, value in outcomes.items():
        expect(page.get_by_test_id(f"kpi-{name}")).to_have_text(value)


def ranked_column(page: Page, key: str) -> list[float]:
    cells = page.get_by_test_id("towns").locator(f"tbody td[data-indicator={key}]")
    return [float(text.replace(",", "").replace("¥", "")) for text in cells.all_inner_texts()]


def test_district_staff_compare_the_towns_rank_them_and_open_each(page, live_server, login, screenshot):
    call_command("load_demo", "--i-know-this-is-a-demo", stdout=StringIO())
    xinqiao, sijing = town("新桥镇党委"), town("泗泾镇党委")
    login("district")
    page.goto(f"{live_server.url}/reports/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("松江区委")

    # Both towns side by side, each with its own outcomes.
    comparison = page.get_by_test_id("town-comparison")
    expect(comparison.get_by_role("heading", name="各镇（街道）对比")).to_be_visible()
    expect(page.get_by_test_id("towns").locator("tbody tr")).to_have_count(2)
    expect_outcomes(page.get_by_test_id(f"town-{xinqiao.pk}"), XINQIAO)
    expect_outcomes(page.get_by_test_id(f"town-{sijing.pk}"), SIJING)
    screenshot("district-dashboard")

    # Rank the towns on the people their projects reached, then on the needs they received.
    for label, key in (("累计成效 · 惠及人次（人次）", "beneficiaries"), ("需求数 · 收到（条）", "needs")):
        page.get_by_label("排名指标").select_option(label=label)
        page.get_by_role("button", name="按此排名").click()
        expect(page.get_by_label("排名指标")).to_have_value(key)
        expect(comparison).to_contain_text(f"按“{label}”从高到低排名")
        figures = ranked_column(page, key)
        assert figures == sorted(figures, reverse=True)
        ranks = page.get_by_test_id("towns").locator("tbody td.rank").all_inner_texts()
        assert ranks == (["1", "1"] if figures[0] == figures[1] else ["1", "2"])
    # 33,162 and more against 4,120: Xinqiao leads on the people reached.
    page.get_by_label("排名指标").select_option(label="累计成效 · 惠及人次（人次）")
    page.get_by_role("button", name="按此排名").click()
    expect(page.get_by_test_id("towns").locator("tbody tr").first).to_have_attribute(
        "data-testid", f"town-{xinqiao.pk}"
    )
    screenshot("district-dashboard-ranked")

    # Into 泗泾镇: its own dashboard, with the figures the district saw for it.
    page.get_by_test_id("towns").get_by_role("link", name="泗泾镇党委").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("泗泾镇党委党建项目化成效统计")
    expect_kpis(page, SIJING)
    expect(page.get_by_test_id("town-comparison")).to_have_count(0)
    expect(page.get_by_test_id("back-home")).to_contain_text("返回松江区委")
    screenshot("district-drilled-into-sijing")

    # Back to the district, and into 新桥镇: the paper's figures.
    page.go_back()
    expect(page.get_by_test_id("town-comparison")).to_be_visible()
    page.get_by_test_id("towns").get_by_role("link", name="新桥镇党委").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("新桥镇党委党建项目化成效统计")
    expect_kpis(page, XINQIAO)
    page.get_by_test_id("back-home").click()
    expect(page.get_by_test_id("town-comparison")).to_be_visible()

    # 泗泾镇's public site, in its own brand, from its row.
    page.get_by_test_id(f"town-site-{sijing.pk}").click()
    expect(page).to_have_url(f"{live_server.url}/t/{sijing.profile.slug}/")
    expect(page.get_by_test_id("public-brand")).to_contain_text("泗泾同心圆")
    screenshot("district-opens-sijing-site")
    page.go_back()
    expect(page.get_by_test_id("town-comparison")).to_be_visible()

    # A year keeps the ranking chosen: the figures are that year's, the outcomes cumulative to it.
    page.get_by_label("年度", exact=True).select_option(str(sijing.created_at.year))
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_label("排名指标")).to_have_value("beneficiaries")
    expect(page.get_by_test_id("town-comparison")).to_contain_text(f"成效为截至 {sijing.created_at.year} 年的累计")

    # On the wall display too.
    page.goto(f"{live_server.url}/reports/dashboard/?screen=1")
    expect(page.get_by_test_id("towns").locator("tbody tr")).to_have_count(2)
    screenshot("district-dashboard-big-screen")

    # The same comparison in English.
    page.goto(f"{live_server.url}/reports/dashboard/")
    page.get_by_test_id("lang-switch").click()
    expect(page.get_by_test_id("town-comparison").get_by_role("heading", name="Towns compared")).to_be_visible()
    expect_outcomes(page.get_by_test_id(f"town-{xinqiao.pk}"), XINQIAO)
    screenshot("district-dashboard-en")

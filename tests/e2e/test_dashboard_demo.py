"""With the whole demo loaded, the dashboard shows every figure of the 2017 paper."""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from projectize.claims.demo import RESULTS
from projectize.orgs.models import Organization, OrgKind

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PEOPLE = f"{33162 + sum(people for _n, people in RESULTS):,}"


def test_the_demo_dashboard_shows_the_papers_figures(page, live_server, login, screenshot):
    call_command("load_demo", "--i-know-this-is-a-demo", stdout=StringIO())
    login("leader1")
    page.goto(f"{live_server.url}/reports/dashboard/")

    # 38 organizations applied to the 2012 call with 39 projects: 7 / 22 / 10 by type.
    call_2012 = page.get_by_test_id("call-2012")
    expect(call_2012.locator("td")).to_have_text(["2012", "38", "39", "7 / 22 / 10"])

    # 家新桥: 6 sections, 18 targets, taken by 27 units.
    programme = page.get_by_test_id("programmes").locator("tbody tr").filter(has_text="家新桥")
    expect(programme.locator("td").nth(1)).to_have_text("6")
    expect(programme.locator("td").nth(2)).to_have_text("18")
    expect(programme.locator("td").nth(4)).to_have_text("27")

    # Cumulative outcomes: the paper's 10 rules, 48 problems solved, 16 brands, 33,162 person-times, and
    # what the two 家新桥 projects concluded this year added.
    expect(page.get_by_test_id("kpi-rules_established")).to_have_text("10")
    expect(page.get_by_test_id("kpi-problems_solved")).to_have_text(str(48 + sum(n for n, _people in RESULTS)))
    expect(page.get_by_test_id("kpi-service_brands")).to_have_text("16")
    expect(page.get_by_test_id("kpi-beneficiaries")).to_have_text(PEOPLE)

    # The 2013 showcase with its awards.
    showcase = page.get_by_test_id("showcase-2013")
    expect(showcase).to_contain_text("一等奖 1")
    expect(showcase).to_contain_text("二等奖 2")
    expect(showcase).to_contain_text("三等奖 3")

    # Every chart draws, and has a table view.
    expect(page.locator("#chart-projects_by_type svg")).to_be_visible()
    page.locator("[data-toggle-table=projects_by_type]").click()
    table = page.get_by_test_id("table-projects_by_type")
    expect(table).to_be_visible()
    screenshot("dashboard-demo")
    # A slice opens the matching filtered list of projects.
    root = Organization.objects.get(kind=OrgKind.COMMITTEE, name="新桥镇党委")
    slice_link = table.get_by_role("link", name="创新探索型")
    expect(slice_link).to_have_attribute("href", f"/projects/?organization={root.pk}&type=innovation&status=applied")
    figure = int(table.locator("tr").filter(has=page.get_by_role("link", name="创新探索型")).locator("td").inner_text())
    slice_link.click()
    expect(page.get_by_test_id("project-table").locator("tbody tr")).to_have_count(figure)
    page.go_back()

    # The same figures in English.
    page.get_by_test_id("lang-switch").click()
    expect(page.get_by_test_id("kpi-beneficiaries")).to_have_text(PEOPLE)

    page.goto(f"{live_server.url}/reports/dashboard/?screen=1")
    screenshot("dashboard-big-screen")

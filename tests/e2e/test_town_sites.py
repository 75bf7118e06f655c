"""With the demo's district and two towns: the root is the district's portal listing both towns; each town's
own site wears its brand and colours, shows its own figures and items alone, and takes its residents' needs."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from projectize.needs.models import Need
from projectize.orgs.demo import second_town, xinqiao
from projectize.projects.demo import SECOND_OUTCOMES
from projectize.projects.models import Promotion

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}


def brand_colour(page: Page) -> str:
    return page.locator("header.brand-bar").evaluate("e => getComputedStyle(e).backgroundColor")


def test_a_resident_picks_her_town_on_the_district_portal_and_finds_its_own_site(page, live_server, screenshot):
    call_command("load_demo", "--i-know-this-is-a-demo", stdout=StringIO())
    town, other = second_town(), xinqiao()
    assert town is not None and other is not None
    xinqiao_cases = list(
        Promotion.objects.filter(project__organization_path__startswith=other.path).values_list(
            "project__title", flat=True
        )
    )
    assert xinqiao_cases
    page.set_viewport_size(LAPTOP)
    page.goto(f"{live_server.url}/")

    # The district's portal lists both towns, each in its own brand.
    expect(page).to_have_url(f"{live_server.url}/public/")
    expect(page.get_by_test_id("public-brand")).to_contain_text("松江区域化党建")
    towns = page.get_by_test_id("towns")
    expect(towns).to_contain_text("新桥镇党委")
    expect(towns).to_contain_text("家新桥")
    expect(towns).to_contain_text("泗泾镇党委")
    expect(towns).to_contain_text("泗泾同心圆")
    expect(page.get_by_test_id("town-sijing")).to_contain_text(f"{SECOND_OUTCOMES['beneficiaries']:,}")
    screenshot("town-sites-district-1280-zh")

    page.get_by_role("link", name="泗泾镇党委").click()
    expect(page).to_have_url(f"{live_server.url}/t/sijing/")
    expect(page.get_by_test_id("public-brand")).to_contain_text("泗泾同心圆")
    assert brand_colour(page) == "rgb(156, 28, 31)"  # its profile's #9c1c1f
    expect(page.get_by_test_id("outcome-rules")).to_have_text(str(SECOND_OUTCOMES["rules_established"]))
    expect(page.get_by_test_id("outcome-problems")).to_have_text(str(SECOND_OUTCOMES["problems_solved"]))
    expect(page.get_by_test_id("outcome-brands")).to_have_text(str(SECOND_OUTCOMES["service_brands"]))
    expect(page.get_by_test_id("outcome-beneficiaries")).to_have_text(f"{SECOND_OUTCOMES['beneficiaries']:,}")
    screenshot("town-sites-sijing-1280-zh")

    # Its case library holds none of Xinqiao's cases, and its menu stays on its own site.
    page.get_by_role("navigation", name="公众导航").get_by_role("link", name="典型案例").click()
    expect(page).to_have_url(f"{live_server.url}/t/sijing/cases/")
    cases = page.get_by_test_id("cases")
    for title in xinqiao_cases:
        expect(cases).not_to_contain_text(title)

    # A resident raises a need there: it goes to 泗泾镇.
    page.set_viewport_size(PHONE)
    page.get_by_role("navigation", name="公众导航").get_by_role("link", name="我有需求").click()
    expect(page).to_have_url(f"{live_server.url}/t/sijing/needs/new/")
    expect(page.get_by_text("向泗泾镇党委反映您身边的难事、急事")).to_be_visible()
    page.get_by_label("标题").fill("古楼小区路灯不亮")
    page.get_by_label("具体情况").fill("3 号楼前的路灯坏了一周，晚上老人出门不安全。")
    page.get_by_label("类别").select_option(label="环境整治")
    page.get_by_role("button", name="提交需求").click()
    expect(page).to_have_url(re.compile(r"/t/sijing/needs/track/\w+/\?new=1$"))
    need = Need.objects.get(title="古楼小区路灯不亮")
    assert need.organization_id == town.pk
    expect(page.get_by_test_id("public-brand")).to_contain_text("泗泾同心圆")
    screenshot("town-sites-sijing-need-390-zh")

    # Xinqiao's site: its own brand.
    page.set_viewport_size(LAPTOP)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="新桥镇党委").click()
    expect(page).to_have_url(f"{live_server.url}/t/xinqiao/")
    expect(page.get_by_test_id("public-brand")).to_contain_text("家新桥")
    assert brand_colour(page) == "rgb(179, 0, 27)"  # #b3001b
    expect(page.get_by_test_id("featured-projects")).not_to_contain_text("泗泾")
    screenshot("town-sites-xinqiao-1280-zh")

    # The same pages in English.
    page.get_by_test_id("lang-switch").click()
    expect(page.get_by_role("heading", name="Take part")).to_be_visible()
    screenshot("town-sites-xinqiao-1280-en")
    page.goto(f"{live_server.url}/t/sijing/")
    expect(page.get_by_role("link", name="Raise a need").first).to_be_visible()
    screenshot("town-sites-sijing-1280-en")
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Choose your town or subdistrict")).to_be_visible()
    screenshot("town-sites-district-1280-en")
    page.set_viewport_size(PHONE)
    screenshot("town-sites-district-390-en")

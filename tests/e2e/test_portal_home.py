"""The public home page on a phone: counters, ways in, the easy-reading (关怀) mode remembered."""

import pytest
from playwright.sync_api import expect

from projectize.projects.models import Project, ProjectStatus, Promotion
from tests.showcase.factories import make_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_resident_on_a_phone_finds_the_ways_in_and_switches_care_mode(page, live_server, screenshot):
    world = make_world(3)
    Project.objects.filter(pk=world.projects[0].pk).update(
        status=ProjectStatus.CONCLUDED, rules_established=2, problems_solved=6, service_brands=1, beneficiaries=4300
    )
    Promotion.objects.create(project=world.projects[0], summary="楼组议事会破解停车难", promoted_by=world.admin)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/public/")

    expect(page.get_by_test_id("outcome-beneficiaries")).to_have_text("4,300")
    expect(page.get_by_role("main")).to_be_visible()
    expect(page.get_by_role("navigation", name="公众导航")).to_be_visible()
    need = page.get_by_test_id("entry-need")
    box = need.bounding_box()
    assert box is not None and box["height"] >= 48  # a large tap target
    expect(page.get_by_test_id("featured-projects")).to_contain_text("项目2")
    screenshot("portal-home-phone")

    page.get_by_role("button", name="关怀模式").click()
    expect(page.locator("body")).to_have_class("public care-mode")
    # The choice is remembered on the next visit.
    page.goto(f"{live_server.url}/public/cases/")
    expect(page.locator("body")).to_have_class("public care-mode")
    expect(page.get_by_role("button", name="退出关怀模式")).to_have_attribute("aria-pressed", "true")
    page.get_by_role("searchbox", name="搜索案例").fill("停车")
    page.get_by_role("button", name="搜索", exact=True).click()
    expect(page.get_by_test_id("cases")).to_contain_text("项目1")
    screenshot("portal-cases-care-mode")

    page.goto(f"{live_server.url}/public/")
    page.get_by_test_id("entry-need").click()
    expect(page).to_have_url(f"{live_server.url}/needs/public/new/")

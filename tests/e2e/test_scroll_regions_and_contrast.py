"""A wide table on a phone is reached and scrolled by keyboard; the reviews pages' grey controls read clearly."""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.crawl import axe_source

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE_TWO_RULES_JS = """
async () => {
  const result = await axe.run(document, {runOnly: ['scrollable-region-focusable', 'color-contrast']});
  return result.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join('; '));
}
"""


def axe_violations(page) -> list[str]:
    page.evaluate(axe_source())
    return page.evaluate(AXE_TWO_RULES_JS)


def test_wide_table_is_a_named_keyboard_stop_and_reviews_controls_have_contrast(page, live_server, login, screenshot):
    call_command("load_demo", "--i-know-this-is-a-demo", stdout=StringIO())
    page.set_viewport_size({"width": 390, "height": 844})
    login("sec01")

    page.goto(f"{live_server.url}/projects/")
    region = page.get_by_role("region", name="项目列表")
    expect(region).to_have_attribute("tabindex", "0")
    assert axe_violations(page) == []
    # Tab from the last control before the table lands on the table, and the arrow keys scroll it.
    for _ in range(60):
        page.keyboard.press("Tab")
        if region.evaluate("el => el === document.activeElement"):
            break
    expect(region).to_be_focused()
    assert region.evaluate("el => getComputedStyle(el).outlineStyle") != "none"
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.activeElement.scrollLeft > 0")
    screenshot("scroll-region-focused-390")

    page.set_viewport_size({"width": 1366, "height": 900})
    page.context.clear_cookies()
    login("admin")
    for path in ("/reviews/all/", "/reviews/rubrics/"):
        page.goto(f"{live_server.url}{path}")
        assert axe_violations(page) == [], path
    page.get_by_test_id("rubric-list").get_by_role("link").first.click()
    assert axe_violations(page) == [], page.url
    page.goto(f"{live_server.url}/reviews/all/")
    page.get_by_test_id("review-list").get_by_role("link").first.click()
    assert axe_violations(page) == [], page.url

"""Under the strict Content-Security-Policy the pages still work, and the browser reports no violation."""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def violations(page):
    """Everything the browser refused under the policy, from the console and from violation events."""
    found: list[str] = []

    def keep(message) -> None:
        if "Content Security Policy" in message.text:
            found.append(message.text)

    page.on("console", keep)
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    return found


def test_dashboard_forms_and_the_public_need_form_work_under_the_policy(page, live_server, login, violations, settings):
    settings.DEBUG = True  # the demo loads only in development
    call_command("load_demo", "--i-know-this-is-a-demo", stdout=StringIO())
    settings.DEBUG = False

    # A resident's need form: typing a title asks htmx for similar needs.
    page.goto(f"{live_server.url}/needs/public/new/")
    page.get_by_label("标题").click()
    page.get_by_label("标题").press_sequentially("小区停车难")
    expect(page.locator("#similar")).not_to_be_empty()

    login("admin")
    # The dashboard draws its ECharts charts (SVG) from the static script.
    page.goto(f"{live_server.url}/reports/dashboard/")
    expect(page.locator("[id^=chart-] svg").first).to_be_visible()

    # The staff need form asks for similar needs the same way.
    page.goto(f"{live_server.url}/needs/new/")
    page.get_by_label("标题").click()
    page.get_by_label("标题").press_sequentially("停车")
    expect(page.locator("#similar")).not_to_be_empty()

    # The rubric editor adds a row and sums the weights with its static script.
    page.goto(f"{live_server.url}/reviews/rubrics/new/")
    rows = page.locator("#criteria-table tbody tr")
    before = rows.count()
    page.get_by_role("button", name="添加评分项").click()
    expect(rows).to_have_count(before + 1)
    rows.last.locator("input[name$='-weight']").fill("40")
    expect(page.locator("#weight-sum")).to_contain_text("40")

    assert violations == []

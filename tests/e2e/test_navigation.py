"""The staff bar fits one line on a 1366 px laptop in Chinese; its menus open with the mouse and the keyboard."""

import re

import pytest
from playwright.sync_api import expect

from projectize.orgs.models import Role
from tests.factories import grant, make_root, user_with_role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The offsetTop of every top-level item of the menus, then of the two halves of the bar (the menus on the
# left; language, bell and account on the right): all equal when the bar is one line.
TOPS = """() => [...document.querySelectorAll('#mainnav > .navbar-nav.me-auto > li')].map(li => li.offsetTop)
    .concat([...document.querySelectorAll('#mainnav > .navbar-nav')].map(ul => ul.offsetTop))"""


@pytest.fixture
def admin():
    town = make_root()
    # The widest bar: a town admin who is also a leader and does finance.
    user = user_with_role(Role.TOWN_ADMIN, town, username="admin", last_name="王", first_name="建华")
    grant(user, Role.LEADER, town)
    grant(user, Role.FINANCE, town)
    return user


def test_the_admin_bar_is_one_line_at_1366_px_and_its_menus_open(page, live_server, login, screenshot, admin):
    page.set_viewport_size({"width": 1366, "height": 768})
    login("admin")
    tops = page.evaluate(TOPS)
    assert len(tops) >= 9 and len(set(tops)) == 1, tops
    screenshot("nav-1366-zh")

    page.get_by_role("button", name="组织与用户").click()
    page.get_by_role("link", name="操作日志").click()
    expect(page.get_by_role("heading", name="操作日志")).to_be_visible()

    page.get_by_role("button", name="区域化党建").click()
    page.get_by_role("link", name="品牌项目").click()
    expect(page).to_have_url(re.compile(r"/programmes/$"))

    # By keyboard: the menu opens with Enter, the arrow keys reach its links.
    reports = page.get_by_role("button", name="统计报告")
    reports.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="成效统计")).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("link", name="成效统计")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/reports/"))

    page.get_by_test_id("lang-switch").click()
    expect(page.get_by_role("button", name="Orgs & users")).to_be_visible()
    screenshot("nav-1366-en")
    assert len(set(page.evaluate(TOPS))) == 1

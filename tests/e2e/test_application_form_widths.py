"""The application form's 量化目标 table can be clicked and typed into on first load, phone to wide screen."""

import pytest
from playwright.sync_api import expect

from projectize.orgs.models import Role
from projectize.projects.models import Project
from tests.e2e.crawl import Counts, check_page
from tests.factories import make_org, make_root, user_with_role
from tests.projects.factories import make_call

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1366, 1920])
def test_the_indicator_table_takes_clicks_and_typing_on_first_load(page, live_server, login, screenshot, width):
    town = make_root()
    org = make_org(town, "春申居民区党总支")
    user_with_role(Role.SECRETARY, org, username="sec01", last_name="赵", first_name="书记")
    call = make_call(town)
    login("sec01")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/projects/calls/{call.pk}/apply/")

    assert check_page(page, role="secretary", language="zh-hans", user_data=None, counts=Counts()) == []
    indicators = page.get_by_test_id("rows-ind")
    for label, value in [("指标名称", "受益学生"), ("单位", "人"), ("目标值", "60")]:
        cell = indicators.get_by_label(label).first
        cell.click()
        cell.press_sequentially(value)
        expect(cell).to_have_value(value)
    screenshot(f"application-form-{width}")
    page.get_by_label("典型示范型").click()
    page.get_by_label("项目名称").click()
    page.get_by_label("项目名称").press_sequentially("四点半课堂")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_test_id("form-error")).to_have_count(0)
    assert list(Project.objects.get().indicators.values_list("name", "unit")) == [("受益学生", "人")]

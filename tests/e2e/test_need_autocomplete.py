"""In a real browser: staff and residents pick an organization and an area by typing part of its name and
choosing from the list, and the need is saved with them (the forms no longer list every organization)."""

import re

import pytest
from playwright.sync_api import expect

from projectize.needs.models import Channel, Need
from projectize.orgs.models import OrgKind, Role
from tests.factories import PASSWORD, make_org, make_root, user_with_role
from tests.needs.factories import make_category

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_type_and_click_to_choose_the_reporting_unit_and_the_area(page, live_server, login, screenshot):
    root = make_root()
    make_category(root, "交通管理")
    branch = make_org(root, "社区党建服务中心党总支", OrgKind.GENERAL_BRANCH)
    chunshen = make_org(branch, "春申居民区党总支", OrgKind.RESIDENTIAL)
    make_org(branch, "春晖居民区党总支", OrgKind.RESIDENTIAL)
    police = make_org(root, "新桥派出所党支部", OrgKind.STATIONED)
    staff = user_with_role(Role.TOWN_ADMIN, root, username="staffer")
    login(staff.username, PASSWORD)

    page.goto(f"{live_server.url}/needs/new/")
    page.get_by_label("来源渠道").select_option(Channel.UNIT_SUGGESTION)
    unit = page.get_by_role("combobox", name="报送单位")
    unit.click()
    unit.press_sequentially("派出所", delay=30)
    option = page.get_by_role("listbox").get_by_role("option", name="新桥派出所党支部")
    expect(option).to_be_visible()
    option.click()
    expect(unit).to_have_value("新桥派出所党支部")

    page.get_by_label("标题").fill("学校门口接送车辆拥堵")
    page.get_by_label("具体情况").fill("放学时家长车辆堵住路口，行人无法通行。")
    page.get_by_label("类别").select_option(label="交通管理")
    area = page.get_by_role("combobox", name="所在居民区")
    area.click()
    area.press_sequentially("春", delay=30)
    # Two areas match: both are shown, each with the branch it belongs to.
    options = page.get_by_role("listbox").get_by_role("option")
    expect(options).to_have_count(2)
    expect(options.filter(has_text="春申居民区党总支")).to_contain_text("社区党建服务中心党总支")
    area.fill("")
    area.press_sequentially("春申", delay=30)
    expect(page.get_by_role("listbox").get_by_role("option")).to_have_count(1)
    screenshot("need-form-autocomplete")
    page.get_by_role("listbox").get_by_role("option", name="春申居民区党总支").click()
    expect(area).to_have_value("春申居民区党总支")
    page.get_by_role("button", name="登记").click()

    expect(page.get_by_text("需求已登记")).to_be_visible()
    need = Need.objects.get(title="学校门口接送车辆拥堵")
    assert (need.source_organization, need.area) == (police, chunshen)


def test_a_resident_chooses_their_area_with_the_keyboard(page, live_server):
    root = make_root()
    make_category(root, "社区服务")
    make_org(root, "春申居民区党总支", OrgKind.RESIDENTIAL)
    village = make_org(root, "新庄村党总支", OrgKind.VILLAGE)

    page.goto(f"{live_server.url}/needs/public/new/")
    page.get_by_label("标题").fill("村口路灯不亮")
    page.get_by_label("具体情况").fill("村口两盏路灯坏了一个月，晚上出行不安全。")
    page.get_by_label("类别").select_option(label="社区服务")
    area = page.get_by_role("combobox", name="所在居民区")
    area.click()
    area.press_sequentially("新庄", delay=30)
    expect(page.get_by_role("listbox").get_by_role("option", name="新庄村党总支")).to_be_visible()
    area.press("ArrowDown")
    area.press("Enter")
    expect(area).to_have_value("新庄村党总支")
    page.get_by_role("button", name="提交需求").click()

    expect(page).to_have_url(re.compile(r"/needs/public/track/"))
    assert Need.objects.get(title="村口路灯不亮").area == village

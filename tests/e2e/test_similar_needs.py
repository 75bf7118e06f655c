"""In a real browser: a resident's paraphrase finds the need already raised, and staff work the duplicates queue."""

import pytest
from playwright.sync_api import expect

from projectize.needs import selectors, services
from projectize.needs.models import Channel, DuplicatePair, NeedStatus
from projectize.orgs.models import OrgKind, Role
from tests.factories import make_org, make_root, user_with_role
from tests.needs.factories import make_category

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}


def raise_need(root, area, title, description, location):
    return services.need_create(
        organization=root,
        title=title,
        description=description,
        category=make_category(root, "社会福利"),
        channel=Channel.PORTAL,
        area=area,
        location=location,
    )


def test_a_resident_typing_other_words_is_shown_the_need_already_raised(page, live_server, screenshot):
    root = make_root()
    area = make_org(root, "嘉和居民区党总支", OrgKind.RESIDENTIAL)
    raise_need(root, area, "卫生服务站太远", "看病要跑到镇上卫生服务站，老人来回要一个多小时。", "嘉和苑")
    raise_need(root, area, "社区书屋图书太旧", "书屋里的书都是十几年前的。", "嘉和苑")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/needs/public/new/")

    # Not one word in common with the need already raised: the field's synonyms find it.
    title = page.get_by_label("标题")
    title.click()
    title.press_sequentially("希望附近设社区医院", delay=40)
    hint = page.get_by_test_id("similar-needs")
    expect(hint).to_contain_text("卫生服务站太远")
    expect(hint).not_to_contain_text("社区书屋")
    expect(hint.get_by_test_id("similar-place")).to_contain_text("嘉和居民区党总支 · 嘉和苑")
    expect(hint.get_by_text("我也有这个需求，附议")).to_be_visible()
    screenshot("similar-hint-390-zh")
    page.get_by_test_id("lang-switch").click()
    title = page.get_by_label("Title")
    title.click()
    title.press_sequentially("希望附近设社区医院", delay=20)
    expect(page.get_by_test_id("similar-needs")).to_contain_text("卫生服务站太远")
    screenshot("similar-hint-390-en")


def test_staff_merge_a_pair_from_the_duplicates_queue_and_dismiss_another(page, live_server, login, screenshot):
    root = make_root()
    user_with_role(Role.TOWN_ADMIN, root, username="admin")
    area = make_org(root, "民益居民区党总支", OrgKind.RESIDENTIAL)
    lamp = raise_need(root, area, "路灯坏了很久", "几盏灯坏了一个多月，晚上黑漆漆的。", "民益小区西侧小路")
    dark = raise_need(root, area, "小路太黑", "下晚班回家经过那里伸手不见五指。", "民益小区西小路")
    raise_need(root, area, "楼道没有扶手", "老人上下楼没有扶手很吃力，晚上楼道也黑。", "民益小区西侧8号楼")
    assert DuplicatePair.objects.filter(newer=dark, older=lamp).exists()
    page.set_viewport_size(LAPTOP)
    login("admin")
    page.goto(f"{live_server.url}/needs/")
    page.get_by_role("link", name="疑似重复需求").click()
    pair = page.get_by_test_id("duplicate-pair").filter(has_text="小路太黑").filter(has_text="路灯坏了很久")
    expect(pair).to_contain_text("同一小区")
    expect(pair).to_contain_text("同义：")
    screenshot("duplicates-queue-1366-zh")
    page.set_viewport_size(PHONE)
    screenshot("duplicates-queue-390-zh")
    # The language switch sits in the laptop's menu bar (a phone folds it away).
    page.set_viewport_size(LAPTOP)
    page.get_by_test_id("lang-switch").click()
    expect(page.get_by_role("heading", name="Likely duplicates")).to_be_visible()
    page.set_viewport_size(PHONE)
    screenshot("duplicates-queue-390-en")
    page.set_viewport_size(LAPTOP)
    page.get_by_test_id("lang-switch").click()

    pair.get_by_role("link", name=f"合并：#{dark.pk} 并入 #{lamp.pk}").click()
    page.get_by_role("button", name="确认合并").click()
    expect(page.get_by_role("alert").filter(has_text="合并到需求")).to_be_visible()
    dark.refresh_from_db()
    assert (dark.status, dark.merged_into_id) == (NeedStatus.MERGED, lamp.pk)

    page.goto(f"{live_server.url}/needs/duplicates/")
    expect(page.get_by_text("小路太黑")).to_have_count(0)
    others = page.get_by_test_id("duplicate-pair")
    for _ in range(others.count()):
        others.first.get_by_role("button", name="不是重复").click()
        expect(page.get_by_role("alert").filter(has_text="不是重复")).to_be_visible()
    expect(page.get_by_test_id("no-duplicates")).to_be_visible()
    assert not selectors.duplicate_pairs(root).exists()

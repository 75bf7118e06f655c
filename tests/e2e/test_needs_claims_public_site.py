"""In a real browser: staff merge and unmerge needs, a resident types Chinese and reads the hints in care
mode across the public site, and a claiming unit comes back to its own claim."""

import pytest
from playwright.sync_api import expect

from projectize.claims.models import Claim, ClaimStatus
from projectize.needs.models import NeedStatus
from projectize.orgs.models import OrgKind, Role
from projectize.showcase import services as showcase_services
from projectize.showcase.models import Showcase, ShowcaseStatus, Vote
from projectize.showcase.verification import LocmemBackend
from tests.factories import make_org, make_root, user_with_role
from tests.needs.factories import make_category, make_need
from tests.programmes.factories import make_programme, make_section, make_target
from tests.showcase.factories import make_showcase, make_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}


def test_staff_compare_two_needs_before_merging_and_can_undo_the_merge(page, live_server, login, screenshot):
    root = make_root()
    user_with_role(Role.TOWN_ADMIN, root, username="admin")
    east = make_org(root, "东苑居民区党总支", OrgKind.RESIDENTIAL)
    west = make_org(root, "西苑居民区党总支", OrgKind.RESIDENTIAL)
    make_need(root, "东苑门口晚上停车难", area=west, location="3 号楼")
    survivor = make_need(root, "东苑门口晚上停车难", area=east, location="3 号楼")
    duplicate = make_need(root, "东苑门口晚上停车难", area=east, location="3 号楼门口")
    page.set_viewport_size(LAPTOP)
    login("admin")
    page.goto(f"{live_server.url}/needs/{duplicate.pk}/")

    # The same building's need comes first; the other community's is ranked below it.
    candidates = page.get_by_test_id("merge-candidate")
    expect(candidates.first).to_contain_text(f"#{survivor.pk}")
    expect(candidates.first).to_contain_text("东苑居民区党总支 · 3 号楼")
    expect(candidates.nth(1)).to_contain_text("西苑居民区党总支")
    candidates.first.get_by_role("link", name="合并到此需求").click()

    pair = page.get_by_test_id("merge-pair")
    for shown in ("东苑居民区党总支", "3 号楼门口", "网上提交", "0 人"):
        expect(pair).to_contain_text(shown)
    screenshot("needs-merge-confirm-1366-zh")
    page.get_by_test_id("lang-switch").click()
    expect(page.get_by_role("button", name="Confirm merge")).to_be_visible()
    screenshot("needs-merge-confirm-1366-en")
    page.get_by_test_id("lang-switch").click()
    duplicate.refresh_from_db()
    assert duplicate.status == NeedStatus.RECEIVED  # looking changes nothing

    page.get_by_role("button", name="确认合并").click()
    expect(page.get_by_role("alert").filter(has_text="合并到需求")).to_be_visible()
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id == survivor.pk

    page.goto(f"{live_server.url}/needs/{duplicate.pk}/")
    page.get_by_text("撤销合并", exact=True).click()
    page.get_by_label("理由").fill("位置不同，是两处问题。")
    page.get_by_role("button", name="确认撤销合并").click()
    expect(page.get_by_test_id("need-status")).to_have_text("已受理")
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into_id) == (NeedStatus.ACCEPTED, None)
    screenshot("needs-unmerged-1366-zh")


def test_a_resident_types_chinese_sees_similar_needs_and_care_mode_follows_her(page, live_server, screenshot):
    root = make_root()
    east = make_org(root, "东苑居民区党总支", OrgKind.RESIDENTIAL)
    make_category(root, "交通管理")
    make_need(root, "东苑小区门口晚上停车难", area=east, location="3 号楼")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/public/")
    screenshot("public-home-390-zh")

    # Care mode once, then every page of the site keeps it.
    page.get_by_role("button", name="关怀模式").click()
    expect(page.locator("body")).to_have_class("public care-mode")
    page.get_by_role("navigation", name="公众导航").get_by_role("link", name="我有需求").click()
    expect(page.locator("body")).to_have_class("public care-mode")
    title = page.get_by_label("标题")
    assert float(title.evaluate("e => getComputedStyle(e).fontSize").removesuffix("px")) >= 20

    # Typed character by character, as an input method delivers it: the hint follows the input events.
    title.click()
    title.press_sequentially("东苑门口停车难", delay=60)
    hint = page.get_by_test_id("similar-needs")
    expect(hint).to_contain_text("东苑小区门口晚上停车难")
    expect(hint.get_by_test_id("similar-place")).to_contain_text("东苑居民区党总支 · 3 号楼")
    screenshot("public-need-form-care-390-zh")

    for name, shot in (
        ("查询办理进度", "public-track"),
        ("公开认领标的", "public-targets"),
        ("七一展评", "public-showcase"),
    ):
        page.get_by_role("navigation", name="公众导航").get_by_role("link", name=name).click()
        expect(page.locator("body")).to_have_class("public care-mode")
        expect(page.get_by_test_id("public-brand")).to_have_attribute("href", "/public/")
        screenshot(f"{shot}-390-zh")
    page.get_by_test_id("lang-switch").click()
    page.get_by_role("navigation", name="Public navigation").get_by_role("link", name="Raise a need").click()
    expect(page.locator("body")).to_have_class("public care-mode")
    screenshot("public-need-form-care-390-en")
    page.get_by_role("link", name="新桥镇党委 · Party building for the people").click()
    screenshot("public-home-care-390-en")
    page.get_by_role("button", name="Leave easy-reading mode").click()
    expect(page.locator("body")).to_have_class("public")


def test_the_hint_waits_for_the_input_method_to_finish_a_word(page, live_server):
    root = make_root()
    make_need(root, "东苑小区门口晚上停车难")
    page.goto(f"{live_server.url}/needs/public/new/")
    title = page.get_by_label("标题")
    title.click()
    # What an input method sends: input events flagged as composing while pinyin is typed, then the
    # chosen words with compositionend (and no key-up with the text in it).
    title.evaluate(
        """field => {
            field.dispatchEvent(new CompositionEvent("compositionstart", {bubbles: true}));
            field.value = "东苑门口停车难";
            field.dispatchEvent(new InputEvent("input", {bubbles: true, isComposing: true}));
        }"""
    )
    page.wait_for_timeout(1000)
    expect(page.get_by_test_id("similar-needs")).to_have_count(0)
    title.evaluate('field => field.dispatchEvent(new CompositionEvent("compositionend", {bubbles: true}))')
    expect(page.get_by_test_id("similar-needs")).to_contain_text("东苑小区门口晚上停车难")


def test_a_unit_saves_a_partial_draft_and_comes_back_to_its_own_claim(page, live_server, login, screenshot):
    root = make_root()
    police = make_org(root, "新桥派出所党支部", OrgKind.STATIONED)
    user_with_role(Role.CLAIM_CONTACT, police, username="police")
    target = make_target(make_section(make_programme(root)), title="春申小区停车治理")
    page.set_viewport_size(LAPTOP)
    login("police")

    page.goto(f"{live_server.url}{target.get_public_url()}")
    page.get_by_role("link", name="我要认领").click()
    page.get_by_label("实施方案").click()
    page.get_by_label("实施方案").press_sequentially("联合交警夜间巡查，施划临时车位。")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_test_id("claim-status")).to_have_text("草稿")
    claim = Claim.objects.get()
    assert (claim.status, claim.plan, claim.reasons) == (ClaimStatus.DRAFT, "联合交警夜间巡查，施划临时车位。", "")

    # Back on the target's page the next day: the unit is led to its draft, not to a blank form.
    page.goto(f"{live_server.url}{target.get_public_url()}")
    expect(page.get_by_test_id("my-claim")).to_contain_text("草稿")
    page.get_by_role("link", name="查看或修改").click()
    expect(page.get_by_label("实施方案")).to_have_value("联合交警夜间巡查，施划临时车位。")
    page.get_by_role("button", name="提交认领").click()
    expect(page.get_by_test_id("error-reasons")).to_be_visible()
    page.get_by_label("认领理由").fill("辖区派出所，熟悉情况。")
    page.get_by_label("团队").fill("王所长 负责")
    page.get_by_label("时间安排").fill("3 月 施划")
    page.get_by_label("党组织资源").fill("党员民警 12 名")
    page.get_by_role("button", name="提交认领").click()
    expect(page.get_by_test_id("claim-status")).to_have_text("已提交")

    # 我的认领 shows the claim's state; the open target leads to the claim, which can still change.
    page.goto(f"{live_server.url}/claims/")
    expect(page.get_by_test_id("my-claims")).to_contain_text("已提交")
    page.get_by_test_id("open-targets").get_by_role("link", name="修改认领").click()
    page.get_by_label("时间安排").fill("3 月 施划，4 月 巡查")
    page.get_by_role("button", name="保存修改").click()
    expect(page.get_by_test_id("claim-status")).to_have_text("已提交")
    claim.refresh_from_db()
    assert (claim.status, claim.timeline) == (ClaimStatus.SUBMITTED, "3 月 施划，4 月 巡查")
    screenshot("claim-submitted-1366-zh")
    page.locator("summary", has_text="撤回").click()
    page.get_by_role("button", name="确认撤回").click()
    expect(page.get_by_test_id("claim-status")).to_have_text("已撤回")
    assert Claim.objects.get().status == ClaimStatus.WITHDRAWN


def test_after_voting_the_card_shows_the_vote_and_no_second_button(page, live_server, screenshot, settings):
    settings.SHOWCASE_VERIFICATION_BACKEND = "projectize.showcase.verification.LocmemBackend"
    LocmemBackend.outbox.clear()
    world = make_world(2)
    showcase = make_showcase(world.admin, world.committee, status=ShowcaseStatus.NOMINATING)
    for n in range(2):
        showcase_services.nomination_create(
            actor=world.secretaries[n], showcase=showcase, project=world.projects[n], summary="简介", highlights="亮点"
        )
    Showcase.objects.filter(pk=showcase.pk).update(status=ShowcaseStatus.JUDGING)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/public/showcase/{showcase.pk}/")
    page.get_by_role("textbox", name="手机号码").fill("13900000001")
    page.get_by_role("button", name="获取验证码").click()
    page.get_by_role("textbox", name="验证码").fill(LocmemBackend.outbox[-1][1])
    page.get_by_role("button", name="验证", exact=True).click()

    page.get_by_role("button", name="为“项目1”投票").click()
    expect(page.get_by_role("alert").filter(has_text="投票成功")).to_be_visible()
    voted = page.get_by_role("article", name="项目1")
    expect(voted.get_by_text("您已投票")).to_be_visible()
    expect(voted.get_by_test_id(f"votes-{voted.get_attribute('id').removeprefix('nomination-')}")).to_have_text("1 票")
    expect(voted.get_by_role("button")).to_have_count(0)
    expect(page.get_by_role("button", name="为“项目2”投票")).to_be_visible()
    voted.scroll_into_view_if_needed()
    screenshot("public-showcase-voted-390-zh")
    assert Vote.objects.count() == 1

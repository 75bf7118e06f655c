"""The whole path in a real browser: a resident's need becomes a claimed, publicly noticed, awarded project."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from projectize.claims.models import Claim, ClaimStatus, Objection, ObjectionStatus
from projectize.needs.models import Channel, Need, NeedStatus
from projectize.orgs.models import OrgKind, Role
from projectize.programmes.models import TargetStatus
from projectize.projects.models import Project
from projectize.reviews.models import Assignment, ScoreSheet
from projectize.reviews.services import CriterionSpec, GradeSpec, RubricSpec, rubric_create
from tests.factories import make_org, make_root, user_with_role
from tests.needs.factories import make_category, make_need
from tests.programmes.factories import make_programme, make_section, make_target


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_need_becomes_a_claimed_project(page, live_server, login, screenshot):
    root = make_root()
    user_with_role(Role.TOWN_ADMIN, root, username="admin")
    user_with_role(Role.REVIEWER, root, username="expert")
    police = make_org(root, "新桥派出所党支部", OrgKind.STATIONED)
    shop = make_org(root, "新桥商业广场有限公司", OrgKind.ENTERPRISE)
    user_with_role(Role.CLAIM_CONTACT, police, username="police")
    user_with_role(Role.CLAIM_CONTACT, shop, username="shop")
    category = make_category(root, "交通管理")
    earlier = make_need(root, "小区门口停车难", category=category, channel=Channel.HOTLINE)
    programme = make_programme(root, claim_closes=timezone.now() + timedelta(days=2))
    target = make_target(make_section(programme), status=TargetStatus.DRAFT, title="春申小区停车治理")
    rubric_create(
        organization=root,
        actor=user_with_role(Role.TOWN_ADMIN, root),
        spec=RubricSpec(
            name="认领综合考量标准",
            purpose="claim",
            criteria=[CriterionSpec("方案可行", Decimal(60)), CriterionSpec("资源匹配", Decimal(40))],
            grades=[GradeSpec("优", Decimal(80)), GradeSpec("合格", Decimal(0))],
        ),
    )
    url = live_server.url

    # 1. A resident submits a need; similar needs show while typing; a tracking code follows it.
    page.goto(f"{url}/needs/public/new/")
    page.get_by_label("标题").fill("春申小区门口晚上停车难")
    page.get_by_label("具体情况").fill("每天晚上车辆乱停，消防通道被堵住，老人出行不便。")
    expect(page.get_by_test_id("similar-needs")).to_contain_text("小区门口停车难")
    page.get_by_label("类别").select_option(label="交通管理")
    page.get_by_label("手机号码", exact=True).fill("13912345678")
    page.get_by_role("button", name="提交需求").click()
    code = page.get_by_test_id("tracking-code").inner_text().strip()
    need = Need.objects.get(code=code)
    assert need.channel == Channel.PORTAL and need.status == NeedStatus.RECEIVED
    assert need.submitter_mobile == "13912345678"
    expect(page.get_by_text("139****5678")).to_be_visible()
    screenshot("claiming-01-need-tracking")

    # 2. Staff merge the duplicate into the earlier need and link that need to the target.
    login("admin")
    page.goto(f"{url}/needs/{need.pk}/")
    page.get_by_test_id("merge").get_by_role("link", name="合并到此需求").first.click()
    page.get_by_role("button", name="确认合并").click()
    need.refresh_from_db()
    assert need.status == NeedStatus.MERGED and need.merged_into == earlier
    expect(page.get_by_test_id("submitters")).to_contain_text("13912345678")
    page.get_by_label("标的").select_option(label=str(target))
    page.get_by_role("button", name="关联", exact=True).click()
    earlier.refresh_from_db()
    assert earlier.target == target and earlier.status == NeedStatus.PLANNED

    # 3. Staff publish the target.
    page.goto(f"{url}/programmes/targets/{target.pk}/")
    page.locator("summary", has_text="发布标的").click()
    expect(page.get_by_text("发布后标的在公开网站展示")).to_be_visible()
    target.refresh_from_db()
    assert target.status == TargetStatus.DRAFT
    page.get_by_role("button", name="确认发布标的").click()
    expect(page.locator("summary", has_text="发布标的")).to_have_count(0)
    target.refresh_from_db()
    assert target.status == TargetStatus.PUBLISHED
    page.goto(f"{url}/programmes/public/")
    expect(page.get_by_test_id("public-targets")).to_contain_text("春申小区停车治理")

    # 4. One unit claims in time; the other, after the deadline, is refused.
    login("police")
    page.goto(f"{url}/claims/new/{target.pk}/")
    fill_claim(page)
    page.get_by_role("button", name="提交认领").click()
    expect(page.get_by_test_id("claim-status")).to_have_text("已提交")
    claim = Claim.objects.get(organization=police)
    assert claim.status == ClaimStatus.SUBMITTED
    assert set(claim.resources.values_list("kind", flat=True)) == {"party", "administrative"}

    traveller = time_machine.travel(programme.claim_closes + timedelta(hours=1), tick=True)
    traveller.start()
    try:
        login("shop")
        page.goto(f"{url}/claims/new/{target.pk}/")
        fill_claim(page)
        page.get_by_role("button", name="提交认领").click()
        expect(page.get_by_test_id("form-error")).to_contain_text("截止")
        assert not Claim.objects.filter(organization=shop).exists()

        # 5. Staff close claiming and ask the expert to score; the expert scores.
        login("admin")
        page.goto(f"{url}/claims/targets/{target.pk}/")
        page.get_by_role("button", name="开始综合考量").click()
        expect(page.get_by_test_id("target-status")).to_have_text("综合考量")
        page.get_by_label(re.compile("张同志")).check()
        page.get_by_role("button", name="发起评分").click()
        assignment = Assignment.objects.get(review__subject_id=claim.pk, reviewer__username="expert")
        login("expert")
        page.goto(f"{url}/reviews/assignments/{assignment.pk}/")
        page.get_by_label(re.compile("本人承诺")).check()
        page.get_by_role("button", name="承诺无利益冲突，查看材料").click()
        expect(page.get_by_test_id("claim-summary")).to_contain_text("联合交警")
        page.get_by_label(re.compile("方案可行")).fill("55")
        page.get_by_label(re.compile("资源匹配")).fill("36")
        page.get_by_role("button", name="提交评分").click()
        assert ScoreSheet.objects.get().total == Decimal("91")

        # 6. The committee selects, with a reason, and publicly notices the result.
        login("admin")
        page.goto(f"{url}/claims/targets/{target.pk}/")
        expect(page.get_by_test_id("ranked-claim")).to_contain_text("91")
        page.get_by_test_id("ranked-claim").get_by_text("决定", exact=True).click()
        page.get_by_label("选定", exact=True).check()
        page.get_by_label("理由").fill("方案可行，执法资源匹配。")
        page.get_by_role("button", name="保存决定").click()
        claim.refresh_from_db()
        assert claim.status == ClaimStatus.SELECTED and claim.is_lead
        page.locator("summary", has_text="公示认领结果").click()
        page.get_by_role("button", name="确认公示认领结果").click()
        expect(page.locator("summary", has_text="公示认领结果")).to_have_count(0)
        target.refresh_from_db()
        assert target.status == TargetStatus.NOTICE
        screenshot("claiming-02-selection")

        # 7. Anyone objects during the notice; staff answer.
        page.context.clear_cookies()
        page.goto(f"{url}/programmes/public/targets/{target.pk}/")
        expect(page.get_by_test_id("public-result")).to_contain_text("新桥派出所党支部")
        page.get_by_role("link", name="提出异议").click()
        page.get_by_label("异议内容").fill("派出所警力紧张，能否保证夜间巡查？")
        page.get_by_role("button", name="提交异议").click()
        objection = Objection.objects.get()
        assert objection.status == ObjectionStatus.OPEN
        login("admin")
        page.goto(f"{url}/claims/targets/{target.pk}/")
        page.get_by_label("异议不成立").check()
        page.get_by_label("答复").fill("派出所已承诺每晚巡查两次，并由交警中队配合。")
        page.get_by_role("button", name="答复", exact=True).click()
        objection.refresh_from_db()
        assert objection.status == ObjectionStatus.DISMISSED
    finally:
        traveller.stop()

    # 8. After the notice period the award creates the project.
    with time_machine.travel(timezone.now() + timedelta(days=12), tick=True):
        login("admin")  # twelve idle days end the session
        page.goto(f"{url}/claims/targets/{target.pk}/")
        page.locator("summary", has_text="确定授予并立项").click()
        expect(page.get_by_text("此操作不能撤销")).to_be_visible()
        page.get_by_role("button", name="确认确定授予并立项").click()
        expect(page.get_by_test_id("awarded-project")).to_be_visible()
        project = Project.objects.get()
        assert project.organization == police and project.origin == "claim"
        claim.refresh_from_db()
        assert claim.status == ClaimStatus.AWARDED and claim.project == project

        # 9. The resident's tracking code (of the merged need) shows the project.
        page.context.clear_cookies()
        page.goto(f"{url}/needs/public/track/{code}/")
        expect(page.get_by_test_id("merged-notice")).to_be_visible()
        expect(page.get_by_test_id("trace-project")).to_contain_text(project.code)
        expect(page.get_by_test_id("need-updates")).to_contain_text("立项")
        screenshot("claiming-03-resident-sees-project")


def fill_claim(page):
    page.get_by_label("实施方案").fill("联合交警在春申小区门口施划停车位，夜间巡查。")
    page.get_by_label("认领理由").fill("辖区派出所，熟悉情况，有执法力量。")
    page.get_by_label("党组织资源").fill("党员民警 12 名")
    page.get_by_label("行政资源").fill("治安巡逻与交通执法")
    page.get_by_label("团队").fill("王所长 负责\n李警官 巡查")
    page.get_by_label("时间安排").fill("3 月 施划车位\n4 月 巡查常态化")

"""One project from application to promotion, walked in a real browser by the people who do each step.

Time passes between the phases of the call by moving the call's dates (`move_call`): staff set
those dates on the call page, and the phase decides what can be done.
"""

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from projectize.core.models import Attachment, Notification
from projectize.orgs.models import OrgKind, Role
from projectize.projects.models import (
    Adoption,
    ProgressReport,
    Project,
    ProjectStatus,
    Promotion,
    ReportStatus,
    SurveyResponse,
)
from projectize.reviews.models import Assignment, ScoreSheet
from projectize.reviews.services import CriterionSpec, GradeSpec, RubricSpec, rubric_create
from tests.factories import make_org, make_root, user_with_role
from tests.projects.factories import make_call, move_call

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4 application plan\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
GRADES = [
    GradeSpec("优秀", Decimal(90)),
    GradeSpec("良好", Decimal(80)),
    GradeSpec("合格", Decimal(60)),
    GradeSpec("不合格", Decimal(0)),
]


def iso(days: int) -> str:
    return (datetime.date.today() + datetime.timedelta(days=days)).isoformat()


@pytest.fixture
def town_setup():
    town = make_root()
    branch = make_org(town, "社区党建服务中心党总支", OrgKind.GENERAL_BRANCH)
    org = make_org(branch, "春申居民区党总支")
    adopter = make_org(branch, "明华居民区党总支")
    admin = user_with_role(Role.TOWN_ADMIN, town, username="admin", last_name="王", first_name="管理员")
    leader = user_with_role(Role.LEADER, town, username="leader1", last_name="李", first_name="书记")
    experts = [
        user_with_role(Role.REVIEWER, town, username=f"expert{n}", last_name="钱", first_name=f"专家{n}")
        for n in (1, 2)
    ]
    secretary = user_with_role(Role.SECRETARY, org, username="sec01", last_name="赵", first_name="书记")
    rubric_create(
        organization=town,
        spec=RubricSpec(
            name="申报评审标准",
            purpose="application",
            criteria=[CriterionSpec(n, Decimal(25)) for n in ("目标量化", "创新性", "可行性", "预期成效")],
            grades=GRADES,
        ),
        actor=admin,
    )
    rubric_create(
        organization=town,
        spec=RubricSpec(
            name="考评验收标准",
            purpose="acceptance",
            criteria=[CriterionSpec(n, Decimal(25)) for n in ("一听", "二看", "三查", "四问")],
            grades=GRADES,
        ),
        actor=admin,
    )
    call = make_call(town, 2026, phase="application")
    return {
        "org": org,
        "adopter": adopter,
        "admin": admin,
        "leader": leader,
        "experts": experts,
        "secretary": secretary,
        "call": call,
    }


def as_user(page, login, username):
    page.context.clear_cookies()
    login(username)


def take(page, action: str, note: str = "") -> None:
    """Press a workflow button; steps that need a reason or a confirmation open a small form first."""
    summary = page.locator("summary", has_text=action)
    if summary.count():
        summary.click()
        if note:
            page.locator("details", has=summary).get_by_label("理由").fill(note)
        page.get_by_role("button", name=f"确认{action}").click()
    else:
        page.get_by_role("button", name=action, exact=True).click()


def test_a_project_goes_from_application_to_promotion(page, live_server, login, screenshot, town_setup):
    s = town_setup
    url = live_server.url

    # 1. The secretary applies; the first try lacks the approach and is refused beside the field.
    as_user(page, login, "sec01")
    page.goto(f"{url}/projects/calls/{s['call'].pk}/")
    page.get_by_role("link", name="我要申报").click()
    page.get_by_label("典型示范型").check()
    expect(page.get_by_text("树品牌")).to_be_visible()
    page.locator("#id_title").fill("春申“四点半课堂”")
    page.locator("#id_background").fill("双职工家庭孩子放学后无人照看。")
    # The 量化目标 table is clicked and typed into, as a person does (a clipped table cannot be).
    indicators = page.get_by_test_id("rows-ind")
    for label, value in [("指标名称", "受益学生"), ("单位", "人"), ("基线值", "0"), ("目标值", "60")]:
        cell = indicators.get_by_label(label).first
        cell.click()
        cell.press_sequentially(value)
    page.locator("#id_start_date").fill(iso(40))
    page.locator("#id_end_date").fill(iso(300))
    page.locator("#id_ms-0-title").fill("招募志愿者、开班")
    page.locator("#id_ms-0-due_date").fill(iso(70))
    page.locator("#id_ms-1-title").fill("期末总结")
    page.locator("#id_ms-1-due_date").fill(iso(280))
    page.locator("#id_measures").fill("书记牵头，党员志愿者轮值。")
    page.locator("#id_expected_effects").fill("解决 60 名孩子的看护问题。")
    page.locator("#id_building_type").select_option("service")
    page.locator("#id_budget_requested").fill("25000.50")
    page.get_by_role("button", name="提交申报").click()
    expect(page.get_by_test_id("error-approach")).to_be_visible()
    assert not Project.objects.exists()
    page.locator("#id_approach").fill("每周一至周五放学后开课。")
    page.locator("#id_attachments").set_input_files(
        files=[{"name": "实施方案.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="提交申报").click()
    expect(page.locator("[data-status=submitted]").first).to_be_visible()
    project = Project.objects.get()
    assert (project.status, project.budget_requested) == (ProjectStatus.SUBMITTED, Decimal("25000.50"))
    assert project.versions.count() == 1
    assert Attachment.objects.filter(target_id=str(project.pk), name="实施方案.pdf").exists()
    screenshot("projects-1-submitted")

    # 2. Review phase: staff start the review and assign two experts, who declare and score.
    move_call(s["call"], "review")
    as_user(page, login, "admin")
    page.goto(f"{url}/projects/{project.pk}/")
    take(page, "开始评审")
    expect(page.locator("[data-status=under_review]").first).to_be_visible()
    page.get_by_test_id("assign-reviewers").click()
    page.locator("select[name=rubric]").select_option(label="申报评审标准")
    for expert in s["experts"]:
        page.get_by_label(str(expert)).check()
    page.get_by_role("button", name="发起评审并通知专家").click()
    for expert in s["experts"]:
        as_user(page, login, expert.username)
        assignment = Assignment.objects.get(reviewer=expert)
        page.goto(f"{url}/reviews/assignments/{assignment.pk}/")
        page.locator("input[name=declare-no_conflict]").check()
        page.get_by_role("button", name="承诺无利益冲突，查看材料").click()
        expect(page.get_by_text("双职工家庭孩子放学后无人照看。")).to_be_visible()
        for field in page.locator("[data-testid=score-form] input[name^=score-score_]").all():
            field.fill("22")
        page.get_by_role("button", name="提交评分").click()
        expect(page.get_by_test_id("my-sheet")).to_be_visible()
    assert ScoreSheet.objects.count() == 2

    # 3. Staff see the scores and return the application for revision.
    as_user(page, login, "admin")
    page.goto(f"{url}/projects/{project.pk}/")
    expect(page.get_by_test_id("review-result")).to_contain_text("88")
    take(page, "退回修改", "请把受益学生目标细化到每学期。")
    expect(page.locator("[data-status=returned]").first).to_be_visible()
    project.refresh_from_db()
    assert (project.status, project.return_comment) == (ProjectStatus.RETURNED, "请把受益学生目标细化到每学期。")

    # 4. The secretary revises and resubmits; the earlier version is kept and the diff shows the change.
    as_user(page, login, "sec01")
    page.goto(f"{url}/projects/{project.pk}/")
    expect(page.get_by_test_id("return-comment")).to_contain_text("细化到每学期")
    page.get_by_test_id("next-step").get_by_role("link").click()
    target = page.get_by_test_id("rows-ind").get_by_label("目标值").first
    target.click()
    target.fill("80")
    page.locator("#id_approach").fill("每周一至周五放学后开课，每学期招收 40 人。")
    page.get_by_role("button", name="提交申报").click()
    expect(page.locator("[data-status=submitted]").first).to_be_visible()
    assert project.versions.count() == 2
    page.get_by_test_id("versions-link").click()
    expect(page.get_by_test_id("diff")).to_contain_text("+推进方式：每周一至周五放学后开课，每学期招收 40 人。")
    expect(page.get_by_test_id("diff")).to_contain_text("-量化指标：受益学生（人）：0.00 → 60.00")

    # 5. The committee approves: the project gets its code and the secretary is told.
    as_user(page, login, "admin")
    page.goto(f"{url}/projects/{project.pk}/")
    take(page, "开始评审")
    take(page, "批准立项", "党委会研究同意立项。")
    expect(page.get_by_test_id("project-code")).to_have_text("2026-SF-001")
    project.refresh_from_db()
    assert (project.status, project.code) == (ProjectStatus.APPROVED, "2026-SF-001")
    assert any("批准立项" in n.heading for n in Notification.objects.filter(recipient=s["secretary"]))

    # 6. Implementation: starting without 五定 is refused and says what is missing; then it is filled in.
    move_call(s["call"], "implementation")
    as_user(page, login, "sec01")
    page.goto(f"{url}/projects/{project.pk}/")
    expect(page.get_by_test_id("five-fixed-missing")).to_contain_text("请补充五定信息")
    start = page.get_by_test_id("blocked-start")
    expect(start).to_be_disabled()
    expect(page.locator(f"[id='{start.get_attribute('aria-describedby')}']")).to_contain_text("请补充五定信息")
    assert Project.objects.get().status == ProjectStatus.APPROVED
    page.get_by_role("link", name="填写五定").click()
    page.locator("#id_lead_leader").select_option(label=str(s["leader"]))
    page.locator("#id_responsible").select_option(label=str(s["secretary"]))
    page.locator("#id_team-0-name").fill("孙老师")
    page.locator("#id_team-0-role").fill("课堂辅导")
    page.get_by_role("button", name="保存").click()
    take(page, "启动实施")
    expect(page.locator("[data-status=in_progress]").first).to_be_visible()
    project.refresh_from_db()
    assert project.status == ProjectStatus.IN_PROGRESS and project.reports.count() >= 1
    screenshot("projects-2-running")

    # 7. Progress report: submitted with evidence, returned with a comment, resubmitted, accepted.
    report = project.reports.get(number=1)
    indicator = project.indicators.get()
    page.get_by_role("link", name="第 1 期").click()
    page.locator("#id_content").fill("已开班 2 期。")
    page.locator(f"#id_actual_{indicator.pk}").fill("30")
    page.locator("#id_evidence").set_input_files(files=[{"name": "课堂.png", "mimeType": "image/png", "buffer": PNG}])
    page.get_by_role("button", name="提交报告").click()
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
    as_user(page, login, "admin")
    page.goto(f"{url}/projects/{project.pk}/reports/{report.pk}/")
    expect(page.get_by_role("link", name="课堂.png")).to_be_visible()
    take(page, "退回补充", "请补充学生签到表。")
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.RETURNED
    as_user(page, login, "sec01")
    page.goto(f"{url}/projects/{project.pk}/reports/{report.pk}/")
    expect(page.get_by_test_id("review-comment")).to_contain_text("签到表")
    page.locator("#id_content").fill("已开班 2 期，附签到表。")
    page.get_by_role("button", name="提交报告").click()
    as_user(page, login, "admin")
    page.goto(f"{url}/projects/{project.pk}/reports/{report.pk}/")
    take(page, "审核通过")
    indicator.refresh_from_db()
    assert (ProgressReport.objects.get(pk=report.pk).status, indicator.actual) == (ReportStatus.ACCEPTED, Decimal(30))
    page.goto(f"{url}/projects/{project.pk}/")
    first = project.milestones.get(title="招募志愿者、开班")
    page.locator(f"#assess-{first.pk}").select_option("met")
    page.locator(f"#assess-{first.pk}").locator("xpath=..").get_by_role("button", name="评定").click()
    # One of two milestones met, and the indicator part of the way to its target: both count.
    share = (Decimal(30) - indicator.baseline) / (indicator.target - indicator.baseline)
    expect(page.get_by_test_id("progress")).to_have_text(f"{round(100 * (1 + 0 + float(share)) / 3)}%")

    # 8. Evaluation: staff schedule the acceptance; a resident answers the survey on a phone.
    move_call(s["call"], "evaluation")
    page.goto(f"{url}/projects/{project.pk}/")
    page.get_by_role("link", name="安排验收").click()
    page.locator("#id_scheduled_on").fill(iso(0))
    page.get_by_label(str(s["leader"])).check()
    page.get_by_role("button", name="安排验收").click()
    survey_url = page.get_by_test_id("survey-link").get_attribute("href")
    assert survey_url and re.search(r"/projects/survey/[\w-]+/$", survey_url)
    resident = page.context.browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    phone = resident.new_page()
    phone.goto(survey_url)
    phone.get_by_label("满意", exact=True).check()
    phone.get_by_label("手机号码").fill("13911112222")
    phone.get_by_role("button", name="提交").click()
    expect(phone.get_by_test_id("survey-thanks")).to_be_visible()
    phone.screenshot(path=str(screenshot("projects-3-running").parent / "projects-4-survey-phone.png"), full_page=True)
    resident.close()
    assert SurveyResponse.objects.get().satisfaction == "satisfied"

    # 9. The panel member records 一听二看三查四问; staff conclude: total through the rubric and grade.
    as_user(page, login, "leader1")
    acceptance = project.acceptances.get()
    page.goto(f"{url}/projects/{project.pk}/acceptance/{acceptance.pk}/")
    expect(page.get_by_test_id("online-satisfied")).to_have_text("1")
    page.locator("#id_listen_notes").fill("听取书记汇报。")
    page.locator("#id_listen_score").fill("23")
    page.locator("#id_look_score").fill("22")
    for box in page.get_by_test_id("checklist").locator("input[type=checkbox]").all():
        box.check()
    page.locator("#id_check_score").fill("24")
    page.locator("#id_interview_satisfied").fill("8")
    page.locator("#id_ask_score").fill("23")
    page.get_by_role("button", name="保存验收记录").click()
    acceptance.refresh_from_db()
    assert (acceptance.listen_score, acceptance.interview_satisfied) == (Decimal(23), 8)
    assert acceptance.check_items.filter(passed=False).count() == 0
    as_user(page, login, "admin")
    page.goto(f"{url}/projects/{project.pk}/acceptance/{acceptance.pk}/")
    page.get_by_label("通过验收").check()
    page.locator("#id_note").fill("成效明显，资料齐全。")
    page.get_by_role("button", name="作出结论").click()
    expect(page.get_by_test_id("acceptance-result")).to_contain_text("92")
    expect(page.get_by_test_id("acceptance-result")).to_contain_text("优秀")
    acceptance.refresh_from_db()
    assert (acceptance.total, acceptance.grade, acceptance.conclusion) == (Decimal(92), "优秀", "accepted")

    # 10. 结题 with the outcome counters, then promotion with an adopting organization.
    page.goto(f"{url}/projects/{project.pk}/")
    page.get_by_role("link", name="结题").click()
    page.locator("#id_summary").fill("开班 4 期，形成课堂管理制度。")
    page.locator("#id_rules_established").fill("1")
    page.locator("#id_problems_solved").fill("2")
    page.locator("#id_service_brands").fill("1")
    page.locator("#id_beneficiaries").fill("1600")
    page.locator(f"#id_actual_{indicator.pk}").fill("82")
    page.get_by_role("button", name="结题").click()
    expect(page.locator("[data-status=concluded]").first).to_be_visible()
    expect(page.get_by_test_id("outcomes")).to_contain_text("1600")
    project.refresh_from_db()
    assert (project.status, project.beneficiaries, project.progress) == (ProjectStatus.CONCLUDED, 1600, 100)
    page.get_by_test_id("next-step").get_by_role("link").click()
    page.locator("#id_summary").fill("“四点半课堂”可在双职工家庭多的居民区推广。")
    page.get_by_role("button", name="列入推广").click()
    expect(page.get_by_test_id("confirm-promotion")).to_contain_text("发布到公众网站")
    assert not Promotion.objects.exists()
    page.get_by_role("button", name="确认列入推广并发布").click()
    page.locator("#id_organization").select_option(label=str(s["adopter"]))
    page.locator("#id_adopted_on").fill(iso(0))
    page.get_by_role("button", name="登记采纳组织").click()
    expect(page.get_by_test_id("adoptions")).to_contain_text(str(s["adopter"]))
    assert Adoption.objects.get().organization == s["adopter"]

    # The project page tells the whole story on one timeline.
    page.goto(f"{url}/projects/{project.pk}/")
    timeline = page.get_by_test_id("timeline")
    for text in (
        "提交申报",
        "退回修改",
        "批准立项",
        "启动实施",
        "退回补充",
        "安排验收",
        "验收结论",
        "结题",
        "列为推广项目",
        "采纳了本项目经验",
    ):
        expect(timeline).to_contain_text(text)
    screenshot("projects-5-concluded")

"""In a real browser: a step that cannot be taken now is a disabled button that says why; consequential
steps ask for confirmation and say what will happen; staff 催办 and 督办 from the 督办 list; and the
project page, the 督办 list and the change request form are looked at in Chinese and English."""

import datetime

import pytest
from playwright.sync_api import expect

from projectize.orgs.models import OrgKind, Role
from projectize.projects.models import Call, CallStatus, ProgressReport, ProjectStatus
from projectize.supervision.models import FollowUp, FollowUpKind
from tests.factories import make_org, make_root, user_with_role
from tests.projects.factories import fill_five_fixed, make_call, make_project

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
TODAY = datetime.date.today()
PHONE, LAPTOP = {"width": 390, "height": 844}, {"width": 1366, "height": 900}


@pytest.fixture
def town():
    town = make_root()
    branch = make_org(town, "社区党建服务中心党总支", OrgKind.GENERAL_BRANCH)
    org = make_org(branch, "春申居民区党总支")
    admin = user_with_role(Role.TOWN_ADMIN, town, username="admin", last_name="王", first_name="管理员")
    secretary = user_with_role(Role.SECRETARY, org, username="sec01", last_name="赵", first_name="书记")
    leader = user_with_role(Role.LEADER, town, username="leader1", last_name="李", first_name="书记")
    call = make_call(town, 2026, phase="application")
    submitted = make_project(org, call, status=ProjectStatus.SUBMITTED, title="春申“四点半课堂”")
    late_call = make_call(town, 2025, phase="review")
    draft = make_project(org, late_call, title="楼道微更新")
    running = make_project(org, status=ProjectStatus.IN_PROGRESS, code="2026-RL-001", title="楼组自治“微议事”")
    fill_five_fixed(running, leader)
    report = ProgressReport.objects.create(project=running, number=1, due_date=TODAY - datetime.timedelta(days=20))
    return {
        "admin": admin,
        "secretary": secretary,
        "call": call,
        "submitted": submitted,
        "draft": draft,
        "running": running,
        "report": report,
    }


def blocked_reason(page, step: str):
    """A disabled step's button, and the reason it describes itself with."""
    button = page.get_by_test_id(f"blocked-{step}")
    expect(button).to_be_disabled()
    return page.locator(f"[id='{button.get_attribute('aria-describedby')}']")


def test_a_step_that_cannot_be_taken_now_says_why(page, live_server, login, town):
    login("admin")
    page.goto(f"{live_server.url}{town['submitted'].get_absolute_url()}")
    expect(blocked_reason(page, "start_review")).to_contain_text("当前处于“申报阶段”")
    expect(page.get_by_test_id("blocked-start_review")).to_have_text("开始评审")
    # One reason for the steps that share it, and no step of the review phase can be pressed.
    expect(page.get_by_test_id("why-blocked")).to_have_count(1)
    assert page.get_by_role("button", name="开始评审", disabled=False).count() == 0
    expect(page.get_by_test_id("next-step")).to_contain_text("评审阶段自")

    page.context.clear_cookies()
    login("sec01")
    page.goto(f"{live_server.url}{town['draft'].get_absolute_url()}")
    expect(page.get_by_test_id("blocked-submit")).to_have_text("提交申报")
    expect(blocked_reason(page, "submit")).to_contain_text("评审阶段")
    # The application form after the deadline: its buttons are disabled and point to the reason.
    page.goto(f"{live_server.url}/projects/{town['draft'].pk}/edit/")
    submit = page.get_by_role("button", name="提交申报")
    expect(submit).to_be_disabled()
    expect(page.locator(f"[id='{submit.get_attribute('aria-describedby')}']")).to_contain_text("评审阶段")


def test_closing_a_call_asks_first_and_says_what_will_happen(page, live_server, login, town):
    login("admin")
    page.goto(f"{live_server.url}{town['call'].get_absolute_url()}")
    page.locator("summary", has_text="关闭申报").click()
    expect(page.get_by_test_id("confirm-close")).to_contain_text("不能再提交申报")
    assert Call.objects.get(pk=town["call"].pk).status == CallStatus.OPEN
    page.get_by_role("button", name="确认关闭申报").click()
    expect(page.get_by_role("alert").filter(has_text="关闭申报")).to_be_visible()
    assert Call.objects.get(pk=town["call"].pk).status == CallStatus.CLOSED


def test_staff_remind_and_record_follow_up_from_the_overdue_list(page, live_server, login, screenshot, town):
    login("admin")
    page.goto(f"{live_server.url}/projects/overdue/")
    row = page.get_by_test_id(f"overdue-report:{town['report'].pk}")
    expect(row).to_contain_text("严重逾期")
    expect(row.get_by_test_id("last-follow-up")).to_contain_text("尚未督办")
    row.locator("summary", has_text="发送催办").click()
    note = row.get_by_label("附言（可不填）")
    note.click()
    note.press_sequentially("请本周内提交第 1 期报告")
    row.get_by_role("button", name="确认发送").click()
    expect(page.get_by_role("alert").filter(has_text="发出催办")).to_be_visible()
    assert FollowUp.objects.get().kind == FollowUpKind.REMIND

    row = page.get_by_test_id(f"overdue-report:{town['report'].pk}")
    row.locator("summary", has_text="登记督办").click()
    note = row.get_by_label("督办情况")
    note.click()
    note.press_sequentially("电话督促赵书记，答复周五前提交")
    row.get_by_role("button", name="保存督办记录").click()
    row = page.get_by_test_id(f"overdue-report:{town['report'].pk}")
    expect(row.get_by_test_id("last-follow-up")).to_contain_text("电话督促赵书记")
    assert FollowUp.objects.filter(kind=FollowUpKind.RECORD).count() == 1

    row.get_by_role("link", name="发反馈函").click()
    expect(page.get_by_label("项目")).to_have_value(str(town["running"].pk))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_pages_look_right(page, live_server, login, screenshot, town, language):
    login("admin")
    if language == "en":
        page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    running = town["running"]
    for name, path in (
        ("project", running.get_absolute_url()),
        ("overdue", "/projects/overdue/"),
        ("change-form", f"/projects/{running.pk}/changes/new/"),
    ):
        for width, size in (("phone", PHONE), ("laptop", LAPTOP)):
            page.set_viewport_size(size)
            page.goto(f"{live_server.url}{path}")
            screenshot(f"steps-{name}-{language}-{width}")
    page.goto(f"{live_server.url}{town['submitted'].get_absolute_url()}")
    screenshot(f"steps-blocked-{language}")

"""The 1 July showcase from nomination to the published commendation list, in a real browser."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from projectize.funds import services as funds
from projectize.funds.models import Allocation, FundKind
from projectize.reviews.models import Assignment
from projectize.showcase.models import Award, AwardLevelKind, Nomination, Showcase, ShowcaseStatus, Vote
from projectize.showcase.verification import LocmemBackend
from tests.jobs import browser_download
from tests.showcase.factories import make_showcase, make_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def last_code(mobile: str) -> str:
    return next(code for number, code in reversed(LocmemBackend.outbox) if number == mobile)


def take(page, step: str) -> None:
    """Open a step's confirmation and confirm it."""
    page.locator("summary", has_text=step).click()
    page.get_by_role("button", name=f"确认{step}").click()


def score_as(page, login, live_server, juror, title, innovation, effect):
    login(juror.username)
    assignment = Assignment.objects.get(reviewer=juror, review__subject_repr=title)
    page.goto(f"{live_server.url}/reviews/assignments/{assignment.pk}/")
    page.get_by_label("本人承诺与该评审对象无利益冲突", exact=False).check()
    page.get_by_role("button", name="承诺无利益冲突，查看材料").click()
    expect(page.get_by_text("第二步：评分")).to_be_visible()
    page.get_by_label("1. 创新性").fill(str(innovation))
    page.get_by_label("2. 实效性").fill(str(effect))
    page.get_by_label("好（系数 1）").check()
    page.get_by_role("button", name="提交评分").click()
    expect(page.get_by_test_id("assignment-status")).to_have_text("已评分")
    page.context.clear_cookies()


def test_showcase_from_nomination_to_the_published_list(page, live_server, login, screenshot, settings):
    settings.SHOWCASE_VERIFICATION_BACKEND = "projectize.showcase.verification.LocmemBackend"
    LocmemBackend.outbox.clear()
    world = make_world(2)
    funds.budget_create(
        organization=world.committee, year=2013, kind=FundKind.REWARD, amount=Decimal("50000"), actor=world.admin
    )
    showcase = make_showcase(world.admin, world.committee, jury=world.jurors)
    url = f"{live_server.url}/showcase/{showcase.pk}/"

    # Staff open nominations.
    login("admin")
    page.goto(url)
    page.get_by_role("button", name="开始推荐").click()
    expect(page.get_by_test_id("showcase-status")).to_have_text("推荐中")
    page.context.clear_cookies()

    # Each secretary nominates the organization's project.
    for n, secretary in enumerate(world.secretaries):
        login(secretary.username)
        page.goto(url)
        page.get_by_role("link", name="推荐项目").click()
        page.get_by_label("推荐项目").select_option(label=world.projects[n].title)
        page.get_by_label("项目简介").fill(f"{world.projects[n].title}：组建楼组议事会，解决停车难。")
        page.get_by_label("特色亮点").fill("首创楼组议事会\n惠及居民 1200 人次")
        page.get_by_role("button", name="提交推荐").click()
        expect(page.get_by_text("已推荐")).to_be_visible()
        page.context.clear_cookies()
    assert Nomination.objects.filter(showcase=showcase).count() == 2

    # Staff close nominations: every juror gets a task per project.
    login("admin")
    page.goto(url)
    take(page, "结束推荐，开始评审和投票")
    expect(page.get_by_test_id("showcase-status")).to_have_text("评审投票中")
    page.context.clear_cookies()
    assert Assignment.objects.count() == 4

    # Jurors score through the rubric engine: 项目1 80 + 20, 项目2 60 + 20 (out of 100).
    for juror in world.jurors:
        score_as(page, login, live_server, juror, "项目1", 40, 40)
        score_as(page, login, live_server, juror, "项目2", 30, 30)

    # Residents vote on the portal after verifying their mobile numbers.
    public = f"{live_server.url}/public/showcase/{showcase.pk}/"
    for mobile in ("13900000001", "13900000002"):
        page.goto(public)
        page.get_by_role("textbox", name="手机号码").fill(mobile)
        page.get_by_role("button", name="获取验证码").click()
        page.get_by_role("textbox", name="验证码").fill(last_code(mobile))
        page.get_by_role("button", name="验证", exact=True).click()
        expect(page.get_by_test_id("voter")).to_contain_text(mobile[:3] + "****" + mobile[-4:])
        page.get_by_role("button", name="为“项目2”投票").click()
        expect(page.get_by_role("alert").filter(has_text="投票成功")).to_be_visible()
        # The card now shows the vote and offers no second 投票; the other card still can be voted for.
        voted = page.get_by_role("article", name="项目2")
        expect(voted.get_by_text("您已投票")).to_be_visible()
        expect(voted.get_by_role("button")).to_have_count(0)
        expect(page.get_by_role("button", name="为“项目1”投票")).to_be_enabled()
        if mobile == "13900000002":
            page.set_viewport_size({"width": 390, "height": 844})
            voted.scroll_into_view_if_needed()
            screenshot("showcase-public-voted")
            page.set_viewport_size({"width": 1280, "height": 900})
        page.context.clear_cookies()
    nomination_2 = Nomination.objects.get(project__title="项目2")
    assert nomination_2.vote_count == 2 and Vote.objects.count() == 2

    # Staff rank, award and publish.
    login("admin")
    page.goto(url)
    take(page, "结束评审和投票，计算排名")
    expect(page.get_by_test_id("showcase-status")).to_have_text("已排名")
    take(page, "按排名评定奖项")
    expect(page.get_by_test_id("showcase-status")).to_have_text("已评奖")
    screenshot("showcase-staff-awarded")
    # 项目1: 100 × 0.7 + 0 = 70; 项目2: 80 × 0.7 + 100 × 0.3 = 86: the public lifts 项目2 to first.
    first = Award.objects.select_related("nomination__project").get(level=AwardLevelKind.FIRST)
    assert first.nomination.project.title == "项目2"
    assert first.nomination.final_score == Decimal("86.00")
    entry = Allocation.objects.get(pk=first.fund_entry_id or 0)
    assert (entry.budget.kind, entry.amount, entry.project_id) == (
        FundKind.REWARD,
        Decimal("5000.00"),
        first.nomination.project_id,
    )
    certificate = browser_download(page, f"{live_server.url}/showcase/awards/{first.pk}/certificate.pdf")
    assert certificate.headers["content-type"] == "application/pdf"
    assert certificate.body().startswith(b"%PDF-")
    # Publishing first says what it will do, in the reader's language; opening it publishes nothing.
    page.goto(url)
    page.locator("summary", has_text="发布表彰名单").click()
    expect(page.get_by_test_id("confirm-publish")).to_contain_text("公开网站的七一展评页面公布")
    screenshot("showcase-publish-confirm-zh")
    page.get_by_test_id("lang-switch").click()
    page.locator("summary", has_text="Publish the commendation list").click()
    expect(page.get_by_test_id("confirm-publish")).to_contain_text("appears on the public site")
    screenshot("showcase-publish-confirm-en")
    page.get_by_test_id("lang-switch").click()
    assert Showcase.objects.get(pk=showcase.pk).status == ShowcaseStatus.AWARDED
    take(page, "发布表彰名单")
    expect(page.get_by_test_id("showcase-status")).to_have_text("已表彰")
    page.context.clear_cookies()
    assert Showcase.objects.get(pk=showcase.pk).status == ShowcaseStatus.PUBLISHED

    # The public sees the commendation list.
    page.goto(f"{live_server.url}/public/showcase/{showcase.pk}/commendation/")
    rows = page.get_by_test_id("commendation").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("一等奖")
    expect(rows.nth(0)).to_contain_text("项目2")
    expect(rows.nth(1)).to_contain_text("二等奖")
    screenshot("showcase-commendation")

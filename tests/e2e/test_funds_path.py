"""The fund path in a real browser: budget → initial assessment → allocation → a disbursement requested
by one user and approved by another → an overspend refused."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from projectize.funds.models import Allocation, Budget, Disbursement, DisbursementStatus
from projectize.reviews.models import Review
from tests.funds.factories import fund_world
from tests.reviews.factories import application_spec, make_rubric

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def test_budget_to_approved_disbursement_and_refused_overspend(page, live_server, login, screenshot):
    world = fund_world()
    rubric = make_rubric(
        world.committee, world.admin, application_spec(name="项目初期评估标准", purpose="initial_assessment")
    )
    url = live_server.url
    login("admin")

    # 1. The year's management-fund budget and the support tiers.
    page.goto(f"{url}/funds/budgets/new/")
    page.get_by_label("年度").fill("2026")
    page.get_by_label("经费类别").select_option(label="专项管理经费")
    page.get_by_label("预算金额").fill("100000.001")
    page.get_by_role("button", name="提交").click()
    assert "金额最多保留两位小数" in page.get_by_test_id("error-amount").inner_text()
    page.get_by_label("预算金额").fill("100000")
    page.get_by_role("button", name="提交").click()
    assert Budget.objects.get().amount == Decimal("100000")
    page.goto(f"{url}/funds/tiers/")
    page.get_by_label("评估等级").fill("优秀")
    page.get_by_label("支持档次").fill("重点支持")
    page.get_by_label("资助上限").fill("30000")
    page.get_by_role("button", name="保存").click()
    assert "重点支持" in page.get_by_test_id("tiers").inner_text()

    # 2. The initial assessment, started from the allocation form: an expert scores with the rubric engine.
    page.goto(f"{url}/funds/allocations/new/?project={world.project.pk}")
    page.get_by_role("link", name="发起项目初期评估").click()
    page.get_by_label("评分标准").select_option(label=rubric.name)
    page.get_by_label(str(world.expert)).check()
    page.get_by_role("button", name="发起评审并通知专家").click()
    review = Review.objects.get(rubric=rubric)
    page.context.clear_cookies()
    login("expert")
    page.goto(f"{url}/reviews/assignments/{review.assignments.get().pk}/")
    page.locator("#id_declare-no_conflict").check()
    page.get_by_role("button", name="承诺无利益冲突，查看材料").click()
    for field in page.get_by_test_id("score-form").locator("input[type=number]").all():
        field.fill("19")
    page.get_by_role("button", name="提交评分").click()
    page.context.clear_cookies()
    login("admin")
    page.goto(f"{url}{review.get_absolute_url()}")
    page.locator("summary", has_text="结束评审").click()
    page.get_by_role("button", name="确认结束评审").click()
    page.wait_for_load_state()

    # 3. The allocation rests on it: the form shows the grade, and the tier caps the amount.
    page.goto(f"{url}/funds/allocations/new/?project={world.project.pk}")
    assert "优秀" in page.get_by_test_id("assessment").inner_text()
    page.get_by_label("年度").fill("2026")
    page.get_by_label("分配金额").fill("20000")
    page.get_by_label("事由").fill("项目启动经费")
    page.get_by_role("button", name="提交").click()
    allocation = Allocation.objects.get()
    assert (allocation.amount, allocation.grade, allocation.budget.committed) == (Decimal("20000"), "优秀", 20000)
    screenshot("funds-allocation")

    # 4. Finance requests a disbursement with its receipt; finance cannot approve it, the administrator does.
    page.context.clear_cookies()
    login("finance")
    page.goto(f"{url}{allocation.get_absolute_url()}")
    page.get_by_role("link", name="申请支出").click()
    page.get_by_label("支出金额").fill("12000.50")
    page.get_by_label("用途").fill("议事厅宣传展板制作")
    page.get_by_label("支出日期").fill("2026-03-15")
    page.get_by_label("票据附件").set_input_files(
        files=[{"name": "发票.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="提交").click()
    disbursement = Disbursement.objects.get()
    assert disbursement.requested_by == world.finance and disbursement.status == DisbursementStatus.REQUESTED
    expect(page.get_by_test_id("confirm-approve")).to_have_count(0)
    screenshot("funds-disbursement-requested")

    page.context.clear_cookies()
    login("admin")
    page.goto(f"{url}{disbursement.get_absolute_url()}")
    page.locator("summary", has_text="批准支出").click()
    expect(page.get_by_test_id("confirm-approve")).to_contain_text("不能撤销")
    page.get_by_role("button", name="确认批准支出").click()
    expect(page.get_by_role("alert").filter(has_text="批准支出")).to_be_visible()
    disbursement.refresh_from_db()
    assert disbursement.status == DisbursementStatus.APPROVED and disbursement.approved_by == world.admin

    # 5. An overspend of what is left of the allocation is refused beside the amount; nothing changes.
    page.goto(f"{url}/funds/allocations/{allocation.pk}/disburse/")
    page.get_by_label("支出金额").fill("8000")
    page.get_by_label("用途").fill("活动物料")
    page.get_by_role("button", name="提交").click()
    assert "超出可支出余额：仅余 ¥7,999.50" in page.get_by_test_id("error-amount").inner_text()
    screenshot("funds-overspend-refused")
    assert Disbursement.objects.count() == 1
    allocation.refresh_from_db()
    assert allocation.drawn == Decimal("12000.50")
    page.goto(f"{url}/funds/")
    screenshot("funds-overview")

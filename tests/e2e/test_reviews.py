"""In a real browser: staff configure a rubric, open a review, and a reviewer declares and scores."""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType

from projectize.orgs.models import OrgKind, Role
from projectize.reviews.models import AssignmentStatus, Review, Rubric, ScoreSheet
from tests.factories import make_org, make_root, user_with_role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CRITERIA = ["目标量化", "创新性", "可行性", "组织保障", "预期成效"]


def test_admin_configures_a_rubric_and_a_reviewer_scores(page, live_server, login, screenshot):
    town = make_root()
    subject = make_org(town, "春申居民区党总支", OrgKind.RESIDENTIAL)
    user_with_role(Role.TOWN_ADMIN, town, username="admin")
    expert = user_with_role(Role.REVIEWER, town, username="expert1", last_name="李", first_name="专家")

    login("admin")
    page.get_by_role("button", name="评审").click()
    page.get_by_role("link", name="评分标准").click()
    page.get_by_role("link", name="新建评分标准").click()
    page.get_by_label("名称").fill("2026 年三型项目申报评审标准")
    page.get_by_label("用途").select_option("application")
    page.get_by_label("汇总方式").select_option("trimmed")
    for row, name in enumerate(CRITERIA):
        page.locator(f"#id_criteria-{row}-name").fill(name)
        page.locator(f"#id_criteria-{row}-weight").fill("15" if row == 4 else "20")
    page.get_by_role("button", name="添加评分项").click()
    page.locator("#id_criteria-5-name").fill("群众参与")
    page.locator("#id_criteria-5-weight").fill("5")
    page.locator("#id_criteria-5-bands").fill("好=1，一般=0.6")
    page.locator("#id_criteria-4-weight").fill("10")  # 20 × 4 + 10 + 5 = 95
    assert page.locator("#weight-sum").inner_text() == "95 / 100"
    page.get_by_role("button", name="保存评分标准").click()

    error = page.get_by_test_id("error-total")
    assert "各项分值之和为 95，与满分 100 不一致" in error.inner_text()
    # The message stands right under the total field it is about.
    assert page.locator("#id_total + .form-text + [data-testid=error-total]").count() == 1
    screenshot("reviews-rubric-weights-error")
    assert not Rubric.objects.exists()

    page.locator("#id_criteria-4-weight").fill("15")
    page.get_by_role("button", name="保存评分标准").click()
    page.wait_for_url(f"{live_server.url}/reviews/rubrics/*/")
    rubric = Rubric.objects.get()
    assert [(c.name, c.weight, c.bands != []) for c in rubric.criteria.all()] == [
        *[(name, Decimal(20), False) for name in CRITERIA[:4]],
        ("预期成效", Decimal(15), False),
        ("群众参与", Decimal(5), True),
    ]
    assert page.get_by_test_id("criteria").locator("tbody tr").count() == 6
    screenshot("reviews-rubric-detail")

    subject_type = ContentType.objects.get_for_model(subject)
    page.goto(f"{live_server.url}/reviews/open/{subject_type.pk}/{subject.pk}/?purpose=application")
    page.get_by_label("评分标准").select_option(str(rubric.pk))
    page.get_by_label("李专家").check()
    page.get_by_role("button", name="发起评审并通知专家").click()
    page.wait_for_url(f"{live_server.url}/reviews/*/")
    review = Review.objects.get()
    assert page.get_by_test_id("review-status").inner_text() == "评审中"

    page.context.clear_cookies()
    login("expert1")
    page.get_by_role("link", name="我的评审").first.click()
    page.get_by_role("link", name="声明并评审").click()
    assert page.get_by_test_id("score-form").count() == 0
    page.get_by_label("本人承诺与该评审对象无利益冲突").check()
    page.get_by_role("button", name="承诺无利益冲突，查看材料").click()
    assert page.get_by_test_id("assignment-status").inner_text() == "待评分"
    for criterion, value in zip(rubric.criteria.all()[:5], ["18", "17", "16.5", "19", "14"], strict=True):
        page.get_by_label(f"{criterion.position}. {criterion.name}").fill(value)
    page.get_by_label("一般（3）").check()
    assert page.locator("#score-sum").inner_text() == "87.5"
    page.get_by_label("评审意见").fill("目标清楚，建议加强群众参与。")
    screenshot("reviews-scoring")
    page.get_by_role("button", name="提交评分").click()
    assert page.get_by_test_id("assignment-status").inner_text() == "已评分"
    assert "87.5" in page.get_by_test_id("my-sheet").inner_text()

    sheet = ScoreSheet.objects.get(assignment__review=review, assignment__reviewer=expert)
    assert sheet.total == Decimal("87.50")  # 18 + 17 + 16.5 + 19 + 14 + 0.6 × 5
    assert sheet.comment == "目标清楚，建议加强群众参与。"
    assert sheet.assignment.status == AssignmentStatus.SUBMITTED
    assert [s.band for s in sheet.scores.all()][-1] == "一般"

    page.context.clear_cookies()
    login("admin")
    page.goto(f"{live_server.url}/reviews/{review.pk}/")
    assert page.get_by_test_id("result-total").inner_text() == "87.50"
    assert page.get_by_test_id("result-grade").inner_text() == "良好"
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="结束评审").click()
    assert page.get_by_test_id("review-status").inner_text() == "已结束"
    screenshot("reviews-review-closed")
    review.refresh_from_db()
    assert review.status == "closed" and review.closed_at is not None

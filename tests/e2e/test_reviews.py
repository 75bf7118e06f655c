"""In a real browser: staff configure a rubric, open a review, and a reviewer declares and scores."""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType

from projectize.orgs.models import OrgKind, Role
from projectize.reviews.models import AssignmentStatus, Review, Rubric, ScoreSheet
from projectize.reviews.services import CriterionSpec, RubricSpec, assignment_accept, review_open
from tests.factories import make_org, make_root, user_with_role
from tests.reviews.factories import RANGES, STANDARD_GRADES, make_rubric, scored_review

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
    page.get_by_label("一般（系数 0.6）").check()
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
    page.locator("summary", has_text="结束评审").click()
    page.get_by_role("button", name="确认结束评审").click()
    assert page.get_by_test_id("review-status").inner_text() == "已结束"
    screenshot("reviews-review-closed")
    review.refresh_from_db()
    assert review.status == "closed" and review.closed_at is not None


PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}


def criterion_row(page, n):
    return page.locator("#criteria-table tbody tr").nth(n)


def test_a_committee_sets_coefficient_ranges_and_an_expert_scores_inside_a_band(page, live_server, login, screenshot):
    town = make_root()
    subject = make_org(town, "春申居民区党总支", OrgKind.RESIDENTIAL)
    user_with_role(Role.TOWN_ADMIN, town, username="admin")
    user_with_role(Role.LEADER, town, username="leader1", last_name="王", first_name="书记")
    expert = user_with_role(Role.REVIEWER, town, username="expert1", last_name="李", first_name="专家")

    login("admin")
    page.goto(f"{live_server.url}/reviews/rubrics/new/")
    page.get_by_label("名称").fill("项目初期评估标准")
    page.get_by_label("用途").select_option(label="项目初期评估")
    page.get_by_label("按整数评分").check()
    page.get_by_label("系数步长").fill("0.05")
    first, second = criterion_row(page, 0), criterion_row(page, 1)
    first.get_by_label("评分项").fill("项目基础")
    first.get_by_label("分值").fill("40")
    first.get_by_label("系数档次").click()
    first.get_by_label("系数档次").press_sequentially("好=1-0.85，较好=0.84-0.7，一般=0.69-0.5，差=0.3-0")
    second.get_by_label("评分项").fill("方案完备")
    second.get_by_label("分值").fill("60")
    screenshot("reviews-rubric-ranges-form")
    page.get_by_role("button", name="保存评分标准").click()
    page.wait_for_url(f"{live_server.url}/reviews/rubrics/*/")
    rubric = Rubric.objects.get()
    assert (rubric.whole_numbers, rubric.coefficient_step) == (True, Decimal("0.05"))
    assert [band.name for band in rubric.criteria.earliest("position").band_choices] == ["好", "较好", "一般", "差"]
    assert "好 1–0.85 / 较好 0.84–0.7 / 一般 0.69–0.5 / 差 0.3–0" in page.get_by_test_id("criteria").inner_text()

    subject_type = ContentType.objects.get_for_model(subject)
    page.goto(f"{live_server.url}/reviews/open/{subject_type.pk}/{subject.pk}/")
    page.get_by_label("评分标准").select_option(label="项目初期评估标准")
    picker = page.locator("form", has=page.get_by_label("李专家")).inner_text()
    assert picker.index("李专家（评审专家 · 新桥镇党委）") < picker.index("王书记（党委领导 · 新桥镇党委）")
    page.get_by_label("李专家").check()
    page.get_by_role("button", name="发起评审并通知专家").click()
    page.wait_for_url(f"{live_server.url}/reviews/*/")

    page.context.clear_cookies()
    login("expert1")
    page.get_by_role("link", name="我的评审").first.click()
    page.get_by_role("link", name="声明并评审").click()
    page.get_by_label("本人承诺与该评审对象无利益冲突").check()
    page.get_by_role("button", name="承诺无利益冲突，查看材料").click()

    # Picking 较好 bounds the coefficient and fills in the band's top; the expert types another value.
    page.get_by_label("较好（0.84–0.7）").check()
    coefficient = page.get_by_label("项目基础：系数")
    assert coefficient.input_value() == "0.84"
    coefficient.fill("")
    coefficient.press_sequentially("0.65")  # between 一般 and 较好: refused
    page.get_by_label("2. 方案完备（60 分）").fill("50")
    page.get_by_role("button", name="提交评分").click()
    error = page.get_by_test_id(f"error-coefficient_{rubric.criteria.earliest('position').pk}")
    assert error.inner_text() == (
        "系数 0.65 不在“较好 0.84–0.7”档内。本项的档次为：好 1–0.85、较好 0.84–0.7、一般 0.69–0.5、差 0.3–0。"
    )
    assert not ScoreSheet.objects.exists()
    screenshot("reviews-scoring-refused")

    page.get_by_label("较好（0.84–0.7）").check()
    coefficient = page.get_by_label("项目基础：系数")
    coefficient.fill("")
    coefficient.press_sequentially("0.75")
    assert page.locator("#score-sum").inner_text() == "80"
    screenshot("reviews-scoring-ranges")
    page.get_by_role("button", name="提交评分").click()
    assert page.get_by_test_id("assignment-status").inner_text() == "已评分"
    sheet = ScoreSheet.objects.get(assignment__reviewer=expert)
    score = sheet.scores.get(criterion__name="项目基础")
    assert (score.band, score.coefficient, score.value, sheet.total) == (
        "较好",
        Decimal("0.75"),
        Decimal(30),
        Decimal(80),
    )
    assert "0.75" in page.get_by_test_id("my-sheet").inner_text()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_rubric_form_and_the_scoring_page_look_right(page, live_server, login, screenshot, language):
    town = make_root()
    subject = make_org(town, "春申居民区党总支", OrgKind.RESIDENTIAL)
    admin = user_with_role(Role.TOWN_ADMIN, town, username="admin")
    expert = user_with_role(Role.REVIEWER, town, username="expert1", last_name="李", first_name="专家")
    spec = RubricSpec(
        name="项目初期评估标准",
        purpose="initial_assessment",
        criteria=[
            CriterionSpec("项目基础", Decimal(40), "前期调研与工作基础。", RANGES),
            CriterionSpec("方案完备", Decimal(60)),
        ],
        grades=STANDARD_GRADES,
        aggregation="trimmed_criterion",
        top_grade_quota=50,
        whole_numbers=True,
    )
    rubric = make_rubric(town, admin, spec)
    review = review_open(subject=subject, rubric=rubric, reviewers=[expert], actor=admin)
    assignment = assignment_accept(assignment=review.assignments.get(), actor=expert)
    # Two more subjects scored by three experts: the better one takes the only top-grade place.
    panel = [expert, *(user_with_role(Role.REVIEWER, town, username=f"expert{n}") for n in (2, 3))]
    best = make_org(town, "明华居民区党总支", OrgKind.RESIDENTIAL)
    scored_review(best, rubric, admin, {e: [c, "60"] for e, c in zip(panel, ["1", "0.95", "0.9"], strict=True)})
    runner_up = make_org(town, "新东居民区党总支", OrgKind.RESIDENTIAL)
    marks = {e: [c, m] for e, c, m in zip(panel, ["1", "0.9", "0.75"], ["58", "55", "60"], strict=True)}
    moved_down = scored_review(runner_up, rubric, admin, marks)
    for who, path, name in (
        ("admin", "/reviews/rubrics/new/", "rubric-form"),
        ("expert1", assignment.get_absolute_url(), "scoring"),
        ("admin", moved_down.get_absolute_url(), "review-result"),
    ):
        page.context.clear_cookies()
        login(who)
        if language == "en":
            page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
        for width, size in (("phone", PHONE), ("laptop", LAPTOP)):
            page.set_viewport_size(size)
            page.goto(f"{live_server.url}{path}")
            if name == "scoring":
                page.get_by_role("radio", name="较好").check()
            screenshot(f"reviews-{name}-{language}-{width}")

"""Illegal steps are refused with a clear message and change nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from projectize.core.models import ActivityLog
from projectize.orgs.models import Role
from projectize.reviews.models import Assignment, AssignmentStatus, Band, Criterion, Review, Rubric, Score, ScoreSheet
from projectize.reviews.services import (
    CriterionSpec,
    GradeSpec,
    ReviewError,
    assignment_accept,
    assignment_decline,
    format_bands,
    parse_bands,
    review_close,
    review_open,
    rubric_copy,
    rubric_update,
    sheet_submit,
    spec_of,
)
from tests.factories import make_root, user_with_role
from tests.reviews.factories import application_spec, make_rubric, scored_review, showcase_spec

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        Rubric.objects.count(),
        Criterion.objects.count(),
        Review.objects.count(),
        list(Assignment.objects.values_list("status", flat=True).order_by("id")),
        ScoreSheet.objects.count(),
        Score.objects.count(),
        ActivityLog.objects.count(),
    )


def test_a_rubric_whose_weights_do_not_add_up_is_refused(town, admin):
    before = snapshot()
    spec = application_spec(criteria=[CriterionSpec("目标量化", Decimal(20)), CriterionSpec("创新性", Decimal(75))])
    with pytest.raises(ValidationError) as refused:
        make_rubric(town, admin, spec)
    assert refused.value.message_dict["total"] == ["各项分值之和为 95，与满分 100 不一致，请调整分值或满分。"]
    assert snapshot() == before


def test_overlapping_or_out_of_range_grades_are_refused_beside_the_row(town, admin):
    grades = [GradeSpec("优秀", Decimal(90)), GradeSpec("良好", Decimal(90)), GradeSpec("合格", Decimal(120))]
    with pytest.raises(ValidationError) as refused:
        make_rubric(town, admin, application_spec(grades=grades))
    assert refused.value.message_dict == {
        "grades.1.minimum": ["与另一个等级的最低分相同，等级区间重叠。"],
        "grades.2.minimum": ["最低分应在 0 到满分之间。"],
    }
    with pytest.raises(ValidationError) as refused:
        make_rubric(town, admin, showcase_spec(grades=[GradeSpec("一等奖", Decimal(0))]))
    assert "top_grade_quota" in refused.value.message_dict
    assert Rubric.objects.count() == 0


def test_coefficient_bands_are_read_from_plain_text_and_checked():
    assert parse_bands("较好=0.84-0.7，好＝0.85～1；一般=0.6, 差=0.3 至 0") == (
        Band("好", Decimal("1"), Decimal("0.85")),
        Band("较好", Decimal("0.84"), Decimal("0.7")),
        Band("一般", Decimal("0.6"), Decimal("0.6")),
        Band("差", Decimal("0.3"), Decimal("0")),
    )
    assert format_bands(parse_bands("好=1-0.85，差=0")) == "好=1-0.85，差=0"
    assert parse_bands("  ") == ()
    for bad in ("好=1.2", "好", "=0.5", "好=abc", "好=1，好=0.5", "好=1-0.5-0.2", "好=-0.1"):
        with pytest.raises(ValidationError):
            parse_bands(bad)


def test_a_rubric_in_use_is_frozen_and_a_copy_can_be_edited(town, admin, experts, subjects):
    rubric = make_rubric(town, admin)
    review_open(subject=subjects[0], rubric=rubric, reviewers=experts[:1], actor=admin)
    spec = spec_of(rubric)
    spec.name = "改名"
    before = snapshot()
    with pytest.raises(ReviewError, match="已用于评审"):
        rubric_update(rubric=rubric, spec=spec, actor=admin)
    assert snapshot() == before
    copy = rubric_copy(rubric=rubric, actor=admin)
    assert copy.name == "三型项目申报评审标准（副本）"
    assert copy.copied_from == rubric
    assert [c.weight for c in copy.criteria.all()] == [Decimal(20)] * 5
    assert rubric_update(rubric=copy, spec=spec, actor=admin).name == "改名"


def test_only_town_admins_of_the_committee_manage_rubrics_and_reviews(town, admin, experts, subjects):
    secretary = user_with_role(Role.SECRETARY, subjects[0])
    with pytest.raises(PermissionDenied):
        make_rubric(town, secretary)
    rubric = make_rubric(town, admin)
    other_admin = user_with_role(Role.TOWN_ADMIN, make_root("泗泾镇党委"))
    before = snapshot()
    for intruder in (experts[0], other_admin):
        with pytest.raises(PermissionDenied):
            review_open(subject=subjects[0], rubric=rubric, reviewers=experts[:1], actor=intruder)
        with pytest.raises(PermissionDenied):
            rubric_copy(rubric=rubric, actor=intruder)
    assert snapshot() == before


def test_staff_cannot_review_another_towns_subject_with_their_own_rubric(town, admin, experts, subjects):
    other_town = make_root("泗泾镇党委")
    other_admin = user_with_role(Role.TOWN_ADMIN, other_town)
    their_rubric = make_rubric(other_town, other_admin)
    with pytest.raises(PermissionDenied):
        review_open(subject=subjects[0], rubric=their_rubric, reviewers=experts[:1], actor=other_admin)
    assert not Review.objects.exists()


@pytest.fixture
def open_review(town, admin, experts, subjects):
    review = review_open(subject=subjects[0], rubric=make_rubric(town, admin), reviewers=experts[:2], actor=admin)
    return review, Assignment.objects.get(review=review, reviewer=experts[0])


def scores_of(review, values):
    return {c.pk: v for c, v in zip(review.rubric.criteria.all(), values, strict=True)}


def test_a_reviewer_must_declare_no_conflict_before_scoring(experts, open_review):
    review, assignment = open_review
    before = snapshot()
    with pytest.raises(ReviewError, match="当前状态为“待声明”，不能执行“提交评分”"):
        sheet_submit(assignment=assignment, scores=scores_of(review, [20] * 5), actor=experts[0])
    assert snapshot() == before


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ([21, 20, 20, 20, 20], 0, "得分应在 0 到 20 之间，最多两位小数。"),
        ([20, -1, 20, 20, 20], 1, "得分应在 0 到 20 之间，最多两位小数。"),
        ([20, 20, "19.555", 20, 20], 2, "得分应在 0 到 20 之间，最多两位小数。"),
        ([20, 20, 20, None, 20], 3, "请为“组织保障”评分。"),
        ([20, 20, 20, 20, "很好"], 4, "请输入数字。"),
    ],
)
def test_scores_out_of_range_or_missing_are_refused(experts, open_review, values, field, message):
    review, assignment = open_review
    assignment_accept(assignment=assignment, actor=experts[0])
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        sheet_submit(assignment=assignment, scores=scores_of(review, values), actor=experts[0])
    criterion = list(review.rubric.criteria.all())[field]
    assert refused.value.message_dict == {f"score_{criterion.pk}": [message]}
    assert snapshot() == before


def test_a_band_not_in_the_criterion_is_refused(town, admin, experts, subjects):
    rubric = make_rubric(town, admin, showcase_spec())
    review = review_open(subject=subjects[0], rubric=rubric, reviewers=experts[:1], actor=admin)
    assignment = assignment_accept(assignment=review.assignments.get(), actor=experts[0])
    with pytest.raises(ValidationError, match="请从给定档次中选择"):
        sheet_submit(assignment=assignment, scores=scores_of(review, ["极好", "好", 5]), actor=experts[0])
    assert ScoreSheet.objects.count() == 0


def test_an_unassigned_reviewer_cannot_score_or_declare(experts, open_review):
    review, assignment = open_review
    assignment_accept(assignment=assignment, actor=experts[0])
    before = snapshot()
    for intruder in (experts[1], experts[4]):
        with pytest.raises(PermissionDenied):
            sheet_submit(assignment=assignment, scores=scores_of(review, [20] * 5), actor=intruder)
        with pytest.raises(PermissionDenied):
            assignment_decline(assignment=assignment, reason="x", actor=intruder)
    assert snapshot() == before


def test_scoring_after_the_review_closed_is_refused(admin, experts, open_review):
    review, assignment = open_review
    other = Assignment.objects.get(review=review, reviewer=experts[1])
    assignment_accept(assignment=other, actor=experts[1])
    sheet_submit(assignment=other, scores=scores_of(review, [15] * 5), actor=experts[1])
    assignment_accept(assignment=assignment, actor=experts[0])
    review_close(review=review, actor=admin)
    before = snapshot()
    with pytest.raises(ReviewError, match="评审已结束"):
        sheet_submit(assignment=assignment, scores=scores_of(review, [20] * 5), actor=experts[0])
    with pytest.raises(ReviewError, match="当前状态为“已结束”，不能执行“结束评审”"):
        review_close(review=review, actor=admin)
    assert snapshot() == before


def test_a_submitted_sheet_is_final(experts, open_review):
    review, assignment = open_review
    assignment_accept(assignment=assignment, actor=experts[0])
    sheet = sheet_submit(assignment=assignment, scores=scores_of(review, [18] * 5), comment="好", actor=experts[0])
    assert sheet.total == Decimal(90)
    before = snapshot()
    with pytest.raises(ReviewError, match="当前状态为“已评分”，不能执行“提交评分”"):
        sheet_submit(assignment=assignment, scores=scores_of(review, [20] * 5), actor=experts[0])
    with pytest.raises(ReviewError):
        assignment_decline(assignment=assignment, reason="改主意", actor=experts[0])
    assert snapshot() == before


def test_a_review_without_sheets_cannot_be_closed_and_a_declined_reviewer_is_recorded(admin, experts, open_review):
    review, assignment = open_review
    with pytest.raises(ValidationError):
        assignment_decline(assignment=assignment, reason="  ", actor=experts[0])
    assignment_decline(assignment=assignment, reason="与申报组织书记是亲属", actor=experts[0])
    assignment.refresh_from_db()
    assert (assignment.status, assignment.decline_reason) == (AssignmentStatus.DECLINED, "与申报组织书记是亲属")
    assert admin.notifications.filter(verb="review.declined").exists()
    with pytest.raises(ReviewError, match="还没有评审专家提交评分"):
        review_close(review=review, actor=admin)


def test_one_open_review_per_subject_and_rubric(town, admin, experts, subjects):
    rubric = make_rubric(town, admin)
    scored_review(subjects[0], rubric, admin, {experts[0]: [20] * 5})
    before = snapshot()
    with pytest.raises(ReviewError, match="已有进行中的同类评审"):
        review_open(subject=subjects[0], rubric=rubric, reviewers=experts[1:2], actor=admin)
    assert snapshot() == before

"""The rubric engine on differently shaped rubrics: totals, means, grades, ranking and quota."""

from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from projectize.core.selectors import activity_for
from projectize.reviews.models import Aggregation
from projectize.reviews.selectors import ranking, review_history, review_result, subject_result
from projectize.reviews.services import review_close, review_open, rubric_copy, rubric_update, spec_of
from tests.reviews.factories import make_rubric, scored_review, showcase_spec

pytestmark = pytest.mark.django_db


def test_it_averages_sheets_grades_the_total_and_means_each_criterion(town, admin, experts, subjects):
    rubric = make_rubric(town, admin)
    review = scored_review(
        subjects[0],
        rubric,
        admin,
        {
            experts[0]: [18, 19, 17, 18, 19],  # 91
            experts[1]: [16, 17, 15, 16, 17],  # 81
            experts[2]: ["17.5", 18, 16, 17, 18],  # 86.5
        },
    )
    result = review_result(review)
    assert result.sheets == 3
    assert result.total == Decimal("86.17")  # (91 + 81 + 86.5) / 3, rounded half up
    assert result.grade == "良好"
    assert not result.trimmed
    assert [(m.criterion.name, m.mean) for m in result.criteria] == [
        ("目标量化", Decimal("17.17")),
        ("创新性", Decimal("18.00")),
        ("可行性", Decimal("16.00")),
        ("组织保障", Decimal("17.00")),
        ("预期成效", Decimal("18.00")),
    ]
    assert subject_result(subjects[0], purpose="application") == result


def test_trimmed_mean_drops_one_highest_and_one_lowest_from_three_sheets_on(town, admin, experts, subjects):
    plain = make_rubric(town, admin)
    trimmed = rubric_copy(rubric=plain, actor=admin, name="去极值版")
    spec = spec_of(trimmed)
    spec.aggregation = Aggregation.TRIMMED
    trimmed = rubric_update(rubric=trimmed, spec=spec, actor=admin)
    sheets = {
        experts[0]: [20, 20, 20, 20, 20],  # 100
        experts[1]: [16, 16, 16, 16, 16],  # 80
        experts[2]: [17, 17, 17, 17, 17],  # 85
        experts[3]: [10, 10, 10, 10, 10],  # 50
    }
    assert review_result(scored_review(subjects[0], plain, admin, sheets)).total == Decimal("78.75")
    trimmed_result = review_result(scored_review(subjects[1], trimmed, admin, sheets))
    assert trimmed_result.total == Decimal("82.50")  # (80 + 85) / 2
    assert trimmed_result.grade == "良好"
    assert trimmed_result.trimmed
    two_sheets = {experts[0]: [20, 20, 20, 20, 20], experts[3]: [10, 10, 10, 10, 10]}
    with_two = review_result(scored_review(subjects[2], trimmed, admin, two_sheets))
    assert (with_two.total, with_two.trimmed) == (Decimal("75.00"), False)


def test_coefficient_bands_score_coefficient_times_weight(town, admin, experts, subjects):
    rubric = make_rubric(town, admin, showcase_spec())
    review = scored_review(subjects[0], rubric, admin, {experts[0]: ["较好", "一般", "9.5"]})
    result = review_result(review)
    assert result.total == Decimal("75.50")  # 0.8 × 60 + 0.6 × 30 + 9.5
    assert [m.mean for m in result.criteria] == [Decimal("48.00"), Decimal("18.00"), Decimal("9.50")]
    assert result.grade == "二等奖"


def test_ranking_caps_the_top_grade_and_states_who_fell(town, admin, experts, subjects):
    """Showcase rubric (coefficient bands, trimmed mean, at most 50% 一等奖) over five entries."""
    rubric = make_rubric(town, admin, showcase_spec())
    good, fair = ["好", "好", 10], ["较好", "较好", 8]
    scored_review(subjects[0], rubric, admin, {experts[0]: good, experts[1]: good})  # 100
    scored_review(subjects[1], rubric, admin, {experts[0]: ["好", "较好", 10]})  # 94
    scored_review(subjects[2], rubric, admin, {experts[0]: ["好", "较好", 9]})  # 93
    scored_review(subjects[3], rubric, admin, {experts[0]: fair})  # 80
    scored_review(subjects[4], rubric, admin, {experts[0]: ["好", "差", 1]})  # 70
    rows = ranking(rubric=rubric)
    assert [(r.review.subject_repr, r.rank, r.total, r.grade, r.grade_before_quota) for r in rows] == [
        ("第1居民区党总支", 1, Decimal("100.00"), "一等奖", ""),
        ("第2居民区党总支", 2, Decimal("94.00"), "一等奖", ""),
        ("第3居民区党总支", 3, Decimal("93.00"), "二等奖", "一等奖"),  # 50% of 5 is 2
        ("第4居民区党总支", 4, Decimal("80.00"), "二等奖", ""),
        ("第5居民区党总支", 5, Decimal("70.00"), "二等奖", ""),
    ]
    assert rows[2].quota_applied and not rows[1].quota_applied


def test_ties_at_the_quota_line_all_fall_and_unscored_subjects_come_last(town, admin, experts, subjects):
    rubric = make_rubric(town, admin, showcase_spec())
    scored_review(subjects[0], rubric, admin, {experts[0]: ["好", "好", 10]})  # 100
    scored_review(subjects[1], rubric, admin, {experts[0]: ["好", "较好", 10]})  # 94
    scored_review(subjects[2], rubric, admin, {experts[0]: ["好", "较好", 10]})  # 94
    scored_review(subjects[3], rubric, admin, {experts[0]: ["差", "差", 0]})  # 27
    review_open(subject=subjects[4], rubric=rubric, reviewers=[experts[1]], actor=admin)  # no sheet yet
    rows = ranking(rubric=rubric, subjects=subjects[:5])
    assert [(r.rank, r.grade) for r in rows] == [(1, "一等奖"), (2, "二等奖"), (2, "二等奖"), (4, "优秀奖"), (None, "")]
    assert rows[1].quota_applied and rows[2].quota_applied
    assert [r.review.subject_repr for r in ranking(rubric=rubric, subjects=[subjects[3]])] == ["第4居民区党总支"]


def test_the_ranking_uses_each_subjects_latest_review(town, admin, experts, subjects):
    rubric = make_rubric(town, admin)
    first = scored_review(subjects[0], rubric, admin, {experts[0]: [10, 10, 10, 10, 10]})
    review_close(review=first, actor=admin)
    scored_review(subjects[0], rubric, admin, {experts[1]: [19, 19, 19, 19, 19]})
    rows = ranking(rubric=rubric)
    assert [(r.total, r.grade) for r in rows] == [(Decimal("95.00"), "优秀")]


def test_review_steps_are_logged_on_the_review_and_show_in_its_history(town, admin, experts, subjects):
    rubric = make_rubric(town, admin)
    review = scored_review(subjects[0], rubric, admin, {experts[0]: [20, 20, 20, 20, 20]})
    review = review_close(review=review, actor=admin)
    assert [entry.action for entry in review_history(review)] == [
        "review.close",
        "assignment.submit",
        "assignment.declare",
        "review.open",
    ]
    # The subject's own timeline says a review was opened; who declared and scored is the review's record.
    assert [entry.action for entry in activity_for(subjects[0])] == ["review.open"]
    # Another review of the same subject, opened later, keeps its own history.
    later = review_open(subject=subjects[0], rubric=rubric, reviewers=[experts[1]], actor=admin)
    assert [entry.action for entry in review_history(later)] == ["review.open"]
    assert len(review_history(review)) == 4


def test_a_ranking_can_keep_to_one_years_cohort(town, admin, experts, subjects):
    rubric = make_rubric(town, admin)
    with time_machine.travel("2025-06-30 10:00 +0800", tick=False):
        scored_review(subjects[0], rubric, admin, {experts[0]: [20, 20, 20, 20, 20]})
    scored_review(subjects[1], rubric, admin, {experts[0]: [15, 15, 15, 15, 15]})
    this_year = [r.review.subject_repr for r in ranking(rubric=rubric, year=timezone.now().year)]
    assert this_year == ["第2居民区党总支"]
    assert [r.review.subject_repr for r in ranking(rubric=rubric, year=2025)] == ["第1居民区党总支"]
    assert len(ranking(rubric=rubric)) == 2

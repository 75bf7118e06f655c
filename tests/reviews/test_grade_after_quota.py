"""The grade after the top-grade quota is the grade everywhere, with its reason."""

from decimal import Decimal
from typing import Any

import pytest

from projectize.projects.models import ProjectStatus
from projectize.reviews.selectors import ReviewResult, ranking, review_result, subject_result, top_grade_places
from tests.core.test_list_exports import rows_of
from tests.factories import make_org
from tests.projects.factories import make_project
from tests.reviews.factories import application_spec, make_rubric, scored_review

pytestmark = pytest.mark.django_db

REASON = "受比例限制，由“优秀”降级"


def result_of(subject: Any) -> ReviewResult:
    result = subject_result(subject)
    assert result is not None
    return result


@pytest.fixture
def quota_projects(town, admin, experts):
    """Two applications both scoring 优秀 (95 and 92) on a standard with a 50% quota of 优秀."""
    rubric = make_rubric(town, admin, application_spec(top_grade_quota=50))
    org = make_org(town, "春申居民区党总支")
    first = make_project(org, status=ProjectStatus.UNDER_REVIEW, title="楼组议事")
    second = make_project(org, status=ProjectStatus.UNDER_REVIEW, title="四点半课堂")
    scored_review(first, rubric, admin, {experts[0]: [19, 19, 19, 19, 19]})
    scored_review(second, rubric, admin, {experts[0]: [19, 19, 18, 18, 18]})
    return first, second


def test_the_result_carries_the_grade_after_the_quota_and_the_grade_before(quota_projects):
    first, second = quota_projects
    top, moved = result_of(first), result_of(second)
    assert (top.grade, top.grade_before_quota) == ("优秀", "")
    assert (moved.total, moved.grade, moved.grade_before_quota) == (Decimal("92.00"), "良好", "优秀")


def test_the_review_page_and_the_project_page_show_the_quota_grade_and_its_reason(client, admin, quota_projects):
    _first, second = quota_projects
    client.force_login(admin)
    review = result_of(second).review
    page = client.get(f"/reviews/{review.pk}/").content.decode()
    assert 'data-testid="result-grade">良好<' in page and REASON in page
    # The project page reads its application and review in a panel after the page (issue 15).
    page = client.get(f"/projects/{second.pk}/application/").content.decode()
    assert "专家评分：92.00 分（良好）" in page and REASON in page


def test_the_ranking_export_gives_the_quota_grade_and_the_grade_before(client, admin, quota_projects):
    client.force_login(admin)
    review = result_of(quota_projects[1]).review
    rows = rows_of(client.get(f"/reviews/rubrics/{review.rubric_id}/ranking/", {"export": "xlsx"}))
    assert [row[1:6] for row in rows[1:]] == [
        ("楼组议事", 1, Decimal(95), "优秀", None),
        ("四点半课堂", 1, Decimal(92), "良好", "优秀"),
    ]


def test_fewer_subjects_than_the_quota_can_divide_round_down(town, admin, experts, subjects):
    assert [top_grade_places(n, 50) for n in (1, 2, 3, 4)] == [0, 1, 1, 2]
    assert top_grade_places(3, 34) == 1
    rubric = make_rubric(town, admin, application_spec(top_grade_quota=50))
    review = scored_review(subjects[0], rubric, admin, {experts[0]: [20, 20, 20, 20, 20]})
    # One subject alone would be 100% of the cohort: a 50% ceiling leaves it no place in the top grade.
    assert [(row.grade, row.grade_before_quota) for row in ranking(rubric=rubric)] == [("良好", "优秀")]
    assert review_result(review).grade == "良好"

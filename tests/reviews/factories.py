"""Rubrics and reviews for tests, made through the services like real ones."""

from decimal import Decimal
from typing import Any

from projectize.orgs.models import Organization
from projectize.reviews.models import Assignment, Band, Review, Rubric
from projectize.reviews.services import (
    CriterionSpec,
    GradeSpec,
    RubricSpec,
    assignment_accept,
    review_open,
    rubric_create,
    sheet_submit,
)

STANDARD_GRADES = [
    GradeSpec("优秀", Decimal(90)),
    GradeSpec("良好", Decimal(80)),
    GradeSpec("合格", Decimal(60)),
    GradeSpec("不合格", Decimal(0)),
]
# Bands with one fixed coefficient each (as rubrics made before bands were ranges).
COEFFICIENTS = tuple(
    Band(name, Decimal(value), Decimal(value))
    for name, value in (("好", "1"), ("较好", "0.8"), ("一般", "0.6"), ("差", "0.3"))
)
# Bands as committees write them: a range each, with a gap between 较好 and 一般.
RANGES = (
    Band("好", Decimal("1"), Decimal("0.85")),
    Band("较好", Decimal("0.84"), Decimal("0.7")),
    Band("一般", Decimal("0.6"), Decimal("0.5")),
    Band("差", Decimal("0.3"), Decimal("0")),
)


def application_spec(**changes: Any) -> RubricSpec:
    """Five criteria of 20 points each, plain mean, four grade bands."""
    spec = RubricSpec(
        name="三型项目申报评审标准",
        purpose="application",
        criteria=[
            CriterionSpec(name, Decimal(20)) for name in ("目标量化", "创新性", "可行性", "组织保障", "预期成效")
        ],
        grades=STANDARD_GRADES,
    )
    for key, value in changes.items():
        setattr(spec, key, value)
    return spec


def showcase_spec(**changes: Any) -> RubricSpec:
    """Two coefficient-band criteria (60 + 30) and one in points (10), trimmed mean, 50% quota."""
    spec = RubricSpec(
        name="年度展评评审标准",
        purpose="showcase",
        criteria=[
            CriterionSpec("实际成效", Decimal(60), bands=COEFFICIENTS),
            CriterionSpec("群众满意", Decimal(30), bands=COEFFICIENTS),
            CriterionSpec("现场展示", Decimal(10)),
        ],
        grades=[GradeSpec("一等奖", Decimal(85)), GradeSpec("二等奖", Decimal(70)), GradeSpec("优秀奖", Decimal(0))],
        aggregation="trimmed",
        top_grade_quota=50,
    )
    for key, value in changes.items():
        setattr(spec, key, value)
    return spec


def make_rubric(organization: Organization, actor: Any, spec: RubricSpec | None = None) -> Rubric:
    return rubric_create(organization=organization, spec=spec or application_spec(), actor=actor)


def scored_review(subject: Any, rubric: Rubric, actor: Any, sheets: dict[Any, list[Any]]) -> Review:
    """Open a review of `subject` and have each reviewer declare and submit the given scores in order."""
    review = review_open(subject=subject, rubric=rubric, reviewers=list(sheets), actor=actor)
    criteria = list(rubric.criteria.all())
    for reviewer, values in sheets.items():
        assignment = Assignment.objects.get(review=review, reviewer=reviewer)
        assignment_accept(assignment=assignment, actor=reviewer)
        sheet_submit(
            assignment=assignment,
            scores={c.pk: v for c, v in zip(criteria, values, strict=True)},
            comment="",
            actor=reviewer,
        )
    return review

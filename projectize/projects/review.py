"""The bridge between projects and the reviews engine: application review and acceptance scoring.

Reviews are opened and scored on the reviews app's own pages; this module answers the questions
projects ask of it: who is assigned, what the application scored, and what an acceptance totals.

An acceptance is scored in the four parts 一听、二看、三查、四问 recorded on the acceptance itself,
or, when the committee's acceptance standard has its own criteria (`free_acceptance_criteria`),
by the panel through a review of the acceptance on the reviews engine.
"""

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from projectize.core.workflow import TransitionError
from projectize.orgs.models import User
from projectize.projects.models import Acceptance, Project
from projectize.reviews import selectors as review_selectors
from projectize.reviews import services as review_services
from projectize.reviews.models import AssignmentStatus, Purpose, ReviewStatus, Rubric

# The acceptance rubric's criteria, in order, score these four parts.
ACCEPTANCE_PARTS = ("listen_score", "look_score", "check_score", "ask_score")


def application_result(project: Project) -> Any:
    """The latest application review's result (total, grade, sheets), or None."""
    return review_selectors.subject_result(project, purpose=Purpose.APPLICATION)


def application_reviews(project: Project) -> QuerySet[Any]:
    return review_selectors.reviews_of(project).filter(rubric__purpose=Purpose.APPLICATION)


def close_application_reviews(project: Project, actor: User) -> None:
    """A decision ends scoring: open reviews with sheets are closed, the others stay for the record."""
    for review in application_reviews(project).filter(status=ReviewStatus.OPEN):
        if review.assignments.filter(status=AssignmentStatus.SUBMITTED).exists():
            review_services.review_close(review=review, actor=actor)


def acceptance_rubric(acceptance: Acceptance) -> Rubric:
    rubric = review_selectors.rubric_for(organization=acceptance.running_organization, purpose=Purpose.ACCEPTANCE)
    if rubric is None or (not rubric.free_acceptance_criteria and rubric.criteria.count() != len(ACCEPTANCE_PARTS)):
        raise TransitionError(
            _("请先在“评分标准”中配置用途为“考评验收”的评分标准，按顺序设四项：一听、二看、三查、四问。")
        )
    return rubric


def acceptance_maxima(acceptance: Acceptance) -> dict[str, Decimal]:
    """The maximum score of each of the four parts (the weight of its criterion in the acceptance
    rubric); none when the panel scores the rubric's own criteria through a review."""
    rubric = acceptance_rubric(acceptance)
    if rubric.free_acceptance_criteria:
        return {}
    criteria = rubric.criteria.order_by("position", "id")
    return {part: criterion.weight for part, criterion in zip(ACCEPTANCE_PARTS, criteria, strict=True)}


def acceptance_result(acceptance: Acceptance) -> tuple[Decimal, str]:
    """The acceptance's total and grade: the four parts graded by the acceptance rubric, or the result
    of the panel's closed review when the rubric has its own criteria."""
    rubric = acceptance_rubric(acceptance)
    if rubric.free_acceptance_criteria:
        result = review_selectors.subject_result(acceptance, purpose=Purpose.ACCEPTANCE)
        if result is None or result.total is None:
            raise TransitionError(_("验收组成员尚未评分：请先在下方“评审”中发起评审，由验收组成员按评分标准打分。"))
        if not result.is_final:
            raise TransitionError(_("验收评分尚未结束：请先在“评审”中结束评审，再作结论。"))
        return result.total, result.grade
    parts = ((_("听"), "listen_score"), (_("看"), "look_score"), (_("查"), "check_score"), (_("问"), "ask_score"))
    missing = [str(label) for label, part in parts if getattr(acceptance, part) is None]
    if missing:
        raise TransitionError(_("请先记录以下环节的得分：%(parts)s。") % {"parts": "、".join(missing)})
    for part, maximum in acceptance_maxima(acceptance).items():
        if getattr(acceptance, part) > maximum:
            raise TransitionError(_("得分不能超过满分 %(max)s 分。") % {"max": maximum})
    total = sum((getattr(acceptance, part) for part in ACCEPTANCE_PARTS), Decimal(0))
    return total, rubric.grade_for(total)

"""The two processes of a review: the round itself (open until staff close it) and each reviewer's part.

A review is opened (`services.review_open`) with one assignment per reviewer. Each reviewer first
declares no conflict of interest, or declines with a reason; a reviewer who declared scores once, and
the sheet is final. Staff close the review once sheets are in; its result is then final.
"""

from django.utils.translation import gettext_lazy as _

from projectize.core.workflow import Transition, Workflow
from projectize.reviews import rules, selectors, steps
from projectize.reviews.models import Assignment, AssignmentStatus, Review, ReviewStatus

REVIEW = Workflow(
    Review,
    ReviewStatus,
    [
        Transition(
            "close",
            _("结束评审"),
            (ReviewStatus.OPEN,),
            ReviewStatus.CLOSED,
            rules.is_review_staff,
            guard=steps.closing_problem,
            effect=steps.on_close,
            confirm=_("结束后评审专家不能再评分，评审结果随之确定；此操作不能撤销。"),
            hint=_("全部专家评分后请结束评审，结果随之确定。"),
        ),
    ],
    scope=selectors.reviews_run_by,
    waiting={ReviewStatus.OPEN: _("等待评审专家承诺无利益冲突并评分。有专家谢绝时，可在下方增加评审专家。")},
)


def _scoring_page(assignment: Assignment) -> str:
    return assignment.get_absolute_url()


ASSIGNMENT = Workflow(
    Assignment,
    AssignmentStatus,
    [
        # The declaration is a form: the reviewer ticks the promise before seeing the subject.
        Transition(
            "declare",
            _("承诺无利益冲突"),
            (AssignmentStatus.PENDING,),
            AssignmentStatus.ACCEPTED,
            rules.is_the_reviewer,
            guard=steps.review_closed_problem,
            form_url=_scoring_page,
            hint=_("查看评审材料前，请先承诺与评审对象没有利益冲突；如有，请谢绝评审。"),
        ),
        Transition(
            "decline",
            _("谢绝评审"),
            (AssignmentStatus.PENDING, AssignmentStatus.ACCEPTED),
            AssignmentStatus.DECLINED,
            rules.is_the_reviewer,
            guard=steps.review_closed_problem,
            effect=steps.on_decline,
            requires_note=True,
            style="danger",
        ),
        # The scores come from the scoring form (`services.sheet_submit`).
        Transition(
            "submit",
            _("提交评分"),
            (AssignmentStatus.ACCEPTED,),
            AssignmentStatus.SUBMITTED,
            rules.is_the_reviewer,
            guard=steps.review_closed_problem,
            effect=steps.on_submit,
            form_url=_scoring_page,
            hint=_("请按评分标准逐项评分并提交；提交后不能修改。"),
        ),
    ],
    scope=selectors.assignments_of,
)

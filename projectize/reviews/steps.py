"""Guards and effects of the review steps (`workflows.REVIEW`, `workflows.ASSIGNMENT`)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from projectize.core.services import notify
from projectize.orgs.models import User
from projectize.reviews.models import Assignment, AssignmentStatus, Review, ScoreSheet

# --- A review ---------------------------------------------------------------------------------


def closing_problem(review: Review) -> str | None:
    if not ScoreSheet.objects.filter(assignment__review=review).exists():
        return _("还没有评审专家提交评分，不能结束评审。")
    return None


def on_close(review: Review, actor: User, note: str) -> None:
    """The result is final from now on; reviewers who have not scored can no longer do so."""
    review.closed_at = timezone.now()


# --- A reviewer's assignment ------------------------------------------------------------------


def review_closed_problem(assignment: Assignment) -> str | None:
    """Every step of a reviewer needs the review still open (its row is locked first by the services)."""
    if not assignment.review.is_open:
        return _("评审已结束，不能再操作。")
    return None


def on_decline(assignment: Assignment, actor: User, note: str) -> None:
    """The reason is kept on the assignment; whoever opened the review is told, so they can add another."""
    assignment.decline_reason = note.strip()
    review = assignment.review
    notify(
        recipients=[review.opened_by],
        verb="review.declined",
        params={"subject": review.subject_repr, "note": assignment.decline_reason},
        url=review.get_absolute_url(),
    )


def on_submit(assignment: Assignment, actor: User, note: str) -> None:
    """Whoever opened the review is told once the last reviewer still due has scored."""
    review = assignment.review
    still_due = review.assignments.exclude(pk=assignment.pk).filter(status__in=AssignmentStatus.group("todo"))
    if not still_due.exists():
        notify(
            recipients=[review.opened_by],
            verb="review.scored",
            params={"subject": review.subject_repr},
            url=review.get_absolute_url(),
        )

from django.urls import reverse
from django.utils.translation import gettext as _

from projectize.core.home import Card
from projectize.orgs.models import Role, User
from projectize.orgs.permissions import has_role
from projectize.reviews.models import ReviewStatus
from projectize.reviews.selectors import pending_count, reviews_run_by


def cards(user: User) -> list[Card]:
    result = []
    pending = pending_count(user)
    if pending:
        result.append(
            Card(
                title=_("待您评审"),
                count=pending,
                url=reverse("reviews:mine"),
                hint=_("先承诺无利益冲突，再评分"),
                tone="primary",
            )
        )
    if has_role(user, [Role.TOWN_ADMIN]):
        open_reviews = reviews_run_by(user).filter(status__in=ReviewStatus.group("open")).count()
        result.append(
            Card(
                title=_("进行中的评审"),
                count=open_reviews,
                url=reverse("reviews:review_list") + "?status=open",
                hint=_("评分齐后请结束评审"),
            )
        )
    return result

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from projectize.core.home import Card
from projectize.orgs.models import Role
from projectize.orgs.permissions import has_role, scope_q
from projectize.reviews.models import Review, ReviewStatus
from projectize.reviews.selectors import pending_count


def cards(user: Any) -> list[Card]:
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
        open_reviews = Review.objects.filter(scope_q(user, [Role.TOWN_ADMIN]), status=ReviewStatus.OPEN).count()
        result.append(
            Card(
                title=_("进行中的评审"),
                count=open_reviews,
                url=reverse("reviews:review_list") + "?status=open",
                hint=_("评分齐后请结束评审"),
            )
        )
    return result

from django.urls import reverse
from django.utils.translation import gettext as _

from projectize.core.home import Card
from projectize.needs.selectors import open_count
from projectize.orgs.models import User


def cards(user: User) -> list[Card]:
    if not user.has_perm("needs.manage_needs"):
        return []
    count = open_count(user)
    return [
        Card(
            title=_("待受理的需求"),
            count=count,
            url=reverse("needs:list") + "?status=received",
            hint=_("受理、合并或关联标的"),
            tone="primary" if count else "secondary",
        )
    ]

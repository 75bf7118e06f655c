from django.urls import reverse
from django.utils.translation import gettext as _

from projectize.claims.models import ClaimStatus
from projectize.claims.selectors import claims_of_contact
from projectize.core.home import Card
from projectize.orgs.models import User


def cards(user: User) -> list[Card]:
    if not user.has_perm("claims.claim_targets"):
        return []
    drafts = claims_of_contact(user).filter(status=ClaimStatus.DRAFT).count()
    return [
        Card(
            title=_("未提交的认领草稿"),
            count=drafts,
            url=reverse("claims:mine"),
            hint=_("截止前提交"),
            tone="danger" if drafts else "secondary",
        )
    ]

from django.urls import reverse
from django.utils.translation import gettext as _

from projectize.core.home import Card
from projectize.funds.selectors import awaiting_approval
from projectize.orgs.models import User


def cards(user: User) -> list[Card]:
    waiting = awaiting_approval(user).count()
    if not waiting:
        return []
    url = reverse("funds:disbursement_list") + "?status=requested"
    return [Card(_("待审批的经费支出"), waiting, url, hint=_("申请人不能审批自己的申请"), tone="primary")]

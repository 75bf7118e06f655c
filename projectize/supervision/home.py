from django.urls import reverse
from django.utils.translation import gettext as _

from projectize.core.home import Card
from projectize.orgs.models import Role, User
from projectize.orgs.permissions import ORG_ROLES, has_role, scope_q
from projectize.supervision.models import ItemStatus, LetterItem, LetterStatus
from projectize.supervision.selectors import letter_list


def cards(user: User) -> list[Card]:
    result = []
    url = reverse("supervision:letter_list")
    if has_role(user, (Role.TOWN_ADMIN,)):
        to_verify = LetterItem.objects.filter(
            scope_q(user, (Role.TOWN_ADMIN,), field="letter__issuer"),
            status__in=ItemStatus.group("to_verify"),
        ).count()
        if to_verify:
            result.append(Card(_("待核查的整改回复"), to_verify, url + "?status=acknowledged", tone="primary"))
        overdue = letter_list(user, overdue=True).count()
        if overdue:
            result.append(Card(_("逾期未办结的反馈函"), overdue, url + "?overdue=1", tone="danger"))
    if has_role(user, ORG_ROLES):
        waiting = letter_list(user).filter(
            scope_q(user, ORG_ROLES),
            status__in=LetterStatus.group("open"),
        )
        to_answer = waiting.count()
        if to_answer:
            result.append(
                Card(_("待签收或待回复的反馈函"), to_answer, url, hint=_("请逐条回复整改情况"), tone="danger")
            )
    return result

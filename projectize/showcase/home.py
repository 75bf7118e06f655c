"""Home-page cards: what the showcase asks of the user now."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from projectize.core.home import Card
from projectize.orgs.models import Role, User
from projectize.orgs.permissions import ORG_ROLES, has_role, scope_q
from projectize.showcase import selectors, services
from projectize.showcase.models import Showcase, ShowcaseStatus


def cards(user: User) -> list[Card]:
    found: list[Card] = []
    if has_role(user, [Role.TOWN_ADMIN]):
        flagged = (
            Showcase.objects.filter(scope_q(user, [Role.TOWN_ADMIN]), status__in=ShowcaseStatus.group("judging"))
            .annotate(
                n=Count(
                    "nominations__votes",
                    filter=Q(nominations__votes__flagged=True, nominations__votes__voided=False),
                )
            )
            .filter(n__gt=0)
            .first()
        )
        if flagged is not None:
            found.append(Card(_("疑似刷票待核查"), flagged.n, flagged.get_absolute_url(), str(flagged), tone="danger"))
    if has_role(user, ORG_ROLES):
        for showcase in selectors.showcases_visible_to(user).filter(status__in=ShowcaseStatus.group("nominating")):
            if showcase.nominating_open:
                count = services.nominable_projects(showcase, user).count()
                if count:
                    found.append(
                        Card(
                            _("可推荐参加七一展评的项目"),
                            count,
                            reverse("showcase:nominate", args=[showcase.pk]),
                            _("推荐截止 %(date)s") % {"date": showcase.nomination_closes},
                            tone="primary",
                        )
                    )
    return found

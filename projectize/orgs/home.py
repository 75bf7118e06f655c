from django.urls import reverse
from django.utils.translation import gettext as _

from projectize.core.home import Card
from projectize.orgs.models import NON_PARTY_KINDS, Organization, Role, User
from projectize.orgs.permissions import grant_paths, has_role
from projectize.orgs.selectors import administered_organizations, people_in_scope, tree_roots


def cards(user: User) -> list[Card]:
    result: list[Card] = []
    if has_role(user, [Role.TOWN_ADMIN]):
        in_scope = administered_organizations(user).filter(is_active=True)
        result.append(Card(_("管辖的组织"), in_scope.count(), reverse("orgs:tree"), _("在用的组织")))
        no_secretary = in_scope.filter(secretary__isnull=True).exclude(kind__in=NON_PARTY_KINDS).count()
        if no_secretary:
            result.append(
                Card(
                    _("未设书记的党组织"), no_secretary, reverse("orgs:list"), _("请授予角色并选定书记"), tone="primary"
                )
            )
        result.append(Card(_("用户"), people_in_scope(user), reverse("orgs:users"), _("在管辖组织任职的人")))
        return result
    # A secretary or staff member sees their own organization (the first, if they serve several).
    paths = grant_paths(user, [Role.SECRETARY, Role.ORG_STAFF])
    if paths:
        own = [org for org in tree_roots(user) if org.path in paths]
        for organization in own[:3]:
            below = Organization.objects.filter(path__startswith=organization.path, is_active=True).count() - 1
            result.append(Card(organization.name, below, organization.get_absolute_url(), _("本组织的下级组织数")))
    return result

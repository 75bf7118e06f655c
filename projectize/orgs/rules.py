import rules

from projectize.orgs.models import Role, User
from projectize.orgs.permissions import (
    OVERSEER_ROLES,
    covers,
    is_org_member,
    is_overseer,
    is_town_staff,
    is_town_staff_anywhere,
    role_anywhere,
)


@rules.predicate
def administers_user(actor: User, account: User | None) -> bool:
    """A town admin manages an account when every role it holds lies in the admin's subtrees (district
    staff: in what the district itself owns, short of its towns).

    An account with no role yet is anyone's to set up; a superuser is nobody's.
    """
    if account is None or not actor.is_authenticated or not actor.is_active:
        return False
    if actor.is_superuser:
        return True
    if account.is_superuser:
        return False
    if not is_town_staff_anywhere(actor):
        return False
    held = account.grants.values_list("organization__path", flat=True)
    return all(covers(actor, [Role.TOWN_ADMIN], path) for path in held)


rules.add_perm("orgs.view_organization", is_town_staff | is_org_member | is_overseer)
rules.add_perm("orgs.change_organization", is_town_staff)
rules.add_perm("orgs.manage_organizations", is_town_staff_anywhere)
rules.add_perm("orgs.manage_users", is_town_staff_anywhere)
rules.add_perm("orgs.change_user", is_town_staff_anywhere & administers_user)
rules.add_perm("core.view_activity_log", is_town_staff_anywhere)

# Menus: town admins manage organizations and people (above); secretaries and staff browse their subtrees,
# district staff and leaders every town below them.
rules.add_perm(
    "orgs.list_organizations", role_anywhere(Role.TOWN_ADMIN, Role.SECRETARY, Role.ORG_STAFF, *OVERSEER_ROLES)
)

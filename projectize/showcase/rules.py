"""Who may do what in the showcase."""

from typing import Any

import rules

from projectize.orgs.models import Role, User
from projectize.orgs.permissions import ORG_ROLES, grant_paths, has_role, holds_any_role, is_org_member, is_town_staff
from projectize.reviews.selectors import is_assigned_reviewer


@rules.predicate
def is_member_below(user: User, showcase: Any) -> bool:
    """Secretaries and staff of organizations under the host committee take part in its showcase."""
    if showcase is None:
        return False
    return any(path.startswith(showcase.organization.path) for path in grant_paths(user, ORG_ROLES))


@rules.predicate
def is_staff_of_showcase(user: User, obj: Any) -> bool:
    """Town admins over the host committee, for a showcase or anything of it (a nomination, an award)."""
    showcase = getattr(obj, "showcase", obj)
    return showcase is not None and has_role(user, [Role.TOWN_ADMIN], showcase.organization)


rules.add_perm("showcase.view_showcase", is_town_staff | is_member_below)
rules.add_perm("showcase.change_showcase", is_town_staff)


@rules.predicate
def is_juror(user: User, nomination: Any) -> bool:
    return is_assigned_reviewer(user, nomination)


rules.add_perm("showcase.view_nomination", is_staff_of_showcase | is_org_member | is_juror)
rules.add_perm("showcase.judge_nomination", is_staff_of_showcase)
rules.add_perm("showcase.view_award", is_staff_of_showcase | is_org_member)

# Menus: every member of staff finds the showcases.
rules.add_perm("showcase.list_showcases", holds_any_role)

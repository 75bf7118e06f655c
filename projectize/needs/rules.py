import rules

from projectize.needs.models import Need
from projectize.orgs.models import Role, User
from projectize.orgs.permissions import is_town_staff, is_town_staff_anywhere, role_anywhere, role_over

READER_ROLES = (Role.TOWN_ADMIN, Role.LEADER)


@rules.predicate
def is_reporter(user: User, need: Need) -> bool:
    """Who entered the need (e.g. a grassroots report) may follow it."""
    return need is not None and need.reported_by_id is not None and need.reported_by_id == user.pk


rules.add_perm("needs.manage_needs", is_town_staff_anywhere)
# Leaders read the needs their dashboard counts; handling them stays with the town staff.
rules.add_perm("needs.list_needs", role_anywhere(*READER_ROLES))
rules.add_perm("needs.view_need", role_over(*READER_ROLES) | is_reporter)
rules.add_perm("needs.change_need", is_town_staff)
# Residents' mobile numbers are shown in full only to the staff who handle their needs.
rules.add_perm("needs.view_contact", is_town_staff)

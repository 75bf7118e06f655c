import rules

from projectize.orgs.models import Role
from projectize.orgs.permissions import is_town_staff, is_town_staff_anywhere, role_anywhere, role_over

# Committee leaders follow the programme; town admins design and run it.
is_committee = role_over(Role.TOWN_ADMIN, Role.LEADER)

rules.add_perm("programmes.list_programmes", role_anywhere(Role.TOWN_ADMIN, Role.LEADER))
rules.add_perm("programmes.manage_programmes", is_town_staff_anywhere)
rules.add_perm("programmes.view_programme", is_committee)
rules.add_perm("programmes.change_programme", is_town_staff)
rules.add_perm("programmes.view_target", is_committee)
rules.add_perm("programmes.change_target", is_town_staff)

import rules

from projectize.orgs.models import Role
from projectize.orgs.permissions import role_anywhere, role_over

# Leaders and town staff look at the figures; secretaries see their own organization's dossier.
rules.add_perm("reports.view_dashboard", role_anywhere(Role.TOWN_ADMIN, Role.LEADER))
rules.add_perm("reports.view_organization_report", role_over(Role.TOWN_ADMIN, Role.LEADER, Role.SECRETARY))

# Menus: the figures for leaders and town staff (above); the reports index for those who may read a dossier.
rules.add_perm("reports.list_reports", role_anywhere(Role.TOWN_ADMIN, Role.LEADER, Role.SECRETARY))

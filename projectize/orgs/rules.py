import rules

from projectize.orgs.permissions import is_org_member, is_town_staff, is_town_staff_anywhere

rules.add_perm("orgs.view_organization", is_town_staff | is_org_member)
rules.add_perm("orgs.change_organization", is_town_staff)
rules.add_perm("orgs.manage_organizations", is_town_staff_anywhere)
rules.add_perm("orgs.manage_users", is_town_staff_anywhere)
rules.add_perm("core.view_activity_log", is_town_staff_anywhere)

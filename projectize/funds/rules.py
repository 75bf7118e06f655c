"""Who may see and move the funds' money."""

import rules

from projectize.orgs.models import Role
from projectize.orgs.permissions import role_anywhere, role_over

# Finance staff and the committee's administrators keep the ledgers; leaders read them.
is_fund_officer = role_over(Role.FINANCE, Role.TOWN_ADMIN)
is_fund_officer_anywhere = role_anywhere(Role.FINANCE, Role.TOWN_ADMIN)
is_fund_reader = role_over(Role.FINANCE, Role.TOWN_ADMIN, Role.LEADER)
is_fund_reader_anywhere = role_anywhere(Role.FINANCE, Role.TOWN_ADMIN, Role.LEADER)

rules.add_perm("funds.view_funds", is_fund_reader_anywhere)
rules.add_perm("funds.manage_funds", is_fund_officer_anywhere)
rules.add_perm("funds.view_budget", is_fund_reader)
rules.add_perm("funds.change_budget", is_fund_officer)
rules.add_perm("funds.view_allocation", is_fund_reader)
rules.add_perm("funds.view_disbursement", is_fund_reader)
rules.add_perm("funds.request_disbursement", is_fund_officer)

"""Who may install what: district staff add towns under their district."""

import rules

from projectize.orgs.models import Role
from projectize.orgs.permissions import role_anywhere

rules.add_perm("install.add_town", role_anywhere(Role.DISTRICT_STAFF, implied=False))

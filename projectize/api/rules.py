import rules

from projectize.orgs.models import Role
from projectize.orgs.permissions import role_anywhere

# Town staff make and revoke the integrations' tokens and webhooks, within their own subtrees.
rules.add_perm("api.manage_tokens", role_anywhere(Role.TOWN_ADMIN))

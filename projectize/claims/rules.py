from typing import Any

import rules

from projectize.orgs.models import Role
from projectize.orgs.permissions import has_role, role_anywhere
from projectize.reviews.selectors import is_assigned_reviewer


@rules.predicate
def is_claim_contact(user: Any, claim: Any) -> bool:
    return has_role(user, [Role.CLAIM_CONTACT], claim.organization)


@rules.predicate
def runs_target(user: Any, claim: Any) -> bool:
    """Town admins of the committee that published the claimed target."""
    return has_role(user, [Role.TOWN_ADMIN], claim.target.organization)


@rules.predicate
def leads_target(user: Any, claim: Any) -> bool:
    return has_role(user, [Role.LEADER], claim.target.organization)


@rules.predicate
def reviews_claim(user: Any, claim: Any) -> bool:
    """Reviewers see only the claims they are asked to score, once they declared no conflict."""
    return is_assigned_reviewer(user, claim)


rules.add_perm("claims.claim_targets", role_anywhere(Role.CLAIM_CONTACT))
rules.add_perm("claims.view_claim", is_claim_contact | runs_target | leads_target | reviews_claim)
rules.add_perm("claims.change_claim", is_claim_contact)
rules.add_perm("claims.decide_claim", runs_target)
rules.add_perm("claims.view_statistics", role_anywhere(Role.TOWN_ADMIN, Role.LEADER))
# The list of every claim on the programmes they follow (rows limited to their scope).
rules.add_perm("claims.list_claims", role_anywhere(Role.TOWN_ADMIN, Role.LEADER))

import rules

from projectize.claims.models import Claim
from projectize.orgs.models import Role, User
from projectize.orgs.permissions import has_role, is_town_staff, role_anywhere
from projectize.programmes.models import TargetStatus
from projectize.reviews.selectors import is_assigned_reviewer


@rules.predicate
def is_claim_contact(user: User, claim: Claim) -> bool:
    return has_role(user, [Role.CLAIM_CONTACT], claim.organization)


@rules.predicate
def runs_target(user: User, claim: Claim) -> bool:
    """Town admins of the committee that published the claimed target."""
    return has_role(user, [Role.TOWN_ADMIN], claim.target.organization)


@rules.predicate
def leads_target(user: User, claim: Claim) -> bool:
    return has_role(user, [Role.LEADER], claim.target.organization)


@rules.predicate
def reviews_claim(user: User, claim: Claim) -> bool:
    """Reviewers see only the claims they are asked to score, once they declared no conflict."""
    return is_assigned_reviewer(user, claim)


rules.add_perm("claims.claim_targets", role_anywhere(Role.CLAIM_CONTACT))
rules.add_perm("claims.view_claim", is_claim_contact | runs_target | leads_target | reviews_claim)
rules.add_perm("claims.change_claim", is_claim_contact)
rules.add_perm("claims.decide_claim", runs_target)
rules.add_perm("claims.view_statistics", role_anywhere(Role.TOWN_ADMIN, Role.LEADER))
# The list of every claim on the programmes they follow (rows limited to their scope).
rules.add_perm("claims.list_claims", role_anywhere(Role.TOWN_ADMIN, Role.LEADER))


# The committee's steps on a claim, in the phases of its target (claims/workflows.py).


@rules.predicate
def target_selecting(user: User, claim: Claim) -> bool:
    """The claim's target is in its comprehensive evaluation (综合考量)."""
    return bool(claim.target.status == TargetStatus.SELECTING)


@rules.predicate
def target_awarded(user: User, claim: Claim) -> bool:
    return bool(claim.target.status == TargetStatus.AWARDED)


@rules.predicate
def claiming_over(user: User, claim: Claim) -> bool:
    """Claiming on the claim's target has ended (its deadline passed, or it is no longer published)."""
    return not claim.target.is_open_for_claims


rules.add_perm("claims.answer_objection", is_town_staff)

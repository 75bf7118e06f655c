"""Who may do what in reviews. Other apps use `is_subject_reviewer` in their own view rules:

rules.add_perm("projects.view_project", is_org_member | is_town_staff | is_subject_reviewer)
"""

from typing import Any

import rules

from projectize.orgs.models import Role, User
from projectize.orgs.permissions import is_town_staff, is_town_staff_anywhere, role_anywhere
from projectize.reviews import selectors
from projectize.reviews.models import Assignment


@rules.predicate
def is_subject_reviewer(user: User, subject: Any = None) -> bool:
    """The user reviews the subject and has declared no conflict of interest."""
    return subject is not None and selectors.is_assigned_reviewer(user, subject)


@rules.predicate
def is_the_reviewer(user: User, assignment: Assignment | None = None) -> bool:
    """The reviewer the assignment asks: only they declare, decline and score it."""
    return assignment is not None and assignment.reviewer_id == getattr(user, "pk", None)


# A review belongs to its committee (the rubric's organization): that committee's town admins run it.
is_review_staff = is_town_staff

rules.add_perm("reviews.manage_rubrics", is_town_staff_anywhere)
# Rubrics and reviews belong to a committee organization: its town admins manage them.
rules.add_perm("reviews.change_rubric", is_town_staff)
rules.add_perm("reviews.view_review", is_town_staff)

# Menus: town staff run the review rounds; reviewers and leaders find the reviews assigned to them.
rules.add_perm("reviews.manage_reviews", is_town_staff_anywhere)
rules.add_perm("reviews.view_my_reviews", role_anywhere(Role.TOWN_ADMIN, Role.REVIEWER, Role.LEADER))

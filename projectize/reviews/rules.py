"""Who may do what in reviews. Other apps use `is_subject_reviewer` in their own view rules:

rules.add_perm("projects.view_project", is_org_member | is_town_staff | is_subject_reviewer)
"""

from typing import Any

import rules

from projectize.orgs.models import Role
from projectize.orgs.permissions import is_town_staff, is_town_staff_anywhere, role_anywhere
from projectize.reviews import selectors


@rules.predicate
def is_subject_reviewer(user: Any, subject: Any = None) -> bool:
    """The user reviews the subject and has declared no conflict of interest."""
    return subject is not None and selectors.is_assigned_reviewer(user, subject)


rules.add_perm("reviews.manage_rubrics", is_town_staff_anywhere)
# Rubrics and reviews belong to a committee organization: its town admins manage them.
rules.add_perm("reviews.change_rubric", is_town_staff)
rules.add_perm("reviews.view_review", is_town_staff)

# Menus: town staff run the review rounds; reviewers and leaders find the reviews assigned to them.
rules.add_perm("reviews.manage_reviews", is_town_staff_anywhere)
rules.add_perm("reviews.view_my_reviews", role_anywhere(Role.TOWN_ADMIN, Role.REVIEWER, Role.LEADER))

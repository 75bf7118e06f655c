"""Who may see and do what in supervision. The addressed organization alone answers a letter."""

from typing import Any

import rules

from projectize.orgs.models import Role, User
from projectize.orgs.permissions import ORG_ROLES, grant_paths, has_role, is_org_member, role_anywhere, role_over
from projectize.supervision.models import Letter, LetterItem, LetterStatus

# Staff supervise; leaders take part in activities and give guidance. District staff and leaders read as
# leaders (is_leader) in every town below them; what a town's leaders write asks for the role as granted
# (is_town_leader), so a district never writes in a town.
is_leader = role_over(Role.LEADER)
is_town_leader = role_over(Role.LEADER, implied=False)
is_supervisor_anywhere = role_anywhere(Role.TOWN_ADMIN)
is_supervision_reader_anywhere = role_anywhere(Role.TOWN_ADMIN, Role.LEADER)


@rules.predicate
def is_supervisor(user: User, obj: Any = None) -> bool:
    """Town admins over the object's organization; for a letter (or one of its items), over the committee
    that issued it: a district's letter to a town committee is the district's to write and verify."""
    letter = obj.letter if isinstance(obj, LetterItem) else obj
    if isinstance(letter, Letter):
        return has_role(user, [Role.TOWN_ADMIN], letter.issuer)
    return bool(role_over(Role.TOWN_ADMIN)(user, obj))


@rules.predicate
def is_addressee_staff(user: User, obj: Any) -> bool:
    """Town admins over the addressed organization read its letters once sent (a letter to their town
    committee from the district, or to an organization of their town)."""
    return has_role(user, [Role.TOWN_ADMIN], getattr(obj, "letter", obj).organization)


@rules.predicate
def is_letter_addressee(user: User, obj: Any) -> bool:
    """A secretary or staff member of the addressed organization itself, or the project's 责任人; when the
    letter is addressed to a town committee (from its district), the town's admins.

    Not a superuser and not an organization higher up: the letter asks this organization to answer.
    """
    letter = getattr(obj, "letter", obj)
    if letter.responsible_id is not None and letter.responsible_id == getattr(user, "pk", None):
        return True
    answering = [*ORG_ROLES, Role.TOWN_ADMIN] if letter.organization.is_committee else ORG_ROLES
    return letter.organization.path in grant_paths(user, answering)


@rules.predicate
def is_draft(user: User, obj: Any) -> bool:
    """A letter still being written: only staff see it (`selectors.letters_visible_to` says the same)."""
    return getattr(obj, "letter", obj).status in LetterStatus.group("editable")


@rules.predicate
def is_project_member(user: User, obj: Any) -> bool:
    return bool(is_org_member(user, obj.project))


rules.add_perm("supervision.view_supervision", is_supervision_reader_anywhere)
rules.add_perm("supervision.manage_supervision", is_supervisor_anywhere)
rules.add_perm("supervision.view_activity", is_supervisor | is_leader)
rules.add_perm("supervision.change_activity", is_supervisor | is_town_leader)
# Analyses and guidance on a project (the object is the project).
rules.add_perm("supervision.guide_project", is_supervisor | is_town_leader)
rules.add_perm("supervision.view_project_record", is_supervisor | is_leader | is_org_member)
rules.add_perm("supervision.view_analysis", is_supervisor | is_leader | is_project_member)
rules.add_perm("supervision.view_guidancenote", is_supervisor | is_leader | is_project_member)
rules.add_perm(
    "supervision.view_letter",
    is_supervisor | (~is_draft & (is_addressee_staff | is_leader | is_letter_addressee | is_org_member)),
)
rules.add_perm("supervision.change_letter", is_supervisor)
rules.add_perm(
    "supervision.view_letteritem",
    is_supervisor | (~is_draft & (is_addressee_staff | is_leader | is_letter_addressee | is_org_member)),
)
# An organization's warnings and accountability for the year (the object is the organization).
rules.add_perm("supervision.view_summary", is_supervisor | is_leader | is_org_member)
rules.add_perm("supervision.answer_letter", is_letter_addressee)

# Menus: town staff and leaders supervise (above); secretaries and staff follow the letters and warnings.
rules.add_perm("supervision.follow_supervision", role_anywhere(Role.TOWN_ADMIN, Role.LEADER, *ORG_ROLES))

# Town staff and leaders record supervision activities (in the committee they serve); district leaders do not.
rules.add_perm("supervision.add_activity", role_anywhere(Role.TOWN_ADMIN) | role_anywhere(Role.LEADER, implied=False))

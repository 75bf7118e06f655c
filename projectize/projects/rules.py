"""Who may see and do what with projects. Every page and workflow step asks these predicates."""

from typing import Any

import rules

from projectize.orgs.models import Role
from projectize.orgs.permissions import has_role, holds_any_role, is_town_staff, is_town_staff_anywhere, role_anywhere


def _project(obj: Any) -> Any:
    # Child objects (reports, acceptances, change requests) answer for their project.
    return getattr(obj, "project", obj)


@rules.predicate
def is_project_staff(user: Any, obj: Any) -> bool:
    return bool(is_town_staff(user, _project(obj)))


# A claiming unit's contact carries its unit's projects as a secretary does.
PROJECT_ORG_ROLES = (Role.SECRETARY, Role.ORG_STAFF, Role.CLAIM_CONTACT)
OVERSIGHT_ROLES = (Role.TOWN_ADMIN, Role.LEADER)


@rules.predicate
def oversees_project(user: Any, obj: Any) -> bool:
    """Town staff and leaders over the organization see its projects once applied for: a draft is the
    applicant's own until it is submitted."""
    project = _project(obj)
    return not project.is_draft and has_role(user, OVERSIGHT_ROLES, project.organization)


@rules.predicate
def is_project_org_member(user: Any, obj: Any) -> bool:
    return has_role(user, PROJECT_ORG_ROLES, _project(obj).organization)


@rules.predicate
def is_partner_member(user: Any, obj: Any) -> bool:
    project = _project(obj)
    return any(
        has_role(user, PROJECT_ORG_ROLES, partner.organization)
        for partner in project.partners.select_related("organization")
    )


@rules.predicate
def is_lead_leader(user: Any, obj: Any) -> bool:
    project = _project(obj)
    return project.lead_leader_id is not None and project.lead_leader_id == user.pk


@rules.predicate
def is_responsible_person(user: Any, obj: Any) -> bool:
    project = _project(obj)
    return project.responsible_id is not None and project.responsible_id == user.pk


@rules.predicate
def is_assigned_reviewer(user: Any, obj: Any) -> bool:
    from projectize.projects.selectors import reviewer_project_ids

    return _project(obj).pk in reviewer_project_ids(user)


@rules.predicate
def is_panel_member(user: Any, obj: Any) -> bool:
    """On the panel of this acceptance (or, for a project, of any of its acceptances)."""
    if hasattr(obj, "panel"):
        return bool(obj.panel.filter(pk=user.pk).exists())
    return bool(_project(obj).acceptances.filter(panel=user.pk).exists())


def acceptance_concluded_as(conclusion: str) -> Any:
    """The project's latest acceptance reached `conclusion`: the steps that follow from it are open."""

    @rules.predicate(name=f"acceptance_concluded_as_{conclusion}")
    def predicate(user: Any, obj: Any) -> bool:
        latest = _project(obj).acceptances.order_by("-id").first()
        return latest is not None and latest.conclusion == conclusion

    return predicate


can_view_project = (
    oversees_project
    | is_project_org_member
    | is_lead_leader
    | is_responsible_person
    | is_partner_member
    | is_assigned_reviewer
    | is_panel_member
)
# The people who carry the project: they apply, report and ask for changes.
is_project_owner = is_project_org_member | is_responsible_person

rules.add_perm("projects.view_project", can_view_project)
rules.add_perm("projects.change_project", is_project_staff | is_project_org_member)
rules.add_perm("projects.view_progressreport", can_view_project)
rules.add_perm("projects.view_acceptance", is_project_staff | is_project_org_member | is_lead_leader | is_panel_member)
rules.add_perm("projects.record_acceptance", is_project_staff | is_panel_member)
rules.add_perm("projects.manage_project", is_project_staff)
rules.add_perm("projects.manage_calls", is_town_staff_anywhere)

# Menus: every member of staff finds the projects; those who follow projects, the overdue list.
rules.add_perm("projects.list_projects", holds_any_role)
rules.add_perm("projects.view_overdue", role_anywhere(Role.TOWN_ADMIN, Role.LEADER, Role.SECRETARY, Role.ORG_STAFF))

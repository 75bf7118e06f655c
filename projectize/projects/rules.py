"""Who may see and do what with projects. Every page and workflow step asks these predicates."""

from typing import Any

import rules
from django.db.models import QuerySet

from projectize.orgs.models import Role, User
from projectize.orgs.permissions import has_role, holds_any_role, is_town_staff, is_town_staff_anywhere, role_anywhere
from projectize.projects.models import Project, ProjectStatus
from projectize.reviews import selectors as reviews
from projectize.reviews.models import Assignment


def _project(obj: Any) -> Any:
    # Child objects (reports, acceptances, change requests, milestones) answer for their project.
    return getattr(obj, "project", obj)


@rules.predicate
def is_project_staff(user: User, obj: Any) -> bool:
    """Town admins of the committee that runs the project (`Project.running_organization`): a district's call's
    projects are the district staff's, not the applicants' towns'."""
    project = _project(obj)
    return bool(is_town_staff(user, project.running_organization if isinstance(project, Project) else project))


# A claiming unit's contact carries its unit's projects as a secretary does.
PROJECT_ORG_ROLES = (Role.SECRETARY, Role.ORG_STAFF, Role.CLAIM_CONTACT)
OVERSIGHT_ROLES = (Role.TOWN_ADMIN, Role.LEADER)
# Those who write applications for their organization.
APPLICANT_ROLES = (Role.SECRETARY, Role.ORG_STAFF)


@rules.predicate
def oversees_project(user: User, obj: Any) -> bool:
    """Town staff and leaders over the organization see its projects once applied for: a draft is the
    applicant's own until it is submitted."""
    project = _project(obj)
    return not project.is_draft and has_role(user, OVERSIGHT_ROLES, project.organization)


@rules.predicate
def is_project_org_member(user: User, obj: Any) -> bool:
    return has_role(user, PROJECT_ORG_ROLES, _project(obj).organization)


@rules.predicate
def is_partner_member(user: User, obj: Any) -> bool:
    project = _project(obj)
    return any(
        has_role(user, PROJECT_ORG_ROLES, partner.organization)
        for partner in project.partners.select_related("organization")
    )


@rules.predicate
def is_lead_leader(user: User, obj: Any) -> bool:
    project = _project(obj)
    return project.lead_leader_id is not None and project.lead_leader_id == user.pk


@rules.predicate
def is_responsible_person(user: User, obj: Any) -> bool:
    project = _project(obj)
    return project.responsible_id is not None and project.responsible_id == user.pk


def assigned_project_ids(user: User) -> QuerySet[Assignment, int]:
    """Projects (ids, as a subquery) whose application the user reviews, once they declared no conflict."""
    return reviews.reviewed_subject_ids(user, Project)


def reviewer_project_ids(user: User) -> set[int]:
    """Projects whose application review the user is assigned to (through the reviews engine), once per request."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cache: set[int] | None = getattr(user, "_reviewer_project_ids", None)
    if cache is None:
        cache = set(assigned_project_ids(user))
        user._reviewer_project_ids = cache  # type: ignore[attr-defined]
    return cache


@rules.predicate
def is_assigned_reviewer(user: User, obj: Any) -> bool:
    return _project(obj).pk in reviewer_project_ids(user)


@rules.predicate
def is_panel_member(user: User, obj: Any) -> bool:
    """On the panel of this acceptance (or, for a project, of any of its acceptances)."""
    if hasattr(obj, "panel"):
        return bool(obj.panel.filter(pk=user.pk).exists())
    return bool(_project(obj).acceptances.filter(panel=user.pk).exists())


def acceptance_concluded_as(conclusion: str) -> Any:
    """The project's latest acceptance reached `conclusion`: the steps that follow from it are open."""

    @rules.predicate(name=f"acceptance_concluded_as_{conclusion}")
    def predicate(user: User, obj: Any) -> bool:
        latest = _project(obj).acceptances.order_by("-id").first()
        return latest is not None and latest.conclusion == conclusion

    return predicate


def project_in(group: str) -> Any:
    """The project (of a child object) is in a named group of its states, e.g. "running"."""
    states = ProjectStatus.group(group)

    @rules.predicate(name=f"project_in_{group}")
    def predicate(user: User, obj: Any) -> bool:
        return _project(obj).status in states

    return predicate


@rules.predicate
def may_apply(user: User) -> bool:
    """A secretary or liaison of an organization: they apply for its projects."""
    return has_role(user, APPLICANT_ROLES)


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
rules.add_perm("projects.apply", may_apply)
# What a project's page offers, by who the user is to the project and where it stands.
rules.add_perm("projects.assign_reviewers", is_project_staff & project_in("under_review"))
rules.add_perm("projects.fill_five_fixed", (is_project_owner | is_project_staff) & project_in("five_fixed"))
rules.add_perm("projects.set_report_schedule", is_project_staff & project_in("reporting"))
rules.add_perm("projects.assess_milestones", is_project_staff & project_in("under_way"))
rules.add_perm("projects.request_change", (is_project_owner | is_project_staff) & project_in("running"))

# Menus: every member of staff finds the projects; those who follow projects, the overdue list.
rules.add_perm("projects.list_projects", holds_any_role)
rules.add_perm("projects.view_overdue", role_anywhere(Role.TOWN_ADMIN, Role.LEADER, Role.SECRETARY, Role.ORG_STAFF))

"""Projects in any state, built straight in the database (the services are tested on their own)."""

import datetime
from decimal import Decimal
from typing import Any

from projectize.orgs.models import Organization, Role, User
from projectize.projects.models import (
    Call,
    CallStatus,
    Indicator,
    Milestone,
    Project,
    ProjectStatus,
    ProjectType,
    TeamMember,
)
from tests.factories import user_with_role


def phase_dates(phase: str) -> dict[str, datetime.date]:
    """Phase dates that put today 10 days into `phase` (application, review, implementation, evaluation)."""
    names = ("application", "review", "implementation", "evaluation")
    day = datetime.timedelta(days=1)
    # Each phase lasts 30 days; evaluation runs on for a year.
    start = datetime.date.today() - day * (10 + 30 * names.index(phase))
    dates = {}
    for n, name in enumerate(names):
        dates[f"{name}_start"] = start + day * 30 * n
        dates[f"{name}_end"] = start + day * (30 * n + 29)
    dates["evaluation_end"] = start + day * 400
    return dates


def make_call(organization: Organization, year: int = 2026, phase: str = "application", **fields: Any) -> Call:
    values = {"title": f"{year}年度三型党建项目申报", "status": CallStatus.OPEN, **phase_dates(phase), **fields}
    return Call.objects.create(organization=organization, year=year, **values)


def move_call(call: Call, phase: str) -> Call:
    """Shift an existing call's dates so that today lies in `phase`."""
    for name, value in phase_dates(phase).items():
        setattr(call, name, value)
    call.save()
    return call


def make_project(
    organization: Organization,
    call: Call | None = None,
    status: str = ProjectStatus.DRAFT,
    type: str = ProjectType.DEMONSTRATION,
    complete: bool = True,
    **fields: Any,
) -> Project:
    """A project with a complete application (indicators and milestones) unless `complete=False`."""
    today = datetime.date.today()
    values: dict[str, Any] = {
        "title": "楼组自治“微议事”",
        "year": call.year if call else today.year,
        "type": type,
        "status": status,
    }
    if complete:
        values.update(
            background="老旧小区停车矛盾突出。",
            approach="楼组议事会每月一次。",
            measures="书记牵头，党员包干。",
            expected_effects="矛盾化解率提高。",
            building_type="service",
            budget_requested=Decimal("20000.00"),
            start_date=today,
            end_date=today + datetime.timedelta(days=300),
        )
    values.update(fields)
    project = Project.objects.create(organization=organization, call=call, **values)
    if complete:
        Indicator.objects.create(project=project, name="议事会次数", unit="次", baseline=0, target=12)
        Milestone.objects.create(project=project, title="成立议事会", due_date=today + datetime.timedelta(days=60))
        Milestone.objects.create(project=project, title="形成议事规则", due_date=today + datetime.timedelta(days=200))
    return project


def fill_five_fixed(project: Project, leader: User | None = None) -> Project:
    root = Organization.objects.get(path=project.organization.path[: Organization.steplen])
    project.lead_leader = leader or user_with_role(Role.LEADER, root)
    project.responsible = user_with_role(Role.ORG_STAFF, project.organization)
    project.save()
    TeamMember.objects.create(project=project, name="李红梅", role="宣传")
    return project


def responsible(project: Project) -> User:
    """The project's responsible person (五定), who starts and runs it."""
    assert project.responsible is not None, "fill_five_fixed first"
    return project.responsible

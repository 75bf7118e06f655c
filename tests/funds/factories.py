"""A committee with fund officers, a project, and an initial assessment graded through the rubric engine."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from projectize.funds.services import budget_create, tier_save
from projectize.orgs.models import Organization, Role, User
from projectize.projects.models import Project, ProjectStatus
from projectize.reviews.services import review_close
from tests.factories import make_org, make_root, user_with_role
from tests.projects.factories import make_project
from tests.reviews.factories import application_spec, make_rubric, scored_review


@dataclass
class FundWorld:
    committee: Organization
    branch: Organization
    admin: User
    finance: User
    expert: User
    project: Project


def fund_world() -> FundWorld:
    committee = make_root()
    branch = make_org(committee, "春申居民区党总支")
    admin = user_with_role(Role.TOWN_ADMIN, committee, username="admin")
    finance = user_with_role(Role.FINANCE, committee, username="finance")
    expert = user_with_role(Role.REVIEWER, committee, username="expert")
    project = make_project(branch, status=ProjectStatus.IN_PROGRESS, code="2026-SF-001")
    return FundWorld(committee, branch, admin, finance, expert, project)


def assess(world: FundWorld, project: Project, score: int = 18) -> Any:
    """A finished initial assessment: five criteria × `score` points (18 → 90 → 优秀)."""
    rubric = make_rubric(
        world.committee, world.admin, application_spec(name="项目初期评估标准", purpose="initial_assessment")
    )
    review = scored_review(project, rubric, world.admin, {world.expert: [score] * 5})
    return review_close(review=review, actor=world.admin)


def funded(world: FundWorld, year: int = 2026, management: str = "100000", reward: str = "50000") -> None:
    budget_create(
        organization=world.committee, year=year, kind="management", amount=Decimal(management), actor=world.admin
    )
    budget_create(organization=world.committee, year=year, kind="reward", amount=Decimal(reward), actor=world.admin)
    tier_save(
        organization=world.committee, grade="优秀", name="重点支持", max_amount=Decimal("30000"), actor=world.admin
    )
    tier_save(
        organization=world.committee, grade="良好", name="一般支持", max_amount=Decimal("15000"), actor=world.admin
    )

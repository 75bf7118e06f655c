"""A city with one district and two towns, each with projects, needs, claims, funds, warnings and a showcase:
enough of everything for every figure of the dashboard to count something in each town."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from projectize.claims.models import ClaimStatus
from projectize.funds.models import Allocation, Budget, Disbursement, DisbursementStatus, FundKind
from projectize.needs.models import Channel, NeedStatus
from projectize.orgs.models import Organization, OrgKind, Role, User
from projectize.programmes.models import TargetStatus
from projectize.projects.models import Project, ProjectStatus, ProjectType
from projectize.showcase.models import Award, AwardLevelKind, Nomination
from projectize.supervision.models import ProjectWarning, ProjectWarningLevel, RuleKind, WarningRule
from tests.claims.helpers import make_claim
from tests.factories import make_org, user_with_role
from tests.needs.factories import make_category, make_need
from tests.programmes.factories import make_programme, make_section, make_target
from tests.projects.factories import make_call, make_project
from tests.showcase.factories import make_showcase


@dataclass
class Town:
    committee: Organization
    branch: Organization
    area: Organization
    unit: Organization
    admin: User
    projects: list[Project]


@dataclass
class City:
    city: Organization
    district: Organization
    towns: list[Town]
    leader: User

    @property
    def scopes(self) -> list[Organization]:
        a, b = self.towns
        return [self.city, self.district, a.committee, b.committee, a.branch, a.area, b.unit]


def build_town(district: Organization, name: str, size: int) -> Town:
    committee = make_org(district, f"{name}镇党委", OrgKind.COMMITTEE)
    branch = make_org(committee, f"{name}社区党总支", OrgKind.GENERAL_BRANCH)
    area = make_org(branch, f"{name}第一居民区党总支", OrgKind.RESIDENTIAL)
    unit = make_org(committee, f"{name}物业有限公司", OrgKind.ENTERPRISE)
    admin = user_with_role(Role.TOWN_ADMIN, committee)
    calls = [make_call(committee, year=2025), make_call(committee, year=2026)]
    statuses = [ProjectStatus.CONCLUDED, ProjectStatus.IN_PROGRESS, ProjectStatus.DRAFT, ProjectStatus.APPROVED]
    types = [ProjectType.INNOVATION, ProjectType.DEMONSTRATION, ProjectType.INSTITUTIONAL]
    projects = [
        make_project(
            (area, branch)[n % 2],
            call=calls[n % 2],
            status=statuses[n % len(statuses)],
            type=types[n % 3],
            complete=False,
            title=f"{name}项目{n}",
            problems_solved=n % 3,
            beneficiaries=10 * n,
            rules_established=n % 2,
            service_brands=1 if n % 4 == 0 else 0,
        )
        for n in range(size)
    ]
    traffic, welfare = make_category(committee, "交通管理"), make_category(committee, "社会福利")
    for n in range(size):
        make_need(
            committee,
            title=f"{name}需求{n}",
            category=(traffic, welfare)[n % 2],
            area=area if n % 3 else None,
            channel=(Channel.PORTAL, Channel.HOTLINE)[n % 2],
            status=(NeedStatus.RECEIVED, NeedStatus.ACCEPTED)[n % 2],
        )
    programme = make_programme(committee, year=2026, title=f"{name}品牌")
    section = make_section(programme)
    for n in range(3):
        target = make_target(
            section, status=TargetStatus.AWARDED if n == 0 else TargetStatus.PUBLISHED, title=f"标的{n}"
        )
        make_claim(target, unit, ClaimStatus.AWARDED if n == 0 else ClaimStatus.SUBMITTED)
    budget = Budget.objects.create(
        organization=committee, year=2026, kind=FundKind.MANAGEMENT, amount=Decimal("100000"), created_by=admin
    )
    to_project = Allocation.objects.create(
        budget=budget, project=projects[1], amount=Decimal("20000"), reason="支持", created_by=admin
    )
    Allocation.objects.create(budget=budget, person=admin, amount=Decimal("3000"), reason="奖励", created_by=admin)
    approver = user_with_role(Role.FINANCE, committee)
    Disbursement.objects.create(
        allocation=to_project,
        amount=Decimal("5000"),
        purpose="活动",
        paid_on=datetime.date(2026, 3, 1),
        status=DisbursementStatus.APPROVED,
        requested_by=admin,
        approved_by=approver,
        decided_at=timezone.now(),
    )
    rule = WarningRule.objects.create(
        organization=committee, kind=RuleKind.values[0], days=7, level=ProjectWarningLevel.values[0]
    )
    ProjectWarning.objects.create(
        rule=rule,
        level=rule.level,
        organization=branch,
        project=projects[1],
        cause=f"report:{projects[1].pk}",
        message="进展报告逾期",
        raised_on=datetime.date(2026, 5, 1),
    )
    showcase = make_showcase(admin, committee, year=2026)
    nomination = Nomination.objects.create(
        showcase=showcase, project=projects[0], organization=projects[0].organization, summary="简介", highlights="亮点"
    )
    Nomination.objects.filter(pk=nomination.pk).update(vote_count=7)
    Award.objects.create(
        nomination=nomination, level=AwardLevelKind.FIRST, amount=Decimal("5000"), certificate_no=f"{name}-1"
    )
    return Town(committee, branch, area, unit, admin, projects)


def build_city(sizes: tuple[int, int] = (8, 5)) -> City:
    city = Organization.objects.add_root({"name": "市委", "kind": OrgKind.PARTY_COMMITTEE})
    district = make_org(city, "松江区委", OrgKind.PARTY_COMMITTEE)
    towns = [build_town(district, name, size) for name, size in zip(("新桥", "泗泾"), sizes, strict=True)]
    return City(city, district, towns, user_with_role(Role.LEADER, city))


def add(town: Town, **fields: Any) -> Project:
    return make_project(town.area, complete=False, **fields)

"""Showcase test data: a committee with organizations, started projects and a showcase."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from projectize.orgs.models import Organization, Role, User
from projectize.projects.models import Project, ProjectStatus, ProjectType
from projectize.showcase import services
from projectize.showcase.models import AwardLevelKind, Showcase
from tests.factories import make_org, make_root, user_with_role


def make_project(organization: Organization, title: str, status: str = ProjectStatus.IN_PROGRESS) -> Project:
    return Project.objects.create(
        organization=organization, year=2013, type=ProjectType.DEMONSTRATION, title=title, status=status, progress=60
    )


def make_showcase(admin: User, committee: Organization, *, year: int = 2013, **fields: object) -> Showcase:
    now = timezone.now()
    today = timezone.localdate()
    values: dict[str, object] = {
        "organization": committee,
        "year": year,
        "title": f"{year} 年七一党建项目展评",
        "theme": "学习·服务·创新",
        "nomination_opens": today - datetime.timedelta(days=5),
        "nomination_closes": today + datetime.timedelta(days=5),
        "voting_opens": now - datetime.timedelta(hours=1),
        "voting_closes": now + datetime.timedelta(days=3),
        "jury_weight": 70,
        "public_weight": 30,
    }
    values.update(fields)
    levels = [
        (AwardLevelKind.FIRST, 1, Decimal("5000.00")),
        (AwardLevelKind.SECOND, 1, Decimal("3000.00")),
        (AwardLevelKind.THIRD, 1, Decimal("2000.00")),
        (AwardLevelKind.EXCELLENCE, 1, Decimal("0")),
    ]
    return services.showcase_save(actor=admin, showcase=Showcase(**values), levels=levels)


@dataclass
class World:
    committee: Organization
    admin: User
    orgs: list[Organization]
    secretaries: list[User]
    projects: list[Project]


def make_world(count: int = 5) -> World:
    committee = make_root()
    admin = user_with_role(Role.TOWN_ADMIN, committee, username="admin")
    orgs = [make_org(committee, f"第{n}居民区党总支") for n in range(1, count + 1)]
    secretaries = [user_with_role(Role.SECRETARY, org, username=f"sec{n}") for n, org in enumerate(orgs, start=1)]
    projects = [make_project(org, f"项目{n}") for n, org in enumerate(orgs, start=1)]
    return World(committee, admin, orgs, secretaries, projects)

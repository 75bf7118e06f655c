"""Showcase test data: a committee with organizations, started projects and a showcase."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from projectize.orgs.models import Organization, Role, User
from projectize.projects.models import Project, ProjectStatus, ProjectType
from projectize.reviews import services as review_services
from projectize.reviews.models import Assignment, Band, Purpose, Rubric
from projectize.reviews.services import CriterionSpec, GradeSpec, RubricSpec
from projectize.showcase import services
from projectize.showcase.models import AwardLevelKind, Nomination, Showcase
from tests.factories import make_org, make_root, user_with_role


def make_project(organization: Organization, title: str, status: str = ProjectStatus.IN_PROGRESS) -> Project:
    return Project.objects.create(
        organization=organization, year=2013, type=ProjectType.DEMONSTRATION, title=title, status=status, progress=60
    )


def make_rubric(admin: User, committee: Organization) -> Rubric:
    spec = RubricSpec(
        name="七一展评评分标准",
        purpose=Purpose.SHOWCASE,
        criteria=[
            CriterionSpec("创新性", Decimal(40)),
            CriterionSpec("实效性", Decimal(40)),
            CriterionSpec(
                "示范性",
                Decimal(20),
                bands=(Band("好", Decimal("1"), Decimal("1")), Band("一般", Decimal("0.5"), Decimal("0.5"))),
            ),
        ],
        grades=[GradeSpec("优秀", Decimal(90)), GradeSpec("良好", Decimal(75)), GradeSpec("合格", Decimal(0))],
    )
    return review_services.rubric_create(organization=committee, spec=spec, actor=admin)


def jury_scores(nomination: Nomination, juror: User, innovation: int, effect: int, band: str = "好") -> None:
    """One juror declares no conflict and scores one nomination."""
    assignment = Assignment.objects.get(review__subject_id=nomination.pk, reviewer=juror)
    review_services.assignment_accept(assignment=assignment, actor=juror)
    criteria = {c.name: c.pk for c in assignment.review.rubric.criteria.all()}
    review_services.sheet_submit(
        assignment=assignment,
        scores={criteria["创新性"]: innovation, criteria["实效性"]: effect, criteria["示范性"]: band},
        actor=juror,
    )


def make_showcase(
    admin: User, committee: Organization, *, year: int = 2013, jury: list[User] | None = None, **fields: object
) -> Showcase:
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
    if jury:
        values.setdefault("rubric", make_rubric(admin, committee))
    return services.showcase_save(actor=admin, showcase=Showcase(**values), levels=levels, jury=jury or [])


@dataclass
class World:
    committee: Organization
    admin: User
    orgs: list[Organization]
    secretaries: list[User]
    projects: list[Project]
    jurors: list[User]


def make_world(count: int = 5) -> World:
    committee = make_root()
    admin = user_with_role(Role.TOWN_ADMIN, committee, username="admin")
    orgs = [make_org(committee, f"第{n}居民区党总支") for n in range(1, count + 1)]
    secretaries = [user_with_role(Role.SECRETARY, org, username=f"sec{n}") for n, org in enumerate(orgs, start=1)]
    projects = [make_project(org, f"项目{n}") for n, org in enumerate(orgs, start=1)]
    jurors = [user_with_role(Role.REVIEWER, committee, username=f"expert{n}") for n in (1, 2)]
    return World(committee, admin, orgs, secretaries, projects, jurors)

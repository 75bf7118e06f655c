from decimal import Decimal

import pytest

from projectize.orgs.models import OrgKind, Role
from projectize.reviews.services import CriterionSpec, GradeSpec, RubricSpec, rubric_create
from tests.factories import make_org, make_root, user_with_role
from tests.projects.factories import make_call


@pytest.fixture
def town():
    return make_root()


@pytest.fixture
def branch(town):
    return make_org(town, "社区党建服务中心党总支", OrgKind.GENERAL_BRANCH)


@pytest.fixture
def org(branch):
    return make_org(branch, "春申居民区党总支")


@pytest.fixture
def other_org(branch):
    return make_org(branch, "明华居民区党总支")


@pytest.fixture
def admin(town):
    return user_with_role(Role.TOWN_ADMIN, town, username="admin")


@pytest.fixture
def leader(town):
    return user_with_role(Role.LEADER, town, username="leader1")


@pytest.fixture
def secretary(org):
    return user_with_role(Role.SECRETARY, org, username="sec01")


@pytest.fixture
def other_secretary(other_org):
    return user_with_role(Role.SECRETARY, other_org, username="sec02")


@pytest.fixture
def expert(town):
    return user_with_role(Role.REVIEWER, town, username="expert1")


@pytest.fixture
def call(town):
    return make_call(town, 2026, phase="application")


@pytest.fixture
def acceptance_rubric(town, admin):
    """一听、二看、三查、四问, 25 points each, graded 优秀/良好/合格/不合格."""
    spec = RubricSpec(
        name="考评验收标准",
        purpose="acceptance",
        criteria=[CriterionSpec(name, Decimal(25)) for name in ("一听", "二看", "三查", "四问")],
        grades=[
            GradeSpec("优秀", Decimal(90)),
            GradeSpec("良好", Decimal(80)),
            GradeSpec("合格", Decimal(60)),
            GradeSpec("不合格", Decimal(0)),
        ],
    )
    return rubric_create(organization=town, spec=spec, actor=admin)


@pytest.fixture
def application_rubric(town, admin):
    from tests.reviews.factories import application_spec

    return rubric_create(organization=town, spec=application_spec(), actor=admin)

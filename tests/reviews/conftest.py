import pytest

from projectize.orgs.models import OrgKind, Role
from tests.factories import UserFactory, make_org, make_root, user_with_role


@pytest.fixture
def town():
    return make_root()


@pytest.fixture
def admin(town):
    return user_with_role(Role.TOWN_ADMIN, town, username="admin")


@pytest.fixture
def experts(town):
    return [user_with_role(Role.REVIEWER, town, username=f"expert{n}") for n in range(1, 6)]


@pytest.fixture
def subjects(town):
    """Organizations stand in for any reviewable subject (projects, claims, nominations ...)."""
    return [make_org(town, f"第{n}居民区党总支", OrgKind.RESIDENTIAL) for n in range(1, 7)]


@pytest.fixture
def outsider():
    return UserFactory.create(username="outsider")

import pytest
from rest_framework.test import APIClient

from projectize.api import services
from projectize.orgs.models import OrgKind, Role
from tests.factories import make_org, make_root, user_with_role
from tests.needs.factories import make_category


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
def other_town():
    return make_root("泗泾镇党委")


@pytest.fixture
def admin(town):
    return user_with_role(Role.TOWN_ADMIN, town, username="admin")


@pytest.fixture
def category(town):
    return make_category(town)


def token_client(key: str, language: str = "") -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}", **({"HTTP_ACCEPT_LANGUAGE": language} if language else {}))
    return client


@pytest.fixture
def write_key(admin, town):
    return services.token_create(actor=admin, name="网格平台", organization=town, can_write=True)[1]


@pytest.fixture
def read_key(admin, town):
    return services.token_create(actor=admin, name="大屏", organization=town, can_write=False)[1]

import pytest

from projectize.orgs.models import OrgKind, Role
from tests.factories import PASSWORD, make_org, make_root, user_with_role


@pytest.fixture
def town(db):
    """新桥镇党委 > 社区党建服务中心党总支 > 新桥/春申居民区党总支, with people in each role."""
    root = make_root()
    branch = make_org(root, "社区党建服务中心党总支", OrgKind.GENERAL_BRANCH)
    xinqiao = make_org(branch, "新桥居民区党总支")
    chunshen = make_org(branch, "春申居民区党总支")
    return {
        "root": root,
        "branch": branch,
        "xinqiao": xinqiao,
        "chunshen": chunshen,
        "admin": user_with_role(Role.TOWN_ADMIN, root, username="admin", mobile="13800000001"),
        "secretary": user_with_role(Role.SECRETARY, xinqiao, username="sec01"),
        "staff": user_with_role(Role.ORG_STAFF, branch, username="staff01"),
    }


@pytest.fixture
def as_user(client):
    def log_in(user):
        assert client.login(username=user.username, password=PASSWORD)
        return client

    return log_in


def fresh(obj):
    obj.refresh_from_db()
    return obj

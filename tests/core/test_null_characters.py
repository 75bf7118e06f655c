"""A NUL character in an address's parameters is a bad request, on every page, never a server error
(PostgreSQL refuses it inside any text)."""

import pytest

from projectize.orgs.models import Role
from tests.factories import make_root, user_with_role

pytestmark = pytest.mark.django_db

SEARCHES = ["/orgs/list/", "/supervision/letters/", "/reviews/all/", "/public/cases/"]


@pytest.mark.parametrize("url", SEARCHES)
def test_a_search_with_a_null_character_is_a_bad_request(client, url):
    client.force_login(user_with_role(Role.TOWN_ADMIN, make_root()))
    assert client.get(url, {"q": "路灯"}).status_code == 200
    refused = client.get(url, {"q": "路灯\x00"})
    assert refused.status_code == 400
    assert "请求有误" in refused.content.decode()


def test_a_parameter_name_with_a_null_character_is_refused_too(client):
    assert client.get("/public/", {"x\x00": "1"}).status_code == 400

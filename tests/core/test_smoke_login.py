import pytest

from projectize.orgs.models import Role
from tests.factories import PASSWORD, make_root, user_with_role


@pytest.mark.django_db
def test_it_logs_in_with_mobile_and_shows_home(client):
    user_with_role(Role.TOWN_ADMIN, make_root(), username="wang", mobile="13912345678")
    response = client.post("/accounts/login/", {"username": "13912345678", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200

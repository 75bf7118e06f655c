"""The Django admin lists organizations, people and grants for inspection; changes go through the app."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["organization", "user", "rolegrant"])
def test_the_admin_lists_but_does_not_change(client, town, model):
    client.force_login(UserFactory.create(is_superuser=True, is_staff=True))
    assert client.get(f"/admin/orgs/{model}/").status_code == 200
    assert client.get(f"/admin/orgs/{model}/add/").status_code == 403
    pk = town["xinqiao"].pk if model == "organization" else town["admin"].pk
    if model == "rolegrant":
        pk = town["admin"].grants.get().pk
    assert client.post(f"/admin/orgs/{model}/{pk}/delete/", {"post": "yes"}).status_code == 403

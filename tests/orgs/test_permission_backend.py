"""Rights come from `rules`; Django's model permissions count for staff accounts (the admin) only, so the
pages of everyone else do not look them up."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_page_does_not_look_up_model_permissions(town, as_user):
    client = as_user(town["admin"])
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    assert not [query for query in captured if "auth_permission" in query["sql"]]


def test_a_staff_account_keeps_its_model_permissions_for_the_admin(client):
    view = Permission.objects.get(codename="view_organization")
    staff = UserFactory.create(is_staff=True)
    staff.user_permissions.add(view)
    client.force_login(staff)
    assert client.get("/admin/orgs/organization/").status_code == 200
    staff.is_staff = False
    staff.save()
    assert client.get("/admin/orgs/organization/").status_code == 302  # to the admin's sign-in


def test_a_model_permission_given_to_an_account_that_is_not_staff_grants_nothing():
    person = UserFactory.create()
    person.user_permissions.add(Permission.objects.get(codename="view_organization"))
    assert not person.has_perm("orgs.view_organization")
    assert person.get_all_permissions() == set()

"""The home page shows each role its own work."""

import pytest

from projectize.orgs.models import Organization, Role, User
from tests.factories import grant, make_org, make_root, user_with_role

pytestmark = pytest.mark.django_db


def card_titles(client):
    return {card.title: card for card in client.get("/").context["cards"]}


def test_a_town_admin_sees_organizations_in_scope_users_and_missing_secretaries(town, as_user):
    cards = card_titles(as_user(town["admin"]))
    assert cards["管辖的组织"].count == 4 and cards["管辖的组织"].url == "/orgs/"
    assert cards["未设书记的党组织"].count == 4
    assert cards["用户"].count == 3


def test_the_users_card_counts_people_with_a_role_in_the_admins_organizations(town, as_user):
    person = user_with_role(Role.SECRETARY, town["xinqiao"])
    grant(person, Role.ORG_STAFF, town["xinqiao"])  # one person, two roles
    user_with_role(Role.SECRETARY, make_org(make_root("泗泾镇党委"), "泗泾党支部"))  # another town's
    User.objects.create_user("no-role-yet")
    user_with_role(Role.SECRETARY, town["xinqiao"], is_active=False)
    assert card_titles(as_user(town["admin"]))["用户"].count == 4


def test_a_secretary_sees_their_own_organization(town, as_user):
    make_org(town["xinqiao"], "新桥第一党支部")
    cards = card_titles(as_user(town["secretary"]))
    assert "管辖的组织" not in cards
    own = cards["新桥居民区党总支"]
    assert own.count == 1 and own.url == f"/orgs/{town['xinqiao'].pk}/"


def test_archived_organizations_are_not_counted(town, as_user):
    Organization.objects.filter(pk=town["chunshen"].pk).update(is_active=False)
    assert card_titles(as_user(town["admin"]))["管辖的组织"].count == 3


def test_the_navigation_follows_the_role(town, as_user):
    admin_page = as_user(town["admin"]).get("/").content.decode()
    assert 'href="/orgs/users/"' in admin_page and 'href="/orgs/import/"' in admin_page
    secretary_page = as_user(town["secretary"]).get("/").content.decode()
    assert 'href="/orgs/"' in secretary_page and 'href="/orgs/users/"' not in secretary_page
    reviewer = user_with_role(Role.REVIEWER, town["root"])
    assert 'href="/orgs/"' not in as_user(reviewer).get("/").content.decode()

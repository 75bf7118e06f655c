"""The language switch in the navigation bar works on every page and returns to the same page."""

import pytest

from projectize.orgs.models import Role
from tests.factories import PASSWORD, make_root, user_with_role

pytestmark = pytest.mark.django_db

PAGES = {
    "/": "Workbench",
    "/orgs/": "Organization tree",
    "/orgs/list/": "Organization list",
    "/orgs/users/": "Users",
    "/orgs/users/add/": "New user",
    "/orgs/import/": "Import organizations from Excel",
    "/activity/": "Activity log",
    "/notifications/": "Notifications",
    "/accounts/password/": "Change password",
}


@pytest.mark.parametrize(("path", "english_title"), PAGES.items())
def test_switching_to_english_and_back_keeps_the_page(client, path, english_title):
    user_with_role(Role.TOWN_ADMIN, make_root(), username="admin")
    client.login(username="admin", password=PASSWORD)
    assert 'data-testid="lang-switch"' in client.get(path).content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": path})
    assert response.status_code == 302 and response["Location"] == path
    english = client.get(path).content.decode()
    assert '<html lang="en">' in english and f"<title>{english_title} · Party-Building Project Management" in english
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": path})
    assert '<html lang="zh-hans">' in client.get(path).content.decode()


def test_the_login_page_switches_too(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    page = client.get("/accounts/login/").content.decode()
    assert "Username or mobile" in page and "Log in to Party-Building Project Management" in page

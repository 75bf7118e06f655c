"""A superuser who signs in to a new installation sets the town up from the first page."""

import pytest

from projectize.needs.models import NeedCategory
from projectize.orgs.models import Organization, Role, RoleGrant, User

pytestmark = pytest.mark.django_db


def test_the_superuser_is_led_to_set_up_the_town_and_becomes_its_admin(client):
    superuser = User.objects.create_superuser("root", "root@example.gov.cn", "Long-enough-pass-1")
    client.force_login(superuser)
    page = client.get("/", follow=True)
    assert page.redirect_chain[-1][0] == "/orgs/setup/" and "建立本镇" in page.text

    empty = client.post("/orgs/setup/", {"name": ""})
    assert "这个字段是必填项" in empty.text or "必填" in empty.text
    assert not Organization.objects.exists()

    done = client.post("/orgs/setup/", {"name": "枫泾镇党委", "address": "枫泾镇"})
    root = Organization.objects.get(depth=1)
    assert done["Location"] == f"/orgs/{root.pk}/" and root.name == "枫泾镇党委"
    assert RoleGrant.objects.filter(user=superuser, role=Role.TOWN_ADMIN, organization=root).exists()
    assert NeedCategory.objects.filter(organization=root).exists()
    # Once set up, the page is gone and / is the workbench.
    assert client.get("/orgs/setup/").status_code == 404
    assert client.get("/").status_code == 200


def test_other_users_never_see_the_setup_page(client):
    client.force_login(User.objects.create_user("someone", password="Long-enough-pass-1"))
    assert client.get("/orgs/setup/").status_code == 404

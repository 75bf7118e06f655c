"""A real town reaches a usable installation without the demo."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from projectize.needs.models import NeedCategory
from projectize.orgs.models import Organization, OrgKind, Role, RoleGrant, User
from projectize.reviews.models import Rubric
from projectize.supervision.models import WarningRule

pytestmark = pytest.mark.django_db

ARGS = ["--name", "枫泾镇党委", "--admin-username", "fj-admin", "--admin-last-name", "陈", "--admin-first-name", "立"]


def test_setup_town_creates_the_committee_its_administrator_and_the_defaults(client):
    out = StringIO()
    call_command("setup_town", *ARGS, "--admin-email", "chen@fengjing.gov.cn", stdout=out)

    root = Organization.objects.get(depth=1)
    assert root.name == "枫泾镇党委" and root.kind == OrgKind.COMMITTEE
    admin = User.objects.get(username="fj-admin")
    assert RoleGrant.objects.filter(user=admin, role=Role.TOWN_ADMIN, organization=root).exists()
    assert NeedCategory.objects.filter(organization=root).count() >= 5
    assert Rubric.objects.filter(organization=root).exists()
    assert WarningRule.objects.filter(organization=root, is_active=True).exists()

    # The one-time password signs in, and the first page asks for a new password.
    password = re.search(r"choose your own: (\S+)", out.getvalue()).group(1)  # type: ignore[union-attr]
    response = client.post("/accounts/login/", {"username": "fj-admin", "password": password}, follow=True)
    assert response.redirect_chain and "password" in response.redirect_chain[-1][0]


def test_setup_town_refuses_to_run_twice():
    call_command("setup_town", *ARGS, stdout=StringIO())
    with pytest.raises(CommandError, match="already exists"):
        call_command("setup_town", *ARGS, stdout=StringIO())
    assert Organization.objects.filter(depth=1).count() == 1

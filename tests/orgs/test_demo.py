"""`manage.py load_demo` builds the Xinqiao demo and running it again changes nothing."""

import pytest
from django.core.management import call_command

from projectize.core.models import ActivityLog
from projectize.orgs.demo import CLAIMING_UNITS, DISTRICT_NAME, GRASSROOTS, SECOND_TOWN_NAME, TOWN_NAME
from projectize.orgs.models import NON_PARTY_KINDS, Organization, OrgKind, Role, RoleGrant, User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        "organizations": Organization.objects.count(),
        "users": User.objects.count(),
        "grants": RoleGrant.objects.count(),
        "log": ActivityLog.objects.count(),
    }


def test_load_demo_is_idempotent(client):
    call_command("load_demo", "--i-know-this-is-a-demo", verbosity=0)
    first = counts()
    call_command("load_demo", "--i-know-this-is-a-demo", verbosity=0)
    assert counts() == first
    call_command("load_demo", "--i-know-this-is-a-demo", "--if-empty", verbosity=0)
    assert counts() == first


def test_the_demo_has_the_papers_numbers_and_every_role(client):
    from projectize.orgs import demo

    demo.load()
    district = Organization.objects.get(name=DISTRICT_NAME, depth=1, kind=OrgKind.DISTRICT)
    root = Organization.objects.get(name=TOWN_NAME, depth=2, kind=OrgKind.COMMITTEE)
    second = Organization.objects.get(name=SECOND_TOWN_NAME, depth=2, kind=OrgKind.COMMITTEE)
    assert root.path.startswith(district.path) and second.path.startswith(district.path)
    assert (root.profile.brand_name, second.profile.code_prefix) == ("家新桥", "SJ")
    grassroots = [name for _branch, _kind, names in GRASSROOTS for name in names]
    assert len(grassroots) == 38
    assert Organization.objects.filter(name__in=grassroots, path__startswith=root.path).count() == 38
    assert len(set(CLAIMING_UNITS)) == 27
    assert Organization.objects.filter(name__in=CLAIMING_UNITS).count() == 27
    assert Organization.objects.filter(kind__in=NON_PARTY_KINDS).exists()
    assert Organization.objects.filter(kind=OrgKind.STATIONED).exists()
    assert {role for role, _label in Role.choices} == set(RoleGrant.objects.values_list("role", flat=True))
    # Written through the services, so the log tells how the demo came to be.
    assert ActivityLog.objects.filter(action="organization.create").count() == Organization.objects.count()
    assert client.login(username="admin", password=PASSWORD)
    assert client.login(username="13800000001", password=PASSWORD)

"""The subtree filter asks the database for as few path ranges as cover the user's reach, and the same rows."""

import pytest

from projectize.orgs.models import Organization, OrgKind, Role
from projectize.orgs.permissions import scope_q
from tests.factories import grant, make_org, make_root, user_with_role

pytestmark = pytest.mark.django_db


def ranges(query) -> int:
    return str(query).count("startswith")


def test_a_grant_inside_another_adds_no_range_and_no_row():
    town = make_root()
    branch = make_org(town, "社区党总支")
    make_org(branch, "春申居民区党总支")
    make_org(make_root("泗泾镇党委"), "泗泾居民区党总支")
    admin = user_with_role(Role.TOWN_ADMIN, town)
    grant(admin, Role.TOWN_ADMIN, branch)
    query = scope_q(admin, [Role.TOWN_ADMIN], field="")
    assert ranges(query) == 1
    assert set(Organization.objects.filter(query)) == set(Organization.objects.filter(path__startswith=town.path))


def test_district_staff_reading_their_district_need_no_second_range_for_what_the_district_owns():
    district = make_root("松江区委")
    district.kind = OrgKind.DISTRICT
    district.save()
    town = make_org(district, "新桥镇党委", OrgKind.COMMITTEE)
    make_org(town, "春申居民区党总支")
    office = make_org(district, "区委组织部机关党支部", OrgKind.BRANCH)
    staff = user_with_role(Role.DISTRICT_STAFF, district)
    # As town admins they reach what the district owns, short of its towns; reading as leaders, all of it.
    own = scope_q(staff, [Role.TOWN_ADMIN], field="")
    assert set(Organization.objects.filter(own)) == {district, office}
    reading = scope_q(staff, [Role.TOWN_ADMIN, Role.LEADER], field="")
    assert ranges(reading) == 1
    assert set(Organization.objects.filter(reading)) == set(Organization.objects.all())

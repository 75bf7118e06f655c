"""A district above its towns: whose committee an organization is, what district staff and leaders reach,
and which roles may be granted where."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from projectize.orgs import services
from projectize.orgs.models import CommitteeProfile, Organization, OrgKind, Role
from projectize.orgs.permissions import has_role, scope_q
from projectize.orgs.selectors import committee_of, committee_paths, committees_run_by, towns_below
from tests.factories import UserFactory, make_org, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def district():
    district = Organization.objects.add_root({"name": "松江区委", "kind": OrgKind.DISTRICT})
    xinqiao = make_org(district, "新桥镇党委", OrgKind.COMMITTEE)
    sijing = make_org(district, "泗泾镇党委", OrgKind.COMMITTEE)
    branch = make_org(xinqiao, "社区党建服务中心党总支", OrgKind.GENERAL_BRANCH)
    area = make_org(branch, "新桥居民区党总支")
    other_area = make_org(sijing, "泗泾居民区党总支")
    unit = make_org(district, "区交警支队党支部", OrgKind.STATIONED)
    found = {
        key: Organization.objects.get(pk=org.pk)
        for key, org in {
            "district": district,
            "xinqiao": xinqiao,
            "sijing": sijing,
            "branch": branch,
            "area": area,
            "other_area": other_area,
            "unit": unit,
        }.items()
    }
    found["staff"] = user_with_role(Role.DISTRICT_STAFF, found["district"])
    found["leader"] = user_with_role(Role.DISTRICT_LEADER, found["district"])
    found["xinqiao_admin"] = user_with_role(Role.TOWN_ADMIN, found["xinqiao"])
    return found


def test_an_organization_belongs_to_its_nearest_committee_not_to_the_root(district):
    assert committee_of(district["area"]) == district["xinqiao"]
    assert committee_of(district["xinqiao"]) == district["xinqiao"]
    assert committee_of(district["other_area"]) == district["sijing"]
    assert committee_of(district["unit"]) == district["district"]
    paths = committee_paths([district["area"].path, district["unit"].path, district["sijing"].path])
    assert paths == {
        district["area"].path: district["xinqiao"].path,
        district["unit"].path: district["district"].path,
        district["sijing"].path: district["sijing"].path,
    }
    assert list(towns_below(district["district"])) == [district["xinqiao"], district["sijing"]]


def test_district_staff_read_every_town_and_run_only_what_the_district_owns(district):
    staff = district["staff"]
    # Reading as a town's leaders read: every town below.
    assert has_role(staff, [Role.LEADER], district["area"])
    assert has_role(staff, [Role.LEADER], district["other_area"])
    # Acting as a town admin: the district itself and its own units, never a town.
    assert has_role(staff, [Role.TOWN_ADMIN], district["district"])
    assert has_role(staff, [Role.TOWN_ADMIN], district["unit"])
    assert not has_role(staff, [Role.TOWN_ADMIN], district["xinqiao"])
    assert not has_role(staff, [Role.TOWN_ADMIN], district["area"])
    administered = set(Organization.objects.filter(scope_q(staff, [Role.TOWN_ADMIN], field="")))
    assert administered == {district["district"], district["unit"]}
    assert list(committees_run_by(staff)) == [district["district"]]
    # A write that a town's leaders make is asked for as granted: district roles never make it.
    assert not has_role(staff, [Role.LEADER], district["area"], implied=False)


def test_district_leaders_read_every_town_and_run_nothing(district):
    leader = district["leader"]
    assert has_role(leader, [Role.LEADER], district["other_area"])
    assert not has_role(leader, [Role.TOWN_ADMIN])
    assert not has_role(leader, [Role.TOWN_ADMIN], district["district"])


def test_a_town_admin_reaches_neither_the_district_nor_the_other_town(district):
    admin = district["xinqiao_admin"]
    assert has_role(admin, [Role.TOWN_ADMIN], district["area"])
    assert not has_role(admin, [Role.TOWN_ADMIN], district["sijing"])
    assert not has_role(admin, [Role.LEADER], district["district"])
    assert list(committees_run_by(admin)) == [district["xinqiao"]]


def test_only_district_roles_and_reviewers_are_granted_at_a_district(district):
    staff, account = district["staff"], UserFactory.create()
    for role in (Role.TOWN_ADMIN, Role.LEADER, Role.SECRETARY, Role.FINANCE):
        with pytest.raises(ValidationError):
            services.role_grant(actor=staff, account=account, role=role, organization=district["district"])
    services.role_grant(actor=staff, account=account, role=Role.DISTRICT_LEADER, organization=district["district"])
    with pytest.raises(ValidationError):
        services.role_grant(
            actor=district["xinqiao_admin"], account=UserFactory.create(), role=Role.DISTRICT_STAFF,
            organization=district["xinqiao"],
        )  # fmt: skip


def test_committees_stack_in_order(district):
    admin = district["xinqiao_admin"]
    with pytest.raises(ValidationError):
        services.organization_create(actor=admin, parent=district["xinqiao"], name="镇里的党委", kind=OrgKind.COMMITTEE)
    with pytest.raises(ValidationError):
        services.organization_update(
            actor=admin, organization=district["area"], name=district["area"].name, kind=OrgKind.COMMITTEE,
            secretary=None, contact_name="", contact_phone="", address="",
        )  # fmt: skip


def test_district_staff_add_a_town_whose_admin_they_name_and_then_stay_out(district):
    staff = district["staff"]
    admin, _password = services.account_create_with_one_time_password(
        actor=staff, username="maogang_admin", last_name="王", first_name="芳"
    )
    town = services.town_add(actor=staff, district=district["district"], name="泖港镇党委", admin=admin)
    profile = services.town_profile_create(
        actor=staff, town=town, slug="maogang", brand_name="泖港之家", code_prefix="MG"
    )
    assert profile.organization == town and CommitteeProfile.objects.get(slug="maogang").code_prefix == "MG"
    assert has_role(admin, [Role.TOWN_ADMIN], town)
    staff = type(staff).objects.get(pk=staff.pk)  # a new request: the district's reach now stops at the new town
    assert not has_role(staff, [Role.TOWN_ADMIN], town)
    with pytest.raises(PermissionDenied):
        services.committee_profile_save(actor=staff, organization=town, slug="maogang2")
    services.committee_profile_save(
        actor=admin, organization=town, slug="maogang", brand_name="泖港家园", code_prefix="MG"
    )
    assert CommitteeProfile.objects.get(pk=town.pk).brand_name == "泖港家园"
    with pytest.raises(ValidationError):
        services.town_profile_create(actor=staff, town=district["sijing"], slug="sijing", code_prefix="MG")


def test_a_district_goes_above_towns_that_were_roots():
    first = Organization.objects.add_root({"name": "新桥镇党委", "kind": OrgKind.COMMITTEE})
    make_org(first, "新桥居民区党总支")
    second = Organization.objects.add_root({"name": "泗泾镇党委", "kind": OrgKind.COMMITTEE})
    admin = UserFactory.create()
    district = services.district_create(name="松江区委", address="", admin=admin, above=[first, second])
    assert [org.name for org in Organization.objects.get_root_nodes()] == ["松江区委"]
    assert sorted(o.name for o in Organization.objects.get_children(district)) == ["新桥镇党委", "泗泾镇党委"]
    area = Organization.objects.get(name="新桥居民区党总支")
    assert area.path.startswith(district.path) and area.depth == 3
    assert committee_of(area).name == "新桥镇党委"
    assert has_role(admin, [Role.LEADER], area) and not has_role(admin, [Role.TOWN_ADMIN], area)

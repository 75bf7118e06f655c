"""A district adds a town in minutes: `create_district` above a town that was alone, then `create_town` with
the district's defaults copied and the town's organizations imported from the Excel template."""

import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from projectize.core.models import ActivityLog
from projectize.funds.models import SupportTier
from projectize.needs.models import NeedCategory
from projectize.orgs.models import CommitteeProfile, Organization, OrgKind, Role, RoleGrant, User
from projectize.orgs.permissions import has_role
from projectize.reviews.models import Rubric
from projectize.supervision.models import WarningRule
from tests.orgs.excel import xlsx

pytestmark = pytest.mark.django_db

TOWN = [
    "--district", "松江区委", "--name", "泖港镇党委", "--slug", "maogang", "--brand", "泖港家园",
    "--code-prefix", "mg", "--admin-username", "mg-admin", "--admin-last-name", "王", "--admin-first-name", "芳",
]  # fmt: skip


@pytest.fixture
def district(tmp_path):
    """Xinqiao alone at the root, then a district set up above it with its own defaults."""
    call_command(
        "setup_town", "--name", "新桥镇党委", "--admin-username", "xq-admin", "--admin-last-name", "张",
        "--admin-first-name", "华", stdout=StringIO(),
    )  # fmt: skip
    out = StringIO()
    call_command(
        "create_district", "--name", "松江区委", "--admin-username", "sj-staff", "--admin-last-name", "李",
        "--admin-first-name", "明", "--above", "新桥镇党委", stdout=out,
    )  # fmt: skip
    district = Organization.objects.get(name="松江区委")
    staff = User.objects.get(username="sj-staff")
    # The district keeps its own defaults: one category fewer than the built-in ones, a tier of its own.
    from projectize.funds.services import tier_save
    from projectize.install.services import defaults_set

    defaults_set(committee=district, admin=staff)
    NeedCategory.objects.filter(organization=district, name="文化教育").update(is_active=False)
    tier_save(organization=district, grade="优秀", name="重点支持", max_amount=Decimal(40000), actor=staff)
    return {"district": district, "staff": staff, "out": out.getvalue()}


def organizations_file(path, rows):
    upload = xlsx(rows)
    target = path / "泖港镇组织.xlsx"
    target.write_bytes(upload.read())
    return str(target)


def test_a_district_goes_above_the_town_that_was_alone(district):
    xinqiao = Organization.objects.get(name="新桥镇党委")
    assert xinqiao.depth == 2 and xinqiao.path.startswith(district["district"].path)
    assert RoleGrant.objects.filter(
        user=district["staff"], role=Role.DISTRICT_STAFF, organization=district["district"]
    ).exists()
    assert "choose your own" in district["out"]


def test_create_town_copies_the_districts_defaults_and_imports_the_organizations(district, tmp_path):
    rows = [
        ["泖港社区党建服务中心党总支", "党总支", "泖港镇党委", "", "", ""],
        ["曹家浜居民区党总支", "居民区党组织", "泖港镇党委/泖港社区党建服务中心党总支", "赵敏", "021-57860001", ""],
        ["腰泾村党总支", "村党组织", "泖港镇党委", "", "", ""],
    ]
    out = StringIO()
    call_command("create_town", *TOWN, "--organizations", organizations_file(tmp_path, rows), stdout=out)

    town = Organization.objects.get(name="泖港镇党委")
    assert (town.kind, town.depth, town.path.startswith(district["district"].path)) == (OrgKind.COMMITTEE, 2, True)
    profile = CommitteeProfile.objects.get(organization=town)
    assert (profile.slug, profile.brand_name, profile.code_prefix) == ("maogang", "泖港家园", "MG")
    admin = User.objects.get(username="mg-admin")
    assert RoleGrant.objects.filter(user=admin, role=Role.TOWN_ADMIN, organization=town).exists()

    # The town's own copies of the district's defaults, editable by the town, the district's untouched.
    assert list(NeedCategory.objects.filter(organization=town).values_list("name", flat=True)) == list(
        NeedCategory.objects.filter(organization=district["district"], is_active=True).values_list("name", flat=True)
    )
    assert "文化教育" not in set(NeedCategory.objects.filter(organization=town).values_list("name", flat=True))
    copies = Rubric.objects.filter(organization=town)
    assert copies.count() == 5 and all(
        r.copied_from and r.copied_from.organization_id == district["district"].pk for r in copies
    )
    assert (
        WarningRule.objects.filter(organization=town).count()
        == WarningRule.objects.filter(organization=district["district"]).count()
    )
    assert SupportTier.objects.get(organization=town).max_amount == Decimal(40000)

    # The organizations, under the town, each logged as created by the town's admin.
    area = Organization.objects.get(name="曹家浜居民区党总支")
    assert area.path.startswith(town.path) and area.depth == 4 and area.contact_name == "赵敏"
    assert Organization.objects.filter(path__startswith=town.path).count() == 4
    assert ActivityLog.objects.filter(action="organization.create", organization=area, actor=admin).exists()

    # The one-time password signs the admin in; the district's staff keep no right inside the town.
    assert re.search(r"one-time password: (\S+)", out.getvalue())
    staff = User.objects.get(pk=district["staff"].pk)
    assert has_role(staff, [Role.LEADER], area) and not has_role(staff, [Role.TOWN_ADMIN], area)


def test_a_file_with_errors_creates_no_town(district, tmp_path):
    rows = [["曹家浜居民区党总支", "居民区党组织", "不存在的党总支", "", "", ""]]
    with pytest.raises(CommandError, match="row 2"):
        call_command("create_town", *TOWN, "--organizations", organizations_file(tmp_path, rows), stdout=StringIO())
    assert not Organization.objects.filter(name="泖港镇党委").exists()
    assert not User.objects.filter(username="mg-admin").exists()


def test_two_towns_cannot_share_a_code_prefix_or_an_address(district):
    call_command("create_town", *TOWN, stdout=StringIO())
    again = [*TOWN]
    again[again.index("泖港镇党委")] = "叶榭镇党委"
    again[again.index("mg-admin")] = "yx-admin"
    with pytest.raises(CommandError, match="Nothing was created"):
        call_command("create_town", *again, stdout=StringIO())
    assert not Organization.objects.filter(name="叶榭镇党委").exists()

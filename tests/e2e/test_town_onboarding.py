"""District staff add a town from their menu: they pick the district, type the town's name, brand and first
admin, upload the town's organizations in the Excel template; a file with a wrong row is refused row by row
and nothing is created; the corrected file creates the town with the district's defaults copied."""

import pytest
from playwright.sync_api import expect

from projectize.install.services import defaults_set
from projectize.needs.models import NeedCategory
from projectize.orgs.models import CommitteeProfile, Organization, OrgKind, Role, RoleGrant, User
from projectize.reviews.models import Rubric
from tests.factories import make_org, user_with_role
from tests.orgs.excel import xlsx

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def upload(page, rows):
    workbook = xlsx(rows, name="泖港镇组织.xlsx")
    page.get_by_label("组织 Excel 文件").set_input_files(
        files=[{"name": workbook.name, "mimeType": "application/octet-stream", "buffer": workbook.read()}]
    )


def type_into(page, label, text):
    field = page.get_by_label(label)
    field.click()
    field.press_sequentially(text)


def test_district_staff_add_a_town_with_its_organizations(page, live_server, login, screenshot):
    district = Organization.objects.add_root({"name": "松江区委", "kind": OrgKind.DISTRICT})
    make_org(district, "新桥镇党委", OrgKind.COMMITTEE)
    staff = user_with_role(Role.DISTRICT_STAFF, Organization.objects.get(pk=district.pk), username="district")
    defaults_set(committee=Organization.objects.get(pk=district.pk), admin=staff)
    login("district")

    page.get_by_role("button", name="组织与用户").or_(page.get_by_role("link", name="组织与用户")).click()
    page.get_by_test_id("nav-town-new").click()
    expect(page.get_by_role("heading", name="新建镇（街道）")).to_be_visible()
    page.get_by_label("所属区委").select_option(label="松江区委")
    type_into(page, "镇（街道）党委名称", "泖港镇党委")
    page.get_by_label("类型").select_option(label="镇党委")
    type_into(page, "网址标识", "maogang")
    type_into(page, "品牌名称", "泖港家园")
    type_into(page, "项目编号前缀", "MG")
    type_into(page, "管理员用户名", "mg-admin")
    type_into(page, "管理员姓", "王")
    type_into(page, "管理员名", "芳")
    type_into(page, "管理员手机号码", "13912340001")

    # A row whose parent does not exist: the rows are listed with their errors, nothing is created.
    upload(page, [["曹家浜居民区党总支", "居民区党组织", "不存在的党总支", "", "", ""]])
    page.get_by_test_id("create-town").click()
    expect(page.get_by_test_id("error-organizations")).to_contain_text("1 行有错误")
    expect(page.get_by_test_id("row-errors")).to_contain_text("找不到上级组织")
    screenshot("town-onboarding-refused")
    assert not Organization.objects.filter(name="泖港镇党委").exists()
    assert not User.objects.filter(username="mg-admin").exists()

    # The form keeps what was typed; the corrected file goes with it.
    expect(page.get_by_label("镇（街道）党委名称")).to_have_value("泖港镇党委")
    upload(
        page,
        [
            ["泖港社区党建服务中心党总支", "党总支", "泖港镇党委", "", "", ""],
            ["曹家浜居民区党总支", "居民区党组织", "泖港镇党委/泖港社区党建服务中心党总支", "赵敏", "", ""],
        ],
    )
    page.get_by_test_id("create-town").click()
    expect(page.get_by_test_id("town-created")).to_contain_text("已导入 2 个组织")
    expect(page.get_by_test_id("admin-username")).to_have_text("mg-admin")
    password = page.get_by_test_id("admin-password").inner_text()
    screenshot("town-onboarding-done")

    town = Organization.objects.get(name="泖港镇党委")
    assert town.path.startswith(district.path) and town.kind == OrgKind.COMMITTEE
    assert CommitteeProfile.objects.get(organization=town).code_prefix == "MG"
    admin = User.objects.get(username="mg-admin")
    assert admin.mobile == "13912340001" and admin.check_password(password)
    assert RoleGrant.objects.filter(user=admin, role=Role.TOWN_ADMIN, organization=town).exists()
    assert (
        NeedCategory.objects.filter(organization=town).count()
        == NeedCategory.objects.filter(organization=district).count()
    )
    assert Rubric.objects.filter(organization=town, copied_from__organization=district).count() == 5
    assert Organization.objects.get(name="曹家浜居民区党总支").path.startswith(town.path)

    # The password is shown once; the new town's tree opens read-only for the district's staff.
    page.reload()
    expect(page.get_by_role("heading", name="新建镇（街道）")).to_be_visible()
    page.goto(f"{live_server.url}/orgs/{town.pk}/")
    expect(page.get_by_role("heading", name="泖港镇党委")).to_be_visible()
    expect(page.get_by_role("link", name="修改")).to_have_count(0)

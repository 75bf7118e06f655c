"""Creating, editing, moving, archiving organizations: rights, tree rules, and the log."""

import pytest

from projectize.core.activity import changes
from projectize.core.models import ActivityLog
from projectize.orgs.models import Organization, OrgKind, Role
from tests.factories import make_org, user_with_role
from tests.orgs.conftest import fresh

pytestmark = pytest.mark.django_db

NEW = {
    "name": "新桥第二居民区党支部",
    "kind": OrgKind.RESIDENTIAL,
    "contact_name": "王海燕",
    "contact_phone": "021-57681234",
    "address": "示例路 2 号",
}


def test_an_admin_creates_an_organization_under_a_chosen_parent(town, as_user):
    response = as_user(town["admin"]).post(f"/orgs/{town['branch'].pk}/add/", NEW)
    created = Organization.objects.get(name=NEW["name"])
    assert response.status_code == 302 and response["Location"] == f"/orgs/{created.pk}/"
    assert Organization.objects.get_parent(created) == town["branch"]
    assert created.contact_phone == "021-57681234"
    entry = ActivityLog.objects.get(action="organization.create", target_id=str(created.pk))
    assert entry.actor == town["admin"] and entry.organization == created
    assert entry.after["parent"] == "新桥镇党委/社区党建服务中心党总支"


def test_bad_input_is_shown_beside_the_field_and_nothing_is_saved(town, as_user):
    client = as_user(town["admin"])
    response = client.post(f"/orgs/{town['branch'].pk}/add/", {**NEW, "name": "", "contact_phone": "电话"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "contact_phone"}
    assert 'data-testid="error-contact_phone"' in response.content.decode()
    sibling = client.post(f"/orgs/{town['branch'].pk}/add/", {**NEW, "name": "春申居民区党总支"})
    assert "下已有名为“春申居民区党总支”的组织" in sibling.context["form"].errors["name"][0]
    slash = client.post(f"/orgs/{town['branch'].pk}/add/", {**NEW, "name": "甲/乙"})
    assert "name" in slash.context["form"].errors
    assert Organization.objects.count() == 4 and not ActivityLog.objects.exists()


def test_a_secretary_cannot_create_edit_move_or_archive(town, as_user):
    client = as_user(town["secretary"])
    own, other = town["xinqiao"], town["chunshen"]
    # Their own organization: visible, so refused with 403; another's: invisible, so 404.
    assert client.post(f"/orgs/{own.pk}/add/", NEW).status_code == 403
    assert client.post(f"/orgs/{own.pk}/edit/", {**NEW, "name": "改名"}).status_code == 403
    assert client.post(f"/orgs/{other.pk}/edit/", {**NEW, "name": "改名"}).status_code == 404
    assert client.get(f"/orgs/{other.pk}/edit/").status_code == 404
    assert client.post(f"/orgs/{own.pk}/move/", {"new_parent": "新桥镇党委"}).status_code == 403
    assert client.post(f"/orgs/{other.pk}/archive/").status_code == 404
    assert client.post(f"/orgs/{own.pk}/archive/").status_code == 403
    assert fresh(other).name == "春申居民区党总支" and fresh(own).is_active
    assert Organization.objects.count() == 4 and not ActivityLog.objects.exists()


def test_an_admin_of_a_branch_cannot_change_outside_it(town, as_user):
    other_branch = make_org(town["root"], "农村党建党总支", OrgKind.GENERAL_BRANCH)
    branch_admin = user_with_role(Role.TOWN_ADMIN, town["branch"])
    client = as_user(branch_admin)
    assert client.post(f"/orgs/{other_branch.pk}/add/", NEW).status_code == 404
    response = client.post(f"/orgs/{town['xinqiao'].pk}/move/", {"new_parent": "农村党建党总支"})
    assert "不在您可选的范围内" in response.context["form"].errors["new_parent"][0]


def test_an_admin_edits_an_organization_and_the_log_keeps_before_and_after(town, as_user):
    client = as_user(town["admin"])
    data = {**NEW, "name": "新桥居民区党委", "secretary": town["secretary"].pk}
    assert client.post(f"/orgs/{town['xinqiao'].pk}/edit/", data).status_code == 302
    org = fresh(town["xinqiao"])
    assert org.name == "新桥居民区党委" and org.secretary == town["secretary"]
    entry = ActivityLog.objects.get(action="organization.update")
    assert entry.before["name"] == "新桥居民区党总支" and entry.after["name"] == "新桥居民区党委"
    assert entry.before["secretary"] is None and entry.after["secretary"] == str(town["secretary"])
    assert "kind" not in entry.after  # unchanged fields are not logged
    client.post(f"/orgs/{town['xinqiao'].pk}/edit/", {**data, "kind": OrgKind.VILLAGE})
    kind_change = ActivityLog.objects.filter(action="organization.update").first()
    assert kind_change is not None
    assert changes(kind_change) == [("类型", "居民区党组织", "村党组织")]


def test_the_secretary_must_hold_the_secretary_role_there(town, as_user):
    response = as_user(town["admin"]).post(
        f"/orgs/{town['chunshen'].pk}/edit/", {**NEW, "secretary": town["secretary"].pk}
    )
    assert "secretary" in response.context["form"].errors
    assert fresh(town["chunshen"]).secretary is None


def test_move_takes_the_subtree_along(town, as_user):
    rural = make_org(town["root"], "农村党建党总支", OrgKind.GENERAL_BRANCH)
    below = make_org(town["xinqiao"], "新桥第一党支部")
    client = as_user(town["admin"])
    response = client.post(f"/orgs/{town['xinqiao'].pk}/move/", {"new_parent": "新桥镇党委/农村党建党总支"})
    assert response.status_code == 302
    assert Organization.objects.get_parent(fresh(town["xinqiao"])) == rural
    assert fresh(below).path.startswith(fresh(rural).path)
    assert fresh(town["branch"]).numchild == 1 and fresh(rural).numchild == 1
    entry = ActivityLog.objects.get(action="organization.move")
    assert entry.before == {"parent": "新桥镇党委/社区党建服务中心党总支"}
    assert entry.after == {"parent": "新桥镇党委/农村党建党总支"}


def test_move_refuses_a_target_inside_its_own_subtree(town, as_user):
    make_org(town["xinqiao"], "新桥第一党支部")
    client = as_user(town["admin"])
    for target in ("新桥第一党支部", "社区党建服务中心党总支"):
        response = client.post(f"/orgs/{town['branch'].pk}/move/", {"new_parent": target})
        assert response.status_code == 200
        assert response.context["form"].errors["new_parent"] == ["不能移到本组织或其下级组织之下。"]
    same = client.post(f"/orgs/{town['xinqiao'].pk}/move/", {"new_parent": "社区党建服务中心党总支"})
    assert "已在“社区党建服务中心党总支”之下" in same.context["form"].errors["new_parent"][0]
    unknown = client.post(f"/orgs/{town['xinqiao'].pk}/move/", {"new_parent": "不存在的组织"})
    assert "找不到" in unknown.context["form"].errors["new_parent"][0]
    assert Organization.objects.get_parent(fresh(town["xinqiao"])) == town["branch"]
    assert not ActivityLog.objects.filter(action="organization.move").exists()


def test_a_name_shared_by_two_organizations_needs_the_full_path(town, as_user):
    rural = make_org(town["root"], "农村党建党总支", OrgKind.GENERAL_BRANCH)
    make_org(rural, "第一党支部")
    make_org(town["branch"], "第一党支部")
    client = as_user(town["admin"])
    response = client.post(f"/orgs/{town['chunshen'].pk}/move/", {"new_parent": "第一党支部"})
    assert "有多个组织叫“第一党支部”" in response.context["form"].errors["new_parent"][0]
    ok = client.post(f"/orgs/{town['chunshen'].pk}/move/", {"new_parent": "新桥镇党委/农村党建党总支/第一党支部"})
    assert ok.status_code == 302


def test_archive_takes_the_subtree_and_its_roles_out_of_use_and_restore_brings_them_back(town, as_user):
    client = as_user(town["admin"])
    assert client.post(f"/orgs/{town['branch'].pk}/archive/").status_code == 302
    assert not Organization.objects.filter(path__startswith=town["branch"].path, is_active=True).exists()
    assert ActivityLog.objects.get(action="organization.archive").sentence == "归档组织（含 3 个组织）"
    # The secretary's role lies in the archived subtree: it no longer gives any right.
    secretary = as_user(town["secretary"])
    assert secretary.get(f"/orgs/{town['xinqiao'].pk}/").status_code == 404
    assert secretary.get("/orgs/").status_code == 403
    client = as_user(town["admin"])
    blocked = client.post(f"/orgs/{town['xinqiao'].pk}/restore/", follow=True)
    assert "请先恢复上级" in blocked.content.decode()
    assert client.post(f"/orgs/{town['branch'].pk}/restore/").status_code == 302
    assert Organization.objects.filter(is_active=True).count() == 4
    assert client.post(f"/orgs/{town['xinqiao'].pk}/add/", NEW).status_code == 302


def test_an_archived_parent_takes_no_new_children(town, as_user):
    client = as_user(town["admin"])
    client.post(f"/orgs/{town['chunshen'].pk}/archive/")
    response = client.post(f"/orgs/{town['chunshen'].pk}/add/", NEW)
    assert "已归档" in str(response.context["form"].non_field_errors())
    assert not Organization.objects.filter(name=NEW["name"]).exists()


def test_changes_need_post(town, as_user):
    client = as_user(town["admin"])
    assert client.get(f"/orgs/{town['xinqiao'].pk}/archive/").status_code == 405
    assert fresh(town["xinqiao"]).is_active

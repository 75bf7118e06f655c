"""Town admins manage people and their roles, within their own subtree; every change is logged."""

import pytest

from projectize.core.activity import changes
from projectize.core.models import ActivityLog
from projectize.orgs.models import Role, RoleGrant, User
from tests.factories import PASSWORD, UserFactory, make_org, user_with_role
from tests.orgs.conftest import fresh

pytestmark = pytest.mark.django_db

NEW_USER = {
    "username": "wanghy",
    "last_name": "王",
    "first_name": "海燕",
    "mobile": "13912345678",
    "email": "wanghy@example.org",
    "is_active": "on",
    "password1": "Xinqiao-2026-pass",
    "password2": "Xinqiao-2026-pass",
}


def test_the_list_searches_by_name_username_and_mobile(town, as_user):
    client = as_user(town["admin"])
    UserFactory.create(username="lixy", last_name="李", first_name="秀英", mobile="13600001111")

    def found(q):
        return [u.username for u in client.get("/orgs/users/", {"q": q}).context["page"]]

    assert found("李秀英") == ["lixy"]
    assert found("秀英") == ["lixy"]
    assert found("lixy") == ["lixy"]
    assert found("1360000") == ["lixy"]
    assert "sec01" in found("")


def test_an_admin_creates_a_user_who_can_then_log_in(town, as_user, client):
    response = as_user(town["admin"]).post("/orgs/users/add/", NEW_USER)
    account = User.objects.get(username="wanghy")
    assert response["Location"] == f"/orgs/users/{account.pk}/"
    assert account.get_full_name() == "王海燕" and account.mobile == "13912345678"
    entry = ActivityLog.objects.get(action="user.create")
    assert entry.actor == town["admin"] and "password" not in entry.after
    client.logout()
    assert client.login(username="13912345678", password="Xinqiao-2026-pass")


def test_user_form_errors_stand_beside_their_fields(town, as_user):
    client = as_user(town["admin"])
    bad = {**NEW_USER, "username": "sec01", "mobile": "12345", "password2": "different"}
    response = client.post("/orgs/users/add/", bad)
    assert set(response.context["form"].errors) == {"username", "mobile", "password2"}
    weak = client.post("/orgs/users/add/", {**NEW_USER, "password1": "123", "password2": "123"})
    assert "password1" in weak.context["form"].errors
    assert not User.objects.filter(username="wanghy").exists()


def test_an_admin_edits_deactivates_and_sets_a_password(town, as_user, client):
    account = town["secretary"]
    admin = as_user(town["admin"])
    data = {"username": "sec01", "last_name": "李", "first_name": "新名", "mobile": "13700000000", "email": ""}
    assert admin.post(f"/orgs/users/{account.pk}/edit/", {**data, "is_active": "on"}).status_code == 302
    assert fresh(account).first_name == "新名"
    assert ActivityLog.objects.get(action="user.update").after["first_name"] == "新名"
    assert (
        admin.post(
            f"/orgs/users/{account.pk}/password/", {"password1": "New-pass-2026!", "password2": "New-pass-2026!"}
        ).status_code
        == 302
    )
    assert ActivityLog.objects.filter(action="user.set_password").exists()
    assert admin.post(f"/orgs/users/{account.pk}/deactivate/").status_code == 302
    assert not fresh(account).is_active
    client.logout()
    assert not client.login(username="sec01", password="New-pass-2026!")
    as_user(town["admin"]).post(f"/orgs/users/{account.pk}/activate/")
    client.logout()
    assert client.login(username="sec01", password="New-pass-2026!")


def test_an_admin_cannot_deactivate_themselves(town, as_user):
    response = as_user(town["admin"]).post(f"/orgs/users/{town['admin'].pk}/deactivate/", follow=True)
    assert "不能停用自己的账号" in response.content.decode()
    assert fresh(town["admin"]).is_active


def test_roles_are_granted_and_revoked_within_the_admins_subtree(town, as_user):
    account = UserFactory.create(username="newbie")
    client = as_user(town["admin"])
    response = client.post(
        f"/orgs/users/{account.pk}/",
        {"role": Role.SECRETARY, "organization": "新桥镇党委/社区党建服务中心党总支/春申居民区党总支"},
    )
    assert response.status_code == 302
    grant = RoleGrant.objects.get(user=account)
    assert grant.role == Role.SECRETARY and grant.organization == town["chunshen"]
    logged = ActivityLog.objects.get(action="role.grant")
    assert logged.organization == town["chunshen"] and ("角色", "", "组织书记") in changes(logged)
    again = client.post(f"/orgs/users/{account.pk}/", {"role": Role.SECRETARY, "organization": "春申居民区党总支"})
    assert "已在“春申居民区党总支”担任此角色" in again.context["form"].errors["organization"][0]
    assert client.post(f"/orgs/grants/{grant.pk}/revoke/").status_code == 302
    assert not RoleGrant.objects.filter(user=account).exists()
    assert ActivityLog.objects.get(action="role.revoke").before["organization"].endswith("春申居民区党总支")


def test_a_branch_admin_grants_only_inside_the_branch(town, as_user):
    rural = make_org(town["root"], "农村党建党总支")
    branch_admin = user_with_role(Role.TOWN_ADMIN, town["branch"], username="branchadmin")
    outsider = user_with_role(Role.SECRETARY, rural, username="ruralsec")
    account = UserFactory.create()
    client = as_user(branch_admin)
    refused = client.post(f"/orgs/users/{account.pk}/", {"role": Role.SECRETARY, "organization": "农村党建党总支"})
    assert "不在您可选的范围内" in refused.context["form"].errors["organization"][0]
    # Someone whose roles lie elsewhere is invisible to this admin; the town admin above cannot be edited.
    assert client.get(f"/orgs/users/{outsider.pk}/").status_code == 404
    assert client.post(f"/orgs/users/{town['admin'].pk}/deactivate/").status_code in (403, 404)
    root_grant = RoleGrant.objects.get(user=town["admin"])
    assert client.post(f"/orgs/grants/{root_grant.pk}/revoke/").status_code == 404
    assert RoleGrant.objects.filter(user=outsider).exists() and fresh(town["admin"]).is_active


def test_an_admin_cannot_revoke_their_own_admin_role(town, as_user):
    grant = RoleGrant.objects.get(user=town["admin"])
    response = as_user(town["admin"]).post(f"/orgs/grants/{grant.pk}/revoke/", follow=True)
    assert "不能撤销自己的管理员角色" in response.content.decode()
    assert RoleGrant.objects.filter(pk=grant.pk).exists()


def test_revoking_a_secretary_role_clears_the_organizations_secretary(town, as_user):
    from projectize.orgs.models import Organization

    Organization.objects.filter(pk=town["xinqiao"].pk).update(secretary=town["secretary"])
    grant = RoleGrant.objects.get(user=town["secretary"])
    as_user(town["admin"]).post(f"/orgs/grants/{grant.pk}/revoke/")
    assert fresh(town["xinqiao"]).secretary is None


def test_people_pages_are_for_town_admins_only(town, as_user):
    client = as_user(town["secretary"])
    assert client.get("/orgs/users/").status_code == 403
    assert client.get("/orgs/users/add/").status_code == 403
    assert client.get(f"/orgs/users/{town['staff'].pk}/").status_code == 403
    assert client.post(f"/orgs/users/{town['staff'].pk}/deactivate/").status_code == 403
    assert fresh(town["staff"]).is_active


def test_malformed_user_ids_answer_404(town, as_user):
    client = as_user(town["admin"])
    assert client.get("/orgs/users/x/").status_code == 404
    assert client.get("/orgs/users/99999/").status_code == 404


def test_the_password_set_by_an_admin_works(town, as_user, client):
    as_user(town["admin"]).post(
        f"/orgs/users/{town['staff'].pk}/password/", {"password1": "Another-pass-77", "password2": "Another-pass-77"}
    )
    client.logout()
    assert not client.login(username="staff01", password=PASSWORD)
    assert client.login(username="staff01", password="Another-pass-77")

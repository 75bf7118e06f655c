"""Tree, search, list, detail: what each role sees, and nothing outside their subtree."""

import pytest

from projectize.orgs.models import Organization, OrgKind
from tests.factories import make_org

pytestmark = pytest.mark.django_db


def test_the_tree_opens_one_level_and_loads_children_on_demand(town, as_user):
    client = as_user(town["admin"])
    page = client.get("/orgs/").content.decode()
    assert "新桥镇党委" in page and "社区党建服务中心党总支" in page
    assert "新桥居民区党总支" not in page  # two levels down: loaded only when opened
    part = client.get(f"/orgs/{town['branch'].pk}/children/", HTTP_HX_REQUEST="true").content.decode()
    assert "新桥居民区党总支" in part and "春申居民区党总支" in part
    assert "<html" not in part


def test_a_long_level_comes_a_hundred_at_a_time(town, as_user):
    for n in range(100):
        make_org(town["branch"], f"测试党支部{n:03d}")
    client = as_user(town["admin"])
    first = client.get(f"/orgs/{town['branch'].pk}/children/").content.decode()
    assert first.count('data-testid="tree-node"') == 100
    assert "page=2" in first and "已显示 100 / 102 个" in first
    second = client.get(f"/orgs/{town['branch'].pk}/children/?page=2").content.decode()
    assert second.count('data-testid="tree-node"') == 2 and "page=3" not in second


def test_search_shows_matches_with_their_path(town, as_user):
    page = as_user(town["admin"]).get("/orgs/", {"q": "春申"}).content.decode()
    assert "新桥镇党委 / 社区党建服务中心党总支 / 春申居民区党总支" in page
    assert "找到 1 个组织" in page


def test_a_secretary_sees_only_their_own_subtree(town, as_user):
    client = as_user(town["secretary"])
    tree = client.get("/orgs/").content.decode()
    assert "新桥居民区党总支" in tree and "春申居民区党总支" not in tree and "新桥镇党委</a>" not in tree
    assert client.get("/orgs/", {"q": "春申"}).context["matches"] == []
    assert client.get(f"/orgs/{town['xinqiao'].pk}/").status_code == 200
    assert client.get(f"/orgs/{town['chunshen'].pk}/").status_code == 404
    assert client.get(f"/orgs/{town['branch'].pk}/children/").status_code == 404
    listed = [org.name for org in client.get("/orgs/list/").context["page"]]
    assert listed == ["新桥居民区党总支"]


def test_staff_of_a_branch_see_the_branch_subtree(town, as_user):
    client = as_user(town["staff"])
    assert client.get(f"/orgs/{town['chunshen'].pk}/").status_code == 200
    assert client.get(f"/orgs/{town['root'].pk}/").status_code == 404


def test_a_user_without_an_organization_role_is_refused(town, as_user):
    from tests.factories import UserFactory

    client = as_user(UserFactory.create())
    assert client.get("/orgs/").status_code == 403
    assert client.get("/orgs/list/").status_code == 403
    assert client.get(f"/orgs/{town['xinqiao'].pk}/").status_code == 404


def test_pages_need_a_login(town, client):
    response = client.get("/orgs/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_malformed_or_unknown_ids_answer_404(town, as_user):
    client = as_user(town["admin"])
    assert client.get("/orgs/abc/").status_code == 404
    assert client.get("/orgs/999999/").status_code == 404
    assert client.get("/orgs/list/", {"subtree": "999999"}).status_code == 404
    # A bad filter value is ignored rather than breaking the page.
    assert client.get("/orgs/list/", {"subtree": "x", "kind": "nonsense"}).status_code == 200


def test_the_list_filters_by_name_kind_state_and_subtree(town, as_user):
    make_org(town["root"], "新桥派出所党支部", OrgKind.STATIONED)
    Organization.objects.filter(pk=town["chunshen"].pk).update(is_active=False)
    client = as_user(town["admin"])

    def names(**params):
        return [org.name for org in client.get("/orgs/list/", params).context["page"]]

    assert set(names(name="新桥")) == {"新桥居民区党总支", "新桥派出所党支部", "新桥镇党委"}
    assert names(kind=OrgKind.STATIONED) == ["新桥派出所党支部"]
    assert names(active="0") == ["春申居民区党总支"]
    assert "春申居民区党总支" not in names(active="1")
    assert set(names(subtree=town["branch"].pk)) == {"社区党建服务中心党总支", "新桥居民区党总支", "春申居民区党总支"}
    page = client.get("/orgs/list/", {"subtree": town["branch"].pk}).content.decode()
    assert 'data-testid="subtree"' in page


def test_the_list_shows_each_organizations_parents(town, as_user):
    page = as_user(town["admin"]).get("/orgs/list/", {"name": "春申"}).content.decode()
    assert "新桥镇党委 / 社区党建服务中心党总支" in page


def test_the_detail_page_shows_fields_people_children_and_its_timeline(town, as_user):
    from projectize.orgs import services

    client = as_user(town["admin"])
    services.organization_update(
        actor=town["admin"],
        organization=town["xinqiao"],
        name="新桥居民区党总支",
        kind=OrgKind.RESIDENTIAL,
        secretary=town["secretary"],
        contact_name="李秀英",
        contact_phone="021-57680011",
        address="新桥镇示例路 1 号",
    )
    page = client.get(f"/orgs/{town['xinqiao'].pk}/").content.decode()
    for text in ("李秀英", "021-57680011", "新桥镇示例路 1 号", "组织书记", str(town["secretary"]), "修改组织信息"):
        assert text in page
    assert '<span class="fw-semibold">联系人：</span> — → 李秀英' in page  # the timeline says what changed
    branch_page = client.get(f"/orgs/{town['branch'].pk}/").content.decode()
    assert "下级组织（2）" in branch_page and "春申居民区党总支" in branch_page


def test_the_detail_page_offers_changes_only_to_town_admins(town, as_user):
    admin_page = as_user(town["admin"]).get(f"/orgs/{town['xinqiao'].pk}/").content.decode()
    assert 'data-testid="org-actions"' in admin_page
    # The next step for an organization whose secretary holds the role but is not chosen yet.
    assert "从组织书记中选定书记" in admin_page
    secretary_page = as_user(town["secretary"]).get(f"/orgs/{town['xinqiao'].pk}/").content.decode()
    assert 'data-testid="org-actions"' not in secretary_page


def test_suggestions_list_full_paths_within_scope(town, as_user):
    page = as_user(town["secretary"]).get("/orgs/suggest/", {"new_parent": "居民区"}).content.decode()
    assert 'value="新桥镇党委/社区党建服务中心党总支/新桥居民区党总支"' in page
    assert "春申" not in page

"""Issue 2, done when: a town admin runs the organization tree, the language switch and the Excel import
in a real browser, and a secretary cannot edit another organization."""

import re

import pytest
from playwright.sync_api import expect

from projectize.core.jobs import jobs_run_pending
from projectize.orgs.models import Organization, OrgKind, Role
from tests.factories import make_org, make_root, user_with_role
from tests.orgs.excel import xlsx


def read_in_background(page) -> None:
    """On an import job's page: the worker runs, the page shows the job done, the person opens the result."""
    expect(page.get_by_test_id("job-status")).to_be_visible()
    jobs_run_pending()
    page.get_by_role("link", name="查看结果").click()


pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def town():
    root = make_root()
    branch = make_org(root, "社区党建服务中心党总支", OrgKind.GENERAL_BRANCH)
    xinqiao = make_org(branch, "新桥居民区党总支")
    chunshen = make_org(branch, "春申居民区党总支")
    user_with_role(Role.TOWN_ADMIN, root, username="admin", last_name="王", first_name="建华")
    user_with_role(Role.SECRETARY, xinqiao, username="sec01", last_name="李", first_name="秀英")
    return {"root": root, "branch": branch, "xinqiao": xinqiao, "chunshen": chunshen}


def excel_payload(rows):
    upload = xlsx(rows)
    return {"name": upload.name, "mimeType": "application/octet-stream", "buffer": upload.read()}


def test_town_admin_builds_the_tree_switches_language_and_imports(page, live_server, login, screenshot, town):
    login("admin")
    url = live_server.url

    # Create an organization under a branch, from the branch's own page.
    page.goto(f"{url}/orgs/")
    page.get_by_role("link", name="社区党建服务中心党总支").click()
    page.get_by_role("link", name="新增下级组织").click()
    page.get_by_label("名称").fill("新桥第二居民区党支部")
    page.get_by_label("类型").select_option(label="居民区党组织")
    page.get_by_label("联系人").fill("王海燕")
    page.get_by_label("联系电话").fill("电话")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("error-contact_phone")).to_contain_text("请输入有效的电话号码")
    page.get_by_label("联系电话").fill("021-57681234")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", name="新桥第二居民区党支部")).to_be_visible()
    created = Organization.objects.get(name="新桥第二居民区党支部")
    assert Organization.objects.get_parent(created) == town["branch"]
    assert created.contact_phone == "021-57681234"
    expect(page.get_by_test_id("timeline")).to_contain_text("新建组织")
    screenshot("foundation-detail-created-zh")

    # Find it in the tree: the branch opens on demand.
    page.goto(f"{url}/orgs/")
    branch_node = page.locator("summary", has_text="社区党建服务中心党总支")
    branch_node.click(position={"x": 4, "y": 10})
    expect(page.get_by_role("link", name="新桥第二居民区党支部")).to_be_visible()
    screenshot("foundation-tree-expanded-zh")

    # Switch to English and back.
    page.get_by_test_id("lang-switch").click()
    expect(page.get_by_role("heading", name="Organization tree")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    screenshot("foundation-tree-expanded-en")
    page.get_by_test_id("lang-switch").click()
    expect(page.get_by_role("heading", name="组织架构")).to_be_visible()

    # A bad file is refused with the errors of each row, and nothing is written.
    before = Organization.objects.count()
    page.goto(f"{url}/orgs/import/")
    page.get_by_label("Excel 文件").set_input_files(
        excel_payload(
            [
                ["新桥第三居民区党支部", "居民区党组织", "社区党建服务中心党总支", "", "", ""],
                ["某党支部", "不存在的类型", "不存在的上级", "", "", ""],
            ]
        )
    )
    page.get_by_role("button", name="上传并预览").click()
    read_in_background(page)
    expect(page.get_by_test_id("import-errors")).to_contain_text("有 1 行有错误，未写入任何数据")
    expect(page.get_by_test_id("row-errors")).to_contain_text("类型“不存在的类型”无效")
    expect(page.get_by_test_id("row-errors")).to_contain_text("找不到上级组织“不存在的上级”")
    expect(page.get_by_test_id("confirm-import")).to_have_count(0)
    screenshot("foundation-import-preview-zh")
    assert Organization.objects.count() == before

    # A good file, uploaded again from the preview page, is imported in one go.
    page.get_by_label("Excel 文件").set_input_files(
        excel_payload(
            [
                ["新桥第三居民区党支部", "居民区党组织", "社区党建服务中心党总支", "周卫东", "021-57680099", ""],
                ["第三居民区第一党小组", "居民区党组织", "新桥第三居民区党支部", "", "", ""],
            ]
        )
    )
    page.get_by_role("button", name="上传并预览").click()
    read_in_background(page)
    expect(page.get_by_test_id("import-ready")).to_contain_text("全部 2 行检查通过")
    page.get_by_test_id("confirm-import").click()
    read_in_background(page)
    expect(page.get_by_test_id("import-done")).to_contain_text("已导入 2 个组织")
    screenshot("foundation-import-done-zh")
    third = Organization.objects.get(name="新桥第三居民区党支部")
    assert Organization.objects.get_parent(third) == town["branch"] and third.contact_name == "周卫东"
    group = Organization.objects.get(name="第三居民区第一党小组")
    assert Organization.objects.get_parent(group) == third
    assert Organization.objects.count() == before + 2


def test_a_secretary_cannot_edit_another_organization(page, live_server, login, town):
    login("sec01")
    page.goto(f"{live_server.url}/orgs/{town['xinqiao'].pk}/")
    expect(page.get_by_role("heading", name="新桥居民区党总支")).to_be_visible()
    expect(page.get_by_role("link", name="编辑")).to_have_count(0)
    response = page.goto(f"{live_server.url}/orgs/{town['chunshen'].pk}/edit/")
    assert response is not None and response.status == 404
    response = page.goto(f"{live_server.url}/orgs/{town['xinqiao'].pk}/edit/")
    assert response is not None and response.status == 403
    assert Organization.objects.get(pk=town["chunshen"].pk).name == "春申居民区党总支"


@pytest.mark.parametrize("language", ["zh", "en"])
def test_screens_in_both_languages(page, live_server, login, screenshot, town, language):
    login("admin")
    if language == "en":
        page.get_by_test_id("lang-switch").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
    screens = {
        "tree": "/orgs/",
        "list": "/orgs/list/",
        "detail": f"/orgs/{town['xinqiao'].pk}/",
        "users": "/orgs/users/",
        "import": "/orgs/import/",
        "activity": "/activity/",
    }
    for name, path in screens.items():
        response = page.goto(live_server.url + path)
        assert response is not None and response.ok
        if language == "en":
            # No Chinese left in the page's own headings and buttons (names of people and places aside).
            heading = page.locator("h1").first.inner_text()
            assert not re.search(r"[\u4e00-\u9fff]", heading) or name == "detail", heading
        screenshot(f"foundation-{name}-{language}")

"""In a real browser, with pages kept for their readers (core.pagecache) as on a server: a page read again is
the kept copy, yet what one person changes shows at once on the pages of everyone who may see it."""

import pytest
from playwright.sync_api import expect

from projectize.orgs.models import OrgKind, Role
from projectize.projects.models import Project, ProjectStatus
from tests.factories import make_org, make_root, user_with_role
from tests.projects.factories import make_call, make_project

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名或手机号").fill(username)
    page.locator("input[name=password]").fill("demo-pass-2026")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/")


def test_a_decision_by_the_town_shows_at_once_on_the_secretary_s_kept_list(page, browser, live_server, screenshot):
    town = make_root()
    org = make_org(make_org(town, "社区党建服务中心党总支", OrgKind.GENERAL_BRANCH), "春申居民区党总支")
    user_with_role(Role.TOWN_ADMIN, town, username="admin")
    user_with_role(Role.SECRETARY, org, username="sec01")
    project = make_project(
        org, make_call(town, 2026, phase="review"), status=ProjectStatus.SUBMITTED, title="四点半课堂"
    )

    # The secretary reads the list; read again, it is the copy kept for them: a title changed in the database
    # behind the system's back (no service, no log) does not show yet.
    sign_in(page, live_server.url, "sec01")
    page.goto(f"{live_server.url}/projects/")
    expect(page.get_by_role("row").filter(has_text="四点半课堂")).to_contain_text("已提交")
    Project.objects.filter(pk=project.pk).update(title="四点半课堂（二期）")
    page.goto(f"{live_server.url}/projects/")
    expect(page.get_by_role("row").filter(has_text="四点半课堂")).not_to_contain_text("二期")

    # Meanwhile, at the town, the admin starts the review from the project's page.
    staff = browser.new_context(locale="zh-CN")
    try:
        admin = staff.new_page()
        sign_in(admin, live_server.url, "admin")
        admin.goto(f"{live_server.url}{project.get_absolute_url()}")
        admin.get_by_role("button", name="开始评审").click()
        expect(admin.get_by_role("alert").filter(has_text="开始评审")).to_be_visible()
    finally:
        staff.close()
    assert Project.objects.get(pk=project.pk).status == ProjectStatus.UNDER_REVIEW

    # The secretary's next reading is no longer the copy: the list says where the application stands now.
    page.goto(f"{live_server.url}/projects/")
    row = page.get_by_role("row").filter(has_text="四点半课堂")
    expect(row).to_contain_text("评审中")
    expect(row).to_contain_text("四点半课堂（二期）")
    screenshot("kept-pages-secretary-list-after-the-town-decided")

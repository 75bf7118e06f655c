"""The project page in a browser (issue 15): the application and its review arrive in their panel after the
page, and the list's page bar leads to a deep page."""

import pytest
from playwright.sync_api import expect

from projectize.orgs.models import Role
from projectize.projects.models import ProjectStatus
from projectize.reviews.services import rubric_create
from tests.factories import make_org, make_root, user_with_role
from tests.projects.factories import make_project
from tests.projects.test_page_costs import add_history, make_many
from tests.reviews.factories import application_spec, scored_review

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_application_panel_loads_after_the_page_and_the_list_pages_deep(page, live_server, login, screenshot):
    town = make_root()
    org = make_org(town, "春申居民区党总支")
    admin = user_with_role(Role.TOWN_ADMIN, town, username="admin")
    application_rubric = rubric_create(organization=town, spec=application_spec(), actor=admin)
    project = make_project(org, None, status=ProjectStatus.IN_PROGRESS, title="楼组自治微议事", code="2026-SF-009")
    experts = [user_with_role(Role.REVIEWER, town) for _ in range(2)]
    scored_review(project, application_rubric, admin, {expert: [18, 17, 16, 15, 19] for expert in experts})
    add_history(project, admin, 3)
    make_many(org, 300)
    login("admin")

    page.goto(f"{live_server.url}{project.get_absolute_url()}")
    expect(page.get_by_test_id("timeline")).to_be_visible()
    # Read after the page: the review's result and the application's texts.
    expect(page.get_by_test_id("review-result")).to_contain_text("专家评分")
    expect(page.get_by_text("老旧小区停车矛盾突出。")).to_be_visible()
    expect(page.get_by_text("endcomment")).to_have_count(0)
    expect(page.get_by_text("read after the page")).to_have_count(0)
    screenshot("projects-page-with-application-panel")

    page.goto(f"{live_server.url}/projects/?sort=title")
    page.get_by_role("link", name="下一页").click()
    expect(page).to_have_url(f"{live_server.url}/projects/?sort=title&page=2")
    expect(page.get_by_test_id("project-table")).to_contain_text("批量项目00025")
    screenshot("projects-list-page-2")

"""In a real browser: a Xinqiao branch's application to the district's call is reviewed and approved by the
district's staff, who pick the district's rubric and expert; the town's own admin is offered none of it."""

import pytest
from playwright.sync_api import expect

from projectize.orgs.models import Organization, OrgKind, Role
from projectize.projects.models import ProjectStatus, ProjectType
from projectize.reviews.models import Assignment, Review
from projectize.reviews.services import assignment_accept, sheet_submit
from tests.e2e.test_projects_lifecycle import as_user, take
from tests.factories import make_org, user_with_role
from tests.projects.factories import make_call, make_project
from tests.reviews.factories import make_rubric

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_district_staff_review_and_approve_an_application_to_their_call(page, live_server, login, screenshot):
    district = Organization.objects.add_root({"name": "松江区委", "kind": OrgKind.DISTRICT})
    xinqiao = make_org(district, "新桥镇党委", OrgKind.COMMITTEE)
    branch = make_org(xinqiao, "春申居民区党总支")
    staff = user_with_role(Role.DISTRICT_STAFF, district, username="district")
    user_with_role(Role.TOWN_ADMIN, xinqiao, username="admin")
    expert = user_with_role(Role.REVIEWER, district, username="dexpert", last_name="区", first_name="专家")
    rubric = make_rubric(district, staff)
    call = make_call(district, phase="review", title="2026年度区级党建项目申报")
    project = make_project(branch, call, status=ProjectStatus.SUBMITTED, type=ProjectType.DEMONSTRATION)
    url = f"{live_server.url}/projects/{project.pk}/"

    # The applicant's town admin reads the application but runs none of its review.
    as_user(page, login, "admin")
    page.goto(url)
    expect(page.locator("[data-status=submitted]").first).to_be_visible()
    assert page.get_by_role("button", name="开始评审").count() == 0

    as_user(page, login, "district")
    page.goto(url)
    take(page, "开始评审")
    expect(page.locator("[data-status=under_review]").first).to_be_visible()
    page.get_by_test_id("assign-reviewers").click()
    page.locator("select[name=rubric]").select_option(label=str(rubric))
    page.get_by_label(str(expert)).check()
    screenshot("district-review-open")
    page.get_by_role("button", name="发起评审并通知专家").click()
    # Back on the project page, which the link came from.
    page.wait_for_url(url)
    review = Review.objects.get()
    assert (review.organization, list(review.assignments.values_list("reviewer", flat=True))) == (
        district,
        [expert.pk],
    )

    assignment = Assignment.objects.get(review=review)
    assignment_accept(assignment=assignment, actor=expert)
    sheet_submit(assignment=assignment, scores={c.pk: 18 for c in rubric.criteria.all()}, actor=expert)
    page.goto(url)
    take(page, "批准立项", "区委组织部研究同意立项。")
    expect(page.locator("[data-status=approved]").first).to_be_visible()
    screenshot("district-review-approved")
    project.refresh_from_db()
    assert project.status == ProjectStatus.APPROVED and project.code == "2026-SF-001"

"""Who staff pick as reviewers, and what an expert sees of the application under review."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile

from projectize.core.selectors import attachments_for
from projectize.core.services import attachments_add
from projectize.orgs.models import Role
from projectize.projects.models import ProjectStatus
from projectize.reviews.models import Assignment, Review
from projectize.reviews.services import assignment_accept, assignment_decline, review_open
from tests.factories import make_org, user_with_role
from tests.projects.factories import make_project
from tests.reviews.factories import make_rubric

pytestmark = pytest.mark.django_db


def picker_labels(page: str) -> list[str]:
    """The reviewer check boxes' labels, in page order."""
    return re.findall(r'<input type="checkbox" name="reviewers"[^>]*>\s*([^<]+)</label>', page)


def test_the_picker_shows_role_and_organization_with_experts_first(
    client, town, admin, subjects, django_assert_max_num_queries
):
    office = make_org(town, "镇组织办", "department")
    user_with_role(Role.LEADER, town, last_name="王", first_name="书记")
    user_with_role(Role.REVIEWER, office, last_name="李", first_name="专家")
    user_with_role(Role.SECRETARY, subjects[0], last_name="赵", first_name="书记")
    subject_type = ContentType.objects.get_for_model(subjects[0])
    url = f"/reviews/open/{subject_type.pk}/{subjects[0].pk}/"
    client.force_login(admin)
    with django_assert_max_num_queries(40) as few:
        page = client.get(url).content.decode()
    labels = [label.strip() for label in picker_labels(page)]
    assert labels == ["李专家（评审专家 · 镇组织办）", "王书记（党委领导 · 新桥镇党委）"]

    for n in range(8):
        user_with_role(Role.REVIEWER if n % 2 else Role.LEADER, office, username=f"more{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    labels = picker_labels(page)
    assert len(labels) == 10
    kinds = ["评审专家" in label for label in labels]
    assert kinds == sorted(kinds, reverse=True)  # every expert before every leader


@pytest.fixture
def application(town, admin, experts):
    """An application with two files (the plan and a budget sheet) under review by experts[0] and [1]."""
    org = make_org(town, "春申居民区党总支")
    project = make_project(org, status=ProjectStatus.UNDER_REVIEW, title="楼组议事")
    secretary = user_with_role(Role.SECRETARY, org)
    files = [SimpleUploadedFile("实施方案.pdf", b"%PDF-1.4 plan\n"), SimpleUploadedFile("预算表.pdf", b"%PDF-1.4 b\n")]
    attachments_add(target=project, files=files, actor=secretary, purpose="application")
    rubric = make_rubric(town, admin)
    review = review_open(subject=project, rubric=rubric, reviewers=experts[:2], actor=admin)
    return project, review


def test_an_expert_who_declared_sees_and_downloads_every_attachment_on_the_scoring_page(client, experts, application):
    project, review = application
    assignment = Assignment.objects.get(review=review, reviewer=experts[0])
    assignment_accept(assignment=assignment, actor=experts[0])
    client.force_login(experts[0])
    page = client.get(f"/reviews/assignments/{assignment.pk}/").content.decode()
    for attachment in attachments_for(project):
        assert f'href="/files/{attachment.pk}/"' in page and attachment.name in page
        response = client.get(f"/files/{attachment.pk}/")
        assert response.status_code == 200 and b"%PDF" in b"".join(response.streaming_content)


def test_files_stay_closed_to_experts_not_assigned_not_yet_declared_or_who_declined(client, experts, application):
    project, review = application
    attachment = attachments_for(project).earliest("pk")
    declined = Assignment.objects.get(review=review, reviewer=experts[1])
    assignment_decline(assignment=declined, reason="与申报组织有亲属关系", actor=experts[1])
    pending = Assignment.objects.create(review=Review.objects.get(pk=review.pk), reviewer=experts[2])
    for expert in (experts[1], experts[2], experts[3]):
        client.force_login(expert)
        assert client.get(f"/files/{attachment.pk}/").status_code == 404
        assert client.get(f"/projects/{project.pk}/").status_code == 404
    client.force_login(experts[2])
    page = client.get(f"/reviews/assignments/{pending.pk}/").content.decode()
    assert attachment.name not in page
    # Another expert's scoring page is not theirs to open.
    client.force_login(experts[3])
    assert client.get(f"/reviews/assignments/{pending.pk}/").status_code == 404

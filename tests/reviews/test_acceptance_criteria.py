"""A committee that accepts projects on its own criteria (not the four parts 一听二看三查四问): the panel
scores them through a review of the acceptance, and the conclusion takes that review's total and grade."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType

from projectize.orgs.models import Role
from projectize.projects import services as project_services
from projectize.projects.models import Acceptance, AcceptanceStatus, ProjectStatus
from projectize.reviews.models import Assignment, Review, Rubric
from projectize.reviews.services import CriterionSpec, RubricSpec
from tests.factories import make_org, user_with_role
from tests.projects.factories import make_call, make_project
from tests.reviews.factories import STANDARD_GRADES, make_rubric

pytestmark = pytest.mark.django_db

OWN_CRITERIA = [("目标完成", 50), ("群众评价", 30), ("资料台账", 20)]


@pytest.fixture
def acceptance(town, admin):
    spec = RubricSpec(
        name="考评验收标准（本委自定）",
        purpose="acceptance",
        criteria=[CriterionSpec(name, Decimal(weight)) for name, weight in OWN_CRITERIA],
        grades=STANDARD_GRADES,
        free_acceptance_criteria=True,
    )
    make_rubric(town, admin, spec)
    org = make_org(town, "春申居民区党总支")
    project = make_project(org, make_call(town, phase="evaluation"), status=ProjectStatus.IN_PROGRESS, code="2026-1")
    panel = user_with_role(Role.REVIEWER, town, username="panel1")
    return project_services.acceptance_schedule(
        actor=admin, project=project, scheduled_on=datetime.date.today(), panel=[panel], checklist=["台账"]
    )


def test_the_panel_scores_the_committees_own_criteria_and_the_conclusion_takes_the_result(client, admin, acceptance):
    panel = acceptance.panel.get()
    client.force_login(admin)
    page = client.get(acceptance.get_absolute_url()).content.decode()
    # No four-part score fields; the review panel offers to start the panel's scoring instead.
    assert 'name="listen_score"' not in page and 'data-testid="rubric-problem"' not in page
    assert 'data-testid="review-panel"' in page
    subject_type = ContentType.objects.get_for_model(Acceptance)
    url = f"/reviews/open/{subject_type.pk}/{acceptance.pk}/?purpose=acceptance"
    client.post(url, {"rubric": Rubric.objects.get(purpose="acceptance").pk, "reviewers": [panel.pk]})
    review = Review.objects.get()
    assert review.subject == acceptance

    page = client.post(
        acceptance.get_absolute_url() + "conclude/", {"conclusion": "accepted", "note": "达标"}
    ).content.decode()
    assert "验收组成员尚未评分" in page

    client.force_login(panel)
    assignment = Assignment.objects.get(review=review)
    url = f"/reviews/assignments/{assignment.pk}/"
    client.post(url, {"action": "declare", "declare-no_conflict": "on"})
    criteria = list(review.rubric.criteria.all())
    marks = {f"score-score_{c.pk}": mark for c, mark in zip(criteria, ["46", "27", "18"], strict=True)}
    client.post(url, {"action": "score", **marks})

    client.force_login(admin)
    page = client.post(
        acceptance.get_absolute_url() + "conclude/", {"conclusion": "accepted", "note": "达标"}
    ).content.decode()
    assert "验收评分尚未结束" in page
    client.post(f"/workflow/reviews.review/{review.pk}/close/", {"next": "/"})
    client.post(acceptance.get_absolute_url() + "conclude/", {"conclusion": "accepted", "note": "达标"})
    acceptance.refresh_from_db()
    assert (acceptance.status, acceptance.total, acceptance.grade) == (
        AcceptanceStatus.CONCLUDED,
        Decimal("91.00"),
        "优秀",
    )


def test_the_four_part_standard_still_needs_every_part_scored(client, town, admin):
    spec = RubricSpec(
        name="考评验收标准",
        purpose="acceptance",
        criteria=[CriterionSpec(name, Decimal(25)) for name in ("一听", "二看", "三查", "四问")],
        grades=STANDARD_GRADES,
    )
    make_rubric(town, admin, spec)
    org = make_org(town, "明华居民区党总支")
    project = make_project(org, make_call(town, phase="evaluation"), status=ProjectStatus.IN_PROGRESS, code="2026-2")
    acceptance = project_services.acceptance_schedule(
        actor=admin, project=project, scheduled_on=datetime.date.today(), panel=[admin], checklist=["台账"]
    )
    client.force_login(admin)
    page = client.get(acceptance.get_absolute_url()).content.decode()
    assert 'name="listen_score"' in page and 'data-testid="review-panel"' not in page
    page = client.post(
        acceptance.get_absolute_url() + "conclude/", {"conclusion": "accepted", "note": "达标"}
    ).content.decode()
    assert "请先记录以下环节的得分：听、看、查、问。" in page
    assert Acceptance.objects.get(pk=acceptance.pk).status == AcceptanceStatus.SCHEDULED

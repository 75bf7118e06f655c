"""The call page shows other organizations' applications and the committee's minutes only to the
committee's staff and leaders; an organization sees its own applications and the decisions on them."""

import datetime

import pytest
from django.urls import reverse

from projectize.orgs.models import Role
from projectize.projects import services
from projectize.projects.models import ProjectStatus
from projectize.reviews.models import Assignment
from projectize.reviews.services import assignment_accept, review_open
from tests.factories import make_org, user_with_role
from tests.projects.factories import make_call, make_project

pytestmark = pytest.mark.django_db

MINUTES = "逐项讨论，明华的项目需修改完善。"


@pytest.fixture
def world(town, org, other_org, admin, leader, secretary, other_secretary, expert, application_rubric):
    call = make_call(town, 2026, phase="review")
    ours = make_project(org, call, status=ProjectStatus.UNDER_REVIEW, title="春申四点半课堂")
    theirs = make_project(other_org, call, status=ProjectStatus.UNDER_REVIEW, title="明华楼组议事")
    # The expert reviews the other organization's application.
    review = review_open(subject=theirs, rubric=application_rubric, reviewers=[expert], actor=admin)
    assignment_accept(assignment=Assignment.objects.get(review=review), actor=expert)
    services.discussion_record(
        actor=admin,
        call=call,
        held_on=datetime.date(2026, 5, 10),
        title="党委会第一次研究讨论",
        attendees=[leader, admin],
        minutes=MINUTES,
        outcomes=[(ours, "recommend", "评分高"), (theirs, "revise", "指标不够具体")],
    )
    unit = make_org(town, "春申物业管理有限公司", "enterprise")
    return {
        "call": call,
        "admin": admin,
        "leader": leader,
        "secretary": secretary,
        "other_secretary": other_secretary,
        "expert": expert,
        "org_staff": user_with_role(Role.ORG_STAFF, org),
        "unit_contact": user_with_role(Role.CLAIM_CONTACT, unit),
        "finance": user_with_role(Role.FINANCE, town),
    }


# Who reads what on the call page: titles of the two applications, the minutes, each decision.
SEES = {
    "admin": {"春申四点半课堂", "明华楼组议事", MINUTES, "评分高", "指标不够具体"},
    "leader": {"春申四点半课堂", "明华楼组议事", MINUTES, "评分高", "指标不够具体"},
    "secretary": {"春申四点半课堂", "评分高"},
    "org_staff": {"春申四点半课堂", "评分高"},
    "other_secretary": {"明华楼组议事", "指标不够具体"},
    "expert": set(),
    "unit_contact": set(),
    "finance": set(),
}
ALL = {"春申四点半课堂", "明华楼组议事", MINUTES, "评分高", "指标不够具体"}


@pytest.mark.parametrize("who", sorted(SEES))
def test_each_role_reads_only_its_share_of_the_call_page(client, world, who):
    client.force_login(world[who])
    response = client.get(reverse("projects:call_detail", args=[world["call"].pk]))
    assert response.status_code == 200
    page = response.content.decode()
    shown = {text for text in ALL if text in page}
    assert shown == SEES[who]


def test_a_reviewer_does_not_read_the_committees_decision_on_the_application_it_reviews(client, world):
    theirs = world["call"].projects.get(title="明华楼组议事")
    client.force_login(world["expert"])
    page = client.get(theirs.get_absolute_url()).content.decode()
    assert "明华楼组议事" in page and "指标不够具体" not in page
    client.force_login(world["other_secretary"])
    assert "指标不够具体" in client.get(theirs.get_absolute_url()).content.decode()

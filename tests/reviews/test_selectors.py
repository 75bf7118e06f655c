"""Reads other apps rely on: which rubric to use, who reviews what."""

from datetime import date

import pytest

from projectize.orgs.models import OrgKind
from projectize.reviews.models import Assignment
from projectize.reviews.rules import is_subject_reviewer
from projectize.reviews.selectors import assigned_reviews, is_assigned_reviewer, pending_count, rubric_for
from projectize.reviews.services import assignment_accept, assignment_decline, review_open, rubric_set_active
from tests.factories import make_org
from tests.reviews.factories import application_spec, make_rubric, showcase_spec

pytestmark = pytest.mark.django_db


def test_rubric_for_finds_the_nearest_active_rubric_up_the_tree(town, admin, subjects):
    district_rubric = make_rubric(town, admin)
    sub_committee = make_org(town, "新桥镇第二党委", OrgKind.COMMITTEE)
    branch = make_org(sub_committee, "某居民区党总支")
    assert rubric_for(organization=branch, purpose="application") == district_rubric
    own = make_rubric(sub_committee, admin, application_spec(name="二党委申报评审标准"))
    assert rubric_for(organization=branch, purpose="application") == own
    assert rubric_for(organization=town, purpose="application") == district_rubric
    assert rubric_for(organization=branch, purpose="showcase") is None
    rubric_set_active(rubric=own, active=False, actor=admin)
    assert rubric_for(organization=branch, purpose="application") == district_rubric


def test_a_reviewer_counts_as_assigned_only_after_declaring_no_conflict(town, admin, experts, subjects):
    review = review_open(subject=subjects[0], rubric=make_rubric(town, admin), reviewers=experts[:2], actor=admin)
    first, second = (Assignment.objects.get(review=review, reviewer=e) for e in experts[:2])
    assert not is_assigned_reviewer(experts[0], subjects[0])
    assert is_assigned_reviewer(experts[0], subjects[0], declared=False)
    assignment_accept(assignment=first, actor=experts[0])
    assignment_decline(assignment=second, reason="利益相关", actor=experts[1])
    assert is_assigned_reviewer(experts[0], subjects[0])
    assert is_subject_reviewer(experts[0], subjects[0])
    assert not is_assigned_reviewer(experts[1], subjects[0], declared=False)
    assert not is_assigned_reviewer(experts[0], subjects[1])
    assert not is_subject_reviewer(experts[2], subjects[0])


def test_assigned_reviews_lists_work_to_do_across_subject_types(town, admin, experts, subjects):
    application = make_rubric(town, admin)
    showcase = make_rubric(town, admin, showcase_spec())
    review_open(subject=subjects[0], rubric=application, reviewers=experts[:1], actor=admin)
    review_open(subject=town, rubric=showcase, reviewers=experts[:2], actor=admin)
    declined = review_open(subject=subjects[1], rubric=application, reviewers=experts[:1], actor=admin)
    assignment_decline(assignment=declined.assignments.get(), reason="回避", actor=experts[0])
    assert {a.review.subject_repr for a in assigned_reviews(experts[0], status="todo")} == {
        "第1居民区党总支",
        "新桥镇党委",
    }
    assert [a.review.subject_repr for a in assigned_reviews(experts[0], status="done")] == ["第2居民区党总支"]
    everything = [a.review.subject_repr for a in assigned_reviews(experts[0])]
    assert everything[2] == "第2居民区党总支"  # work to do comes first
    assert pending_count(experts[0]) == 2
    assert pending_count(experts[1]) == 1
    assert pending_count(experts[2]) == 0


def test_an_open_review_past_its_deadline_is_overdue(town, admin, experts, subjects, client):
    rubric = make_rubric(town, admin)
    late = review_open(
        subject=subjects[0], rubric=rubric, reviewers=experts[:1], actor=admin, deadline=date(2020, 1, 1)
    )
    on_time = review_open(
        subject=subjects[1], rubric=rubric, reviewers=experts[:1], actor=admin, deadline=date(2999, 1, 1)
    )
    assert late.is_overdue and not on_time.is_overdue
    client.force_login(experts[0])
    assert client.get("/reviews/").content.decode().count("已逾期") == 1

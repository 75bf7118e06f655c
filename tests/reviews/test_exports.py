"""Every list of the reviews app exports to Excel exactly what its filters show, and only what the user may see."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from projectize.orgs.models import OrgKind, Role
from projectize.reviews.models import Assignment
from projectize.reviews.services import assignment_accept, review_close, review_open, sheet_submit
from tests.core.test_list_exports import rows_of
from tests.factories import make_org, make_root, user_with_role
from tests.reviews.factories import make_rubric, scored_review, showcase_spec

pytestmark = pytest.mark.django_db

EXPORT_BUTTON = "export=xlsx"


@pytest.fixture
def elsewhere(db):
    """Another town's committee, its admin, its expert, its rubric and a review of its own subject."""
    town = make_root("泗泾镇党委")
    admin = user_with_role(Role.TOWN_ADMIN, town, username="other-admin")
    expert = user_with_role(Role.REVIEWER, town, username="other-expert")
    subject = make_org(town, "泗泾居民区党总支", OrgKind.RESIDENTIAL)
    rubric = make_rubric(town, admin)
    review = scored_review(subject, rubric, admin, {expert: [20, 20, 20, 20, 20]})
    review_close(review=review, actor=admin)
    return {"admin": admin, "expert": expert, "rubric": rubric, "review": review}


def submit(review, reviewer, values):
    assignment = Assignment.objects.get(review=review, reviewer=reviewer)
    assignment_accept(assignment=assignment, actor=reviewer)
    criteria = list(review.rubric.criteria.all())
    sheet_submit(
        assignment=assignment,
        scores={c.pk: v for c, v in zip(criteria, values, strict=True)},
        comment="",
        actor=reviewer,
    )


def test_my_reviews_export_follows_the_tab_and_holds_only_my_assignments(client, town, admin, experts, subjects):
    rubric = make_rubric(town, admin)
    deadline = timezone.localdate() + datetime.timedelta(days=10)
    review_open(subject=subjects[0], rubric=rubric, reviewers=experts[:2], actor=admin, deadline=deadline)
    done = review_open(subject=subjects[1], rubric=rubric, reviewers=experts[:1], actor=admin)
    submit(done, experts[0], [18, 18, 18, 18, 18])
    # Another reviewer's assignment: never in expert 1's export.
    review_open(subject=subjects[2], rubric=rubric, reviewers=experts[1:2], actor=admin)

    client.force_login(experts[0])
    assert EXPORT_BUTTON in client.get("/reviews/", {"status": "done"}).content.decode()
    rows = rows_of(client.get("/reviews/", {"status": "done", "export": "xlsx"}))
    assert rows[0] == ("评审对象", "对象类型", "评分标准", "截止日期", "状态", "评审状态")
    assert rows[1:] == [("第2居民区党总支", "组织", rubric.name, None, "已评分", "评审中")]

    rows = rows_of(client.get("/reviews/", {"status": "todo", "export": "xlsx"}))
    assert [row[0] for row in rows[1:]] == ["第1居民区党总支"]
    assert rows[1][3] == datetime.datetime.combine(deadline, datetime.time())
    assert rows[1][4] == "待声明"
    all_rows = rows_of(client.get("/reviews/", {"status": "all", "export": "xlsx"}))
    assert sorted(row[0] for row in all_rows[1:]) == ["第1居民区党总支", "第2居民区党总支"]


def test_the_review_list_export_follows_the_status_and_the_committee(client, town, admin, experts, subjects, elsewhere):
    rubric = make_rubric(town, admin)
    closed = review_open(subject=subjects[0], rubric=rubric, reviewers=experts[:3], actor=admin)
    submit(closed, experts[0], [18, 18, 18, 18, 18])
    submit(closed, experts[1], [16, 16, 16, 16, 16])
    review_close(review=closed, actor=admin)
    review_open(subject=subjects[1], rubric=rubric, reviewers=experts[:1], actor=admin)  # still open

    client.force_login(admin)
    assert EXPORT_BUTTON in client.get("/reviews/all/", {"status": "closed"}).content.decode()
    rows = rows_of(client.get("/reviews/all/", {"status": "closed", "export": "xlsx"}))
    assert rows[0] == ("评审对象", "评分标准", "发起时间", "截止日期", "已评分", "评审专家", "状态")
    # The open review is filtered out; the other town's closed review is outside this admin's scope.
    assert [row[:2] + row[3:] for row in rows[1:]] == [("第1居民区党总支", rubric.name, None, 2, 3, "已结束")]
    opened = timezone.localtime(closed.created_at).replace(tzinfo=None)
    assert abs(rows[1][2] - opened) < datetime.timedelta(seconds=1)

    rows = rows_of(client.get("/reviews/all/", {"export": "xlsx"}))
    assert sorted(row[0] for row in rows[1:]) == ["第1居民区党总支", "第2居民区党总支"]
    client.force_login(experts[0])
    assert client.get("/reviews/all/", {"export": "xlsx"}).status_code == 403


def test_the_rubric_list_export_follows_the_filters_and_the_committee(client, town, admin, elsewhere):
    make_rubric(town, admin)
    make_rubric(town, admin, showcase_spec())

    client.force_login(admin)
    assert EXPORT_BUTTON in client.get("/reviews/rubrics/", {"purpose": "application"}).content.decode()
    rows = rows_of(client.get("/reviews/rubrics/", {"purpose": "application", "export": "xlsx"}))
    assert rows[0] == (
        "名称",
        "用途",
        "所属党委",
        "满分",
        "评分项",
        "汇总方式",
        "最高等级比例上限（%）",
        "已用于评审",
        "状态",
    )
    # The other town's application rubric (same name, used in a review) is not this admin's.
    assert rows[1:] == [("三型项目申报评审标准", "项目申报评审", town.name, 100, 5, "算术平均", None, 0, "在用")]

    rows = rows_of(client.get("/reviews/rubrics/", {"q": "展评", "export": "xlsx"}))
    assert rows[1:] == [
        ("年度展评评审标准", "年度展评", town.name, 100, 3, "总分去掉一个最高分和一个最低分后平均", 50, 0, "在用")
    ]

    client.force_login(elsewhere["admin"])
    rows = rows_of(client.get("/reviews/rubrics/", {"export": "xlsx"}))
    assert [(row[0], row[2], row[7]) for row in rows[1:]] == [("三型项目申报评审标准", "泗泾镇党委", 1)]
    client.force_login(elsewhere["expert"])
    assert client.get("/reviews/rubrics/", {"export": "xlsx"}).status_code == 403


def test_the_ranking_export_has_the_pages_rows_order_and_numbers(client, town, admin, experts, subjects, elsewhere):
    rubric = make_rubric(town, admin, showcase_spec())
    with time_machine.travel("2025-06-30 10:00 +0800", tick=False):
        scored_review(subjects[5], rubric, admin, {experts[0]: ["好", "好", 10]})  # last year's cohort
    scored_review(subjects[0], rubric, admin, {experts[0]: ["好", "好", 10]})  # 100
    scored_review(subjects[1], rubric, admin, {experts[0]: ["好", "较好", 10]})  # 94
    scored_review(subjects[2], rubric, admin, {experts[0]: ["好", "较好", 10]})  # 94
    scored_review(subjects[3], rubric, admin, {experts[0]: ["差", "差", 0]})  # 27
    review_open(subject=subjects[4], rubric=rubric, reviewers=[experts[1]], actor=admin)  # no sheet yet
    url = f"/reviews/rubrics/{rubric.pk}/ranking/"

    client.force_login(admin)
    page = client.get(url)
    assert EXPORT_BUTTON in page.content.decode()
    rows = rows_of(client.get(url, {"export": "xlsx"}))
    assert rows[0] == ("名次", "评审对象", "评分份数", "总分", "等级", "受比例限制前的等级", "评审状态")
    # The latest year by default, as on the page: 50% of 4 ranked is 2, so both tied at 94 fall.
    assert rows[1:] == [
        (1, "第1居民区党总支", 1, 100, "一等奖", None, "评审中"),
        (2, "第2居民区党总支", 1, 94, "二等奖", "一等奖", "评审中"),
        (2, "第3居民区党总支", 1, 94, "二等奖", "一等奖", "评审中"),
        (4, "第4居民区党总支", 1, 27, "优秀奖", None, "评审中"),
        (None, "第5居民区党总支", 0, None, None, None, "评审中"),
    ]
    on_page = [
        (r.rank, r.review.subject_repr, r.sheets, r.total, r.grade or None, r.grade_before_quota or None)
        for r in page.context["rows"]
    ]
    assert [row[:6] for row in rows[1:]] == on_page

    rows = rows_of(client.get(url, {"year": "2025", "export": "xlsx"}))
    assert rows[1:] == [(1, "第6居民区党总支", 1, 100, "二等奖", "一等奖", "评审中")]

    client.force_login(elsewhere["admin"])
    assert client.get(url, {"export": "xlsx"}).status_code == 404
    assert rows_of(client.get(f"/reviews/rubrics/{elsewhere['rubric'].pk}/ranking/", {"export": "xlsx"}))[1:] == [
        (1, "泗泾居民区党总支", 1, 100, "优秀", None, "已结束")
    ]


def test_exported_scores_are_numbers(client, town, admin, experts, subjects):
    rubric = make_rubric(town, admin)
    scored_review(subjects[0], rubric, admin, {experts[0]: ["17.5", 18, 16, 17, 18]})  # 86.5
    client.force_login(admin)
    rows = rows_of(client.get(f"/reviews/rubrics/{rubric.pk}/ranking/", {"export": "xlsx"}))
    assert rows[1][3] == Decimal("86.50")
    assert isinstance(rows[1][3], float)

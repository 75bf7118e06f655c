"""Pages, through HTTP: who sees what, errors beside fields, and what lands in the database."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.template import Context, Template
from django.test import RequestFactory

from projectize.orgs.models import Role
from projectize.reviews.models import Assignment, AssignmentStatus, Review, ReviewStatus, Rubric, ScoreSheet
from projectize.reviews.services import assignment_accept, review_open, sheet_submit
from tests.factories import PASSWORD, make_root, user_with_role
from tests.reviews.factories import make_rubric, scored_review, showcase_spec

pytestmark = pytest.mark.django_db


def rubric_post(**changes):
    """Form data for the rubric editor: five criteria of 20 and the four standard grades."""
    data = {
        "name": "新标准",
        "purpose": "application",
        "total": "100",
        "aggregation": "mean",
        "top_grade_quota": "",
        "coefficient_step": "0.05",
        "description": "",
        "criteria-TOTAL_FORMS": "5",
        "criteria-INITIAL_FORMS": "0",
        "grades-TOTAL_FORMS": "4",
        "grades-INITIAL_FORMS": "4",
    }
    for i, name in enumerate(["目标量化", "创新性", "可行性", "组织保障", "预期成效"]):
        data |= {f"criteria-{i}-name": name, f"criteria-{i}-weight": "20", f"criteria-{i}-bands": ""}
    for i, (name, minimum) in enumerate([("优秀", 90), ("良好", 80), ("合格", 60), ("不合格", 0)]):
        data |= {f"grades-{i}-name": name, f"grades-{i}-minimum": str(minimum)}
    return data | changes


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


def test_an_admin_creates_a_rubric_and_sees_the_weights_error_beside_the_total(admin_client, town):
    bad = rubric_post(**{"organization": town.pk, "criteria-4-weight": "15"})
    response = admin_client.post("/reviews/rubrics/new/", bad)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="error-total"' in page
    assert "各项分值之和为 95，与满分 100 不一致" in page
    assert Rubric.objects.count() == 0

    response = admin_client.post("/reviews/rubrics/new/", rubric_post(organization=town.pk))
    rubric = Rubric.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reviews/rubrics/{rubric.pk}/"
    assert [(c.position, c.name, c.weight) for c in rubric.criteria.all()] == [
        (n, name, Decimal(20)) for n, name in enumerate(["目标量化", "创新性", "可行性", "组织保障", "预期成效"], 1)
    ]
    assert [g.name for g in rubric.grades.all()] == ["优秀", "良好", "合格", "不合格"]


def test_row_errors_stand_beside_the_row_at_fault(admin_client, town):
    data = rubric_post(
        organization=town.pk,
        **{"criteria-1-bands": "好=1.5", "grades-1-minimum": "90", "criteria-2-name": "目标量化"},
    )
    page = admin_client.post("/reviews/rubrics/new/", data).content.decode()
    assert 'data-testid="error-criteria-1-bands"' in page
    # Band syntax is checked by the form first; the service's whole-rubric checks follow once rows are valid.
    data["criteria-1-bands"] = "好=1，较好=0.8"
    page = admin_client.post("/reviews/rubrics/new/", data).content.decode()
    assert 'data-testid="error-grades-1-minimum"' in page
    assert "等级区间重叠" in page
    assert 'data-testid="error-criteria-2-name"' in page
    assert Rubric.objects.count() == 0


def test_editing_keeps_unchanged_rows_and_drops_deleted_ones(admin_client, town, admin):
    rubric = make_rubric(town, admin)
    page = admin_client.get(f"/reviews/rubrics/{rubric.pk}/edit/")
    assert page.status_code == 200
    data = rubric_post(
        name=rubric.name,
        **{
            "criteria-INITIAL_FORMS": "5",
            "criteria-TOTAL_FORMS": "6",
            "criteria-0-weight": "40",
            "criteria-4-DELETE": "on",
            "criteria-5-name": "",
        },
    )
    response = admin_client.post(f"/reviews/rubrics/{rubric.pk}/edit/", data)
    assert response.status_code == 302
    assert [(c.name, c.weight) for c in rubric.criteria.all()] == [
        ("目标量化", Decimal(40)),
        ("创新性", Decimal(20)),
        ("可行性", Decimal(20)),
        ("组织保障", Decimal(20)),
    ]


def test_a_rubric_in_use_cannot_be_edited_but_can_be_copied(admin_client, town, admin, experts, subjects):
    rubric = make_rubric(town, admin)
    review_open(subject=subjects[0], rubric=rubric, reviewers=experts[:1], actor=admin)
    response = admin_client.get(f"/reviews/rubrics/{rubric.pk}/edit/", follow=True)
    assert "已用于评审，不能再修改" in response.content.decode()
    response = admin_client.post(f"/reviews/rubrics/{rubric.pk}/copy/", {"name": "2027 年申报评审标准"})
    copy = Rubric.objects.get(name="2027 年申报评审标准")
    assert response["Location"] == f"/reviews/rubrics/{copy.pk}/"
    assert admin_client.get(f"/reviews/rubrics/{copy.pk}/edit/").status_code == 200


def test_a_reviewer_declares_then_scores_and_the_sheet_is_stored(client, town, admin, experts, subjects):
    rubric = make_rubric(town, admin, showcase_spec())
    review = review_open(subject=subjects[0], rubric=rubric, reviewers=experts[:2], actor=admin)
    assignment = Assignment.objects.get(review=review, reviewer=experts[0])
    url = f"/reviews/assignments/{assignment.pk}/"
    client.force_login(experts[0])
    page = client.get(url).content.decode()
    assert "利益冲突声明" in page and 'data-testid="score-form"' not in page
    page = client.post(url, {"action": "declare"}).content.decode()
    assert "请勾选承诺后再继续" in page
    client.post(url, {"action": "declare", "declare-no_conflict": "on"})
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ACCEPTED
    page = client.get(url).content.decode()
    assert 'data-testid="score-form"' in page and "较好（系数 0.8）" in page
    criteria = list(rubric.criteria.all())
    scores = {f"score-score_{criteria[0].pk}": "好", f"score-score_{criteria[1].pk}": "一般"}
    page = client.post(url, {"action": "score", **scores, f"score-score_{criteria[2].pk}": "11"}).content.decode()
    assert f'data-testid="error-score_{criteria[2].pk}"' in page
    assert not ScoreSheet.objects.exists()
    client.post(url, {"action": "score", **scores, f"score-score_{criteria[2].pk}": "7.5", "score-comment": "扎实"})
    sheet = ScoreSheet.objects.get(assignment=assignment)
    assert (sheet.total, sheet.comment) == (Decimal("85.50"), "扎实")  # 60 + 18 + 7.5
    assert [(s.band, s.value) for s in sheet.scores.all()] == [
        ("好", Decimal("60.00")),
        ("一般", Decimal("18.00")),
        ("", Decimal("7.50")),
    ]
    assert 'data-testid="my-sheet"' in client.get(url).content.decode()


def test_a_reviewer_declines_with_a_reason(client, town, admin, experts, subjects):
    review = review_open(subject=subjects[0], rubric=make_rubric(town, admin), reviewers=experts[:1], actor=admin)
    assignment = review.assignments.get()
    client.force_login(experts[0])
    client.post(f"/reviews/assignments/{assignment.pk}/", {"action": "decline", "decline-reason": "系该组织党员"})
    assignment.refresh_from_db()
    assert (assignment.status, assignment.decline_reason) == (AssignmentStatus.DECLINED, "系该组织党员")


def test_declaring_and_scoring_are_not_taken_without_their_forms(client, town, admin, experts, subjects):
    """The step endpoint refuses the declaration (its promise is ticked on the scoring page) and the sheet."""
    review = review_open(subject=subjects[0], rubric=make_rubric(town, admin), reviewers=experts[:2], actor=admin)
    assignment = Assignment.objects.get(review=review, reviewer=experts[0])
    client.force_login(experts[0])
    page = client.post(f"/workflow/reviews.assignment/{assignment.pk}/declare/", follow=True).content.decode()
    assert "“承诺无利益冲突”需在其表单中填写后提交。" in page
    assignment.refresh_from_db()
    assert (assignment.status, assignment.declared_at) == (AssignmentStatus.PENDING, None)
    assignment = assignment_accept(assignment=assignment, actor=experts[0])
    client.post(f"/workflow/reviews.assignment/{assignment.pk}/submit/")
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ACCEPTED and not ScoreSheet.objects.exists()
    # Another reviewer's assignment is out of sight.
    client.force_login(experts[1])
    assert client.post(f"/workflow/reviews.assignment/{assignment.pk}/decline/", {"note": "x"}).status_code == 404
    # Declining needs only a reason: the reviewer may decline from the step endpoint too; whoever opened
    # the review is told, with a link to the review.
    client.force_login(experts[0])
    client.post(f"/workflow/reviews.assignment/{assignment.pk}/decline/", {"note": "系该组织党员"})
    assignment.refresh_from_db()
    assert (assignment.status, assignment.decline_reason) == (AssignmentStatus.DECLINED, "系该组织党员")
    notice = admin.notifications.get(verb="review.declined")
    assert notice.url == review.get_absolute_url()


def test_the_review_page_says_what_staff_do_next(admin_client, town, admin, experts, subjects):
    rubric = make_rubric(town, admin)
    review = review_open(subject=subjects[0], rubric=rubric, reviewers=experts[:2], actor=admin)
    page = admin_client.get(f"/reviews/{review.pk}/").content.decode()
    assert "等待评审专家承诺无利益冲突并评分。" in page and 'data-status="open"' in page
    assignment = assignment_accept(assignment=review.assignments.get(reviewer=experts[0]), actor=experts[0])
    sheet_submit(assignment=assignment, scores={c.pk: 18 for c in rubric.criteria.all()}, actor=experts[0])
    page = admin_client.get(f"/reviews/{review.pk}/").content.decode()
    assert "已收到 1 份评分。全部专家评分后请结束评审，结果随之确定。" in page
    assert 'data-testid="confirm-close"' in page
    history = page[page.index("评审记录") :]
    assert history.index("提交评分") < history.index("承诺无利益冲突") < history.index("发起评审")


def test_reviewers_see_only_their_own_assignments(client, town, admin, experts, subjects, outsider):
    review = review_open(subject=subjects[0], rubric=make_rubric(town, admin), reviewers=experts[:1], actor=admin)
    assignment = review.assignments.get()
    for intruder in (experts[1], outsider):
        client.force_login(intruder)
        assert client.get(f"/reviews/assignments/{assignment.pk}/").status_code == 404
        assert client.post(f"/reviews/assignments/{assignment.pk}/", {"action": "declare"}).status_code == 404
        assert "第1居民区党总支" not in client.get("/reviews/?status=all").content.decode()
        assert client.get(f"/reviews/{review.pk}/").status_code == 404
    client.force_login(experts[0])
    assert "第1居民区党总支" in client.get("/reviews/").content.decode()
    assert client.get(f"/reviews/{review.pk}/").status_code == 404  # the result is for staff


def test_staff_pages_are_for_the_committees_own_admins(client, town, admin, experts, subjects):
    rubric = make_rubric(town, admin)
    review = review_open(subject=subjects[0], rubric=rubric, reviewers=experts[:1], actor=admin)
    client.force_login(experts[0])
    assert client.get("/reviews/rubrics/").status_code == 403
    assert client.get("/reviews/rubrics/new/").status_code == 403
    other_admin = user_with_role(Role.TOWN_ADMIN, make_root("泗泾镇党委"))
    client.force_login(other_admin)
    assert rubric.name not in client.get("/reviews/rubrics/").content.decode()
    assert client.get(f"/reviews/rubrics/{rubric.pk}/").status_code == 404
    assert client.get(f"/reviews/{review.pk}/").status_code == 404
    assert client.post(f"/workflow/reviews.review/{review.pk}/close/").status_code == 404
    assert client.post(f"/reviews/rubrics/{rubric.pk}/copy/").status_code == 404
    subject_type = ContentType.objects.get_for_model(subjects[0])
    assert client.get(f"/reviews/open/{subject_type.pk}/{subjects[0].pk}/").status_code == 404


def test_staff_open_a_review_from_any_object_and_close_it(admin_client, town, admin, experts, subjects):
    rubric = make_rubric(town, admin)
    subject_type = ContentType.objects.get_for_model(subjects[0])
    url = f"/reviews/open/{subject_type.pk}/{subjects[0].pk}/?purpose=application&next=/orgs/"
    page = admin_client.get(url).content.decode()
    assert rubric.name in page and str(experts[0]) in page
    page = admin_client.post(url, {"rubric": rubric.pk, "reviewers": [experts[0].pk], "deadline": "2020-01-01"})
    assert "截止日期不能早于今天" in page.content.decode() and not Review.objects.exists()
    response = admin_client.post(
        url, {"rubric": rubric.pk, "reviewers": [experts[0].pk, experts[1].pk], "deadline": "2999-12-31"}
    )
    assert response["Location"] == "/orgs/"
    review = Review.objects.get()
    assert (review.subject, review.deadline) == (subjects[0], date(2999, 12, 31))
    assert {a.reviewer for a in review.assignments.all()} == set(experts[:2])
    page = admin_client.get(f"/reviews/{review.pk}/").content.decode()
    assert "还没有评审专家提交评分，不能结束评审。" in page and 'data-testid="blocked-close"' in page
    close = f"/workflow/reviews.review/{review.pk}/close/"
    assert "还没有评审专家提交评分" in admin_client.post(close, follow=True).content.decode()
    assignment = assignment_accept(assignment=review.assignments.get(reviewer=experts[0]), actor=experts[0])
    sheet_submit(assignment=assignment, scores={c.pk: 18 for c in rubric.criteria.all()}, comment="", actor=experts[0])
    page = admin_client.get(f"/reviews/{review.pk}/").content.decode()
    assert 'data-testid="result-total"' in page and "90.00" in page
    admin_client.post(f"/reviews/{review.pk}/", {"reviewers": [experts[2].pk]})
    assert review.assignments.count() == 3
    admin_client.post(close)
    review.refresh_from_db()
    assert review.status == ReviewStatus.CLOSED


def test_the_review_panel_shows_staff_the_result_and_reviewers_their_task(town, admin, experts, subjects):
    rubric = make_rubric(town, admin)
    scored_review(subjects[0], rubric, admin, {experts[0]: [18, 18, 18, 18, 17]})
    template = Template('{% load review_tags %}{% review_panel subject purpose="application" %}')

    def render(user, subject):
        request = RequestFactory().get("/somewhere/")
        request.user = user
        return template.render(Context({"request": request, "subject": subject}))

    staff_view = render(admin, subjects[0])
    assert "89.00" in staff_view and "良好" in staff_view
    assert "/reviews/open/" not in staff_view  # one open review per subject and rubric at a time
    assert "/reviews/open/" in render(admin, subjects[1])
    reviewer_view = render(experts[0], subjects[0])
    assert "查看我的评分" in reviewer_view and "89.00" not in reviewer_view
    assert render(experts[1], subjects[0]).strip() == ""


def test_the_home_page_counts_pending_reviews(client, town, admin, experts, subjects):
    rubric = make_rubric(town, admin)
    for subject in subjects[:3]:
        review_open(subject=subject, rubric=rubric, reviewers=experts[:1], actor=admin)
    assert client.login(username=experts[0].username, password=PASSWORD)
    page = client.get("/").content.decode()
    assert "待您评审" in page and "/reviews/" in page


def test_the_link_to_the_subjects_page_shows_only_if_the_reviewer_may_view_it(client, town, admin, experts, subjects):
    member = user_with_role(Role.ORG_STAFF, subjects[0], username="member")
    review = review_open(
        subject=subjects[0], rubric=make_rubric(town, admin), reviewers=[experts[0], member], actor=admin
    )
    for reviewer, shown in ((experts[0], False), (member, True)):
        assignment = assignment_accept(assignment=review.assignments.get(reviewer=reviewer), actor=reviewer)
        client.force_login(reviewer)
        page = client.get(f"/reviews/assignments/{assignment.pk}/").content.decode()
        assert "第1居民区党总支" in page
        assert (f'href="{subjects[0].get_absolute_url()}"' in page) is shown

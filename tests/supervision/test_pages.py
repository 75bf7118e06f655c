import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from projectize.projects.models import ProgressReport, ReportStatus
from projectize.supervision.models import (
    Activity,
    Finding,
    ItemStatus,
    Letter,
    LetterItem,
    LetterStatus,
    ProjectWarning,
)
from projectize.supervision.services import item_answer, letter_acknowledge, letter_send
from tests.factories import PASSWORD
from tests.supervision.factories import draft_letter, world

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def w():
    return world()


def login(client, username):
    assert client.login(username=username, password=PASSWORD)


def test_another_organization_cannot_see_or_answer_a_letter(client, w):
    letter = letter_acknowledge(letter=letter_send(letter=draft_letter(w), actor=w.admin), actor=w.secretary)
    item = letter.items.get(number=1)
    login(client, "othersec")
    assert client.get(letter.get_absolute_url()).status_code == 404
    assert client.get(f"/supervision/items/{item.pk}/answer/").status_code == 404
    response = client.post(f"/supervision/items/{item.pk}/answer/", {"action_taken": "冒名回复"})
    assert response.status_code == 404
    # The step endpoint answers as the letter's own pages do: outside the user's letters, nothing is there.
    assert client.post(f"/workflow/supervision.letteritem/{item.pk}/answer/", {"note": "x"}).status_code == 404
    item.refresh_from_db()
    assert item.status == ItemStatus.OPEN and item.action_taken == ""


def test_an_item_is_answered_only_through_its_form(client, w):
    letter = letter_acknowledge(letter=letter_send(letter=draft_letter(w), actor=w.admin), actor=w.secretary)
    item = letter.items.get(number=1)
    login(client, "sec")
    response = client.post(f"/workflow/supervision.letteritem/{item.pk}/answer/", {"note": "x"}, follow=True)
    assert "需在其表单中填写后提交" in response.content.decode()
    item.refresh_from_db()
    assert item.status == ItemStatus.OPEN and item.action_taken == "" and item.answered_by is None


def test_each_side_is_told_its_next_step_and_sees_the_state_badge(client, w):
    def banner(username, letter):
        login(client, username)
        page = client.get(letter.get_absolute_url()).content.decode()
        found = re.search(r'data-testid="next-step">([^<]*)<', page)
        assert found is not None
        return found.group(1), page

    letter = draft_letter(w)
    text, page = banner("admin", letter)
    assert text.startswith("下一步：逐条列出问题") and 'data-status="draft"' in page
    letter = letter_send(letter=letter, actor=w.admin)
    assert banner("sec", letter)[0] == "请先签收本函，然后逐条回复整改情况。"
    assert banner("admin", letter)[0] == "已发出，等待受函组织签收。"
    letter = letter_acknowledge(letter=letter, actor=w.secretary)
    text, page = banner("sec", letter)
    assert text.startswith("还有 2 项待回复") and 'data-status="acknowledged"' in page
    assert page.count('data-status="open"') == 2
    assert banner("admin", letter)[0].startswith("受函组织回复后，请逐条核查")
    for item in letter.items.all():
        item_answer(item=item, action_taken="已整改", actor=w.secretary)
    assert banner("sec", letter)[0] == "已全部回复，等待镇党委核查。"


def test_staff_cannot_answer_in_the_organizations_name(client, w):
    letter = letter_acknowledge(letter=letter_send(letter=draft_letter(w), actor=w.admin), actor=w.secretary)
    item = letter.items.get(number=1)
    login(client, "admin")
    assert client.post(f"/supervision/items/{item.pk}/answer/", {"action_taken": "代为回复"}).status_code == 403
    assert LetterItem.objects.get(pk=item.pk).action_taken == ""


def test_drafts_are_not_shown_to_the_organization(client, w):
    letter = draft_letter(w)
    login(client, "sec")
    assert client.get(letter.get_absolute_url()).status_code == 404


def test_staff_record_an_activity_with_photos_and_a_finding(client, w):
    login(client, "admin")
    response = client.post(
        "/supervision/activities/new/",
        {
            "kind": "site_visit",
            "title": "春申居民区实地察看",
            "date": "2026-05-06",
            "participants": [w.leader.pk],
            "photos": [SimpleUploadedFile("现场.png", PNG, content_type="image/png")],
        },
    )
    activity = Activity.objects.get()
    assert response.status_code == 302 and list(activity.participants.all()) == [w.leader]
    response = client.post(activity.get_absolute_url(), {"project": w.project.pk, "text": "议事记录不全"})
    assert response.status_code == 302
    assert Finding.objects.get().text == "议事记录不全"
    page = client.get(activity.get_absolute_url()).content.decode()
    assert "现场.png" in page and "据此发反馈函" in page
    calendar = client.get("/supervision/calendar/?month=2026-05").content.decode()
    assert "春申居民区实地察看" in calendar


def test_a_photo_that_is_not_an_image_is_refused_beside_the_field(client, w):
    login(client, "admin")
    response = client.post(
        "/supervision/activities/new/",
        {"kind": "forum", "title": "座谈", "date": "2026-05-06", "photos": [SimpleUploadedFile("a.png", b"text")]},
    )
    assert 'data-testid="error-photos"' in response.content.decode()
    assert not Activity.objects.exists()


def test_a_past_deadline_is_refused_beside_the_field(client, w):
    letter = draft_letter(w, items=0)
    login(client, "admin")
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    response = client.post(letter.get_absolute_url(), {"problem": "p", "requirement": "r", "deadline": yesterday})
    assert 'data-testid="error-deadline"' in response.content.decode()
    assert not LetterItem.objects.exists()


def _letters(w, n):
    for _ in range(n):
        letter = Letter.objects.create(
            issuer=w.committee,
            organization=w.org,
            project=w.project,
            prefix="新桥督函",
            title="反馈函",
            body="正文",
            status=LetterStatus.SENT,
            created_by=w.admin,
        )
        LetterItem.objects.create(letter=letter, number=1, problem="p", requirement="r", deadline=datetime.date.today())


def _activities(w, n):
    for i in range(n):
        activity = Activity.objects.create(
            organization=w.committee,
            kind="forum",
            title="座谈",
            date=datetime.date(2026, 5, 1 + i % 28),
            created_by=w.admin,
        )
        Finding.objects.create(activity=activity, project=w.project, text="t")


def _warnings(w, n):
    start = ProgressReport.objects.count()
    reports = ProgressReport.objects.bulk_create(
        ProgressReport(
            project=w.project, number=start + i + 1, due_date=datetime.date(2026, 1, 1), status=ReportStatus.DUE
        )
        for i in range(n)
    )
    from projectize.supervision.services import rule_save

    rule = rule_save(
        organization=w.committee, kind="overdue_report", level="reminder", days=0, is_active=True, actor=w.admin
    )
    ProjectWarning.objects.bulk_create(
        ProjectWarning(
            rule=rule,
            level="reminder",
            organization=w.org,
            project=w.project,
            cause=f"report:{r.pk}",
            message="m",
            raised_on=datetime.date(2026, 2, 1),
        )
        for r in reports
    )


@pytest.mark.parametrize(
    ("url", "make", "user"),
    [
        ("/supervision/letters/", _letters, "admin"),
        ("/supervision/letters/", _letters, "sec"),
        ("/supervision/", _activities, "admin"),
        ("/supervision/calendar/?month=2026-05", _activities, "admin"),
        ("/supervision/warnings/", _warnings, "admin"),
    ],
)
def test_list_queries_stay_flat_as_rows_grow(client, django_assert_max_num_queries, w, url, make, user):
    login(client, user)
    make(w, 10)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    make(w, 990)
    with django_assert_max_num_queries(len(small)):
        assert client.get(url).status_code == 200


def test_the_organization_is_told_on_its_home_page_and_staff_when_answers_wait(client, w):
    letter = letter_acknowledge(letter=letter_send(letter=draft_letter(w), actor=w.admin), actor=w.secretary)
    login(client, "sec")
    assert "待签收或待回复的反馈函" in client.get("/").content.decode()
    from projectize.supervision.services import item_answer

    item_answer(item=letter.items.get(number=1), action_taken="已整改", actor=w.secretary)
    login(client, "admin")
    assert "待核查的整改回复" in client.get("/").content.decode()


def test_staff_record_accountability_and_see_the_summary(client, w):
    login(client, "admin")
    response = client.post(
        "/supervision/accountability/new/",
        {"organization": w.org.pk, "project": w.project.pk, "date": "2026-05-06", "measure": "talk", "reason": "逾期"},
    )
    assert response.status_code == 302
    page = client.get(f"/supervision/accountability/organizations/{w.org.pk}/?year=2026").content.decode()
    assert "约谈" in page
    response = client.post(
        "/supervision/accountability/new/",
        {
            "organization": w.other_org.pk,
            "project": w.project.pk,
            "date": "2026-05-06",
            "measure": "talk",
            "reason": "x",
        },
    )
    assert "所选项目不属于被问责组织" in response.content.decode()
    login(client, "othersec")
    assert client.get(f"/supervision/accountability/organizations/{w.org.pk}/").status_code == 404


def test_evidence_files_are_served_only_to_those_who_may_see_the_letter(client, w):
    from projectize.core.models import Attachment
    from projectize.supervision.services import item_answer

    letter = letter_acknowledge(letter=letter_send(letter=draft_letter(w), actor=w.admin), actor=w.secretary)
    evidence = SimpleUploadedFile("整改照片.png", PNG, content_type="image/png")
    item_answer(item=letter.items.get(number=1), action_taken="已整改", evidence=[evidence], actor=w.secretary)
    url = f"/files/{Attachment.objects.get(purpose='evidence').pk}/"
    for username, status in (("sec", 200), ("admin", 200), ("othersec", 404)):
        login(client, username)
        assert client.get(url).status_code == status, username


def test_a_leader_gives_guidance_and_only_the_projects_organization_reads_the_record(client, w):
    from projectize.core.models import Notification

    login(client, "leader")
    response = client.post(
        f"/supervision/projects/{w.project.pk}/guidance/new/", {"date": "2026-05-06", "content": "固化为议事规则"}
    )
    assert response.status_code == 302 and w.project.guidance_notes.get().author == w.leader
    assert any(n.heading.startswith("指导意见") for n in Notification.objects.filter(recipient=w.secretary))
    login(client, "sec")
    assert "固化为议事规则" in client.get(f"/supervision/projects/{w.project.pk}/").content.decode()
    assert client.get(f"/supervision/projects/{w.project.pk}/guidance/new/").status_code == 404
    login(client, "othersec")
    assert client.get(f"/supervision/projects/{w.project.pk}/").status_code == 404


def test_the_letter_and_warning_lists_export_what_they_show(client, w):
    import io

    from openpyxl import load_workbook

    sent = letter_send(letter=draft_letter(w), actor=w.admin)
    draft_letter(w)  # still a draft: filtered out below
    _warnings(w, 3)
    login(client, "admin")

    def rows(url: str) -> list[tuple]:
        response = client.get(url)
        workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
        return list(workbook.active.iter_rows(values_only=True))[1:]

    letters = rows(f"/supervision/letters/?status={sent.status}&export=xlsx")
    assert [(row[0], row[5]) for row in letters] == [(sent.number, 2)]
    assert len(rows("/supervision/warnings/?level=reminder&export=xlsx")) == 3
    assert rows("/supervision/warnings/?level=circular&export=xlsx") == []
    _activities(w, 2)
    assert len(rows("/supervision/?export=xlsx")) == 2
    # The addressed organization's secretary sees its own letter only; another organization sees none.
    login(client, "othersec")
    assert rows("/supervision/letters/?export=xlsx") == []


def test_the_warning_list_narrows_to_an_organization_subtree_and_a_year(client, w):
    _warnings(w, 2)
    earliest = ProjectWarning.objects.order_by("pk")[:1]
    ProjectWarning.objects.filter(pk__in=earliest.values("pk")).update(raised_on=datetime.date(2025, 3, 1))
    login(client, "leader")

    def shown(query: dict) -> int:
        response = client.get("/supervision/warnings/", query)
        assert response.status_code == 200
        return response.context["page"].paginator.count

    assert shown({}) == 2
    assert shown({"organization": w.org.pk}) == 2
    assert shown({"organization": w.other_org.pk}) == 0
    assert shown({"organization": w.committee.pk, "year": 2025}) == 1
    assert shown({"organization": w.org.pk, "year": 2025, "level": "caution"}) == 0
    # A secretary may not filter to an organization outside their own: the field says so.
    login(client, "othersec")
    response = client.get("/supervision/warnings/", {"organization": w.org.pk})
    assert response.context["form"].has_error("organization") and response.context["page"].paginator.count == 0

"""Staff act on the 督办 list: 催办 tells the project's people, 督办 is recorded with a note; both are
logged, shown on the row, and refused to anyone who does not supervise the project."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from projectize.core.home import collect_cards
from projectize.core.models import ActivityLog, Notification
from projectize.projects.models import Milestone, ProgressReport, ProjectStatus
from projectize.supervision.models import FollowUp, FollowUpKind
from projectize.supervision.services import follow_up
from tests.projects.factories import make_project

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


@pytest.fixture
def late(org):
    project = make_project(org, status=ProjectStatus.IN_PROGRESS, code="2026-SF-001", title="楼组微议事")
    report = ProgressReport.objects.create(project=project, number=1, due_date=TODAY - datetime.timedelta(days=20))
    return project, report


def test_staff_send_a_reminder_and_record_follow_up_from_the_list(client, late, admin, secretary):
    project, report = late
    client.force_login(admin)
    page = client.get("/projects/overdue/").content.decode()
    assert "严重逾期" in page and "尚未督办" in page and "催办" in page
    client.post(
        f"/supervision/projects/{project.pk}/follow-up/",
        {"item": f"report:{report.pk}", "kind": "remind", "note": "请本周内提交", "next": "/projects/overdue/"},
    )
    remind = FollowUp.objects.get()
    assert (remind.kind, remind.item, remind.actor) == (FollowUpKind.REMIND, f"report:{report.pk}", admin)
    assert Notification.objects.filter(recipient=secretary, verb="followup.remind").exists()
    assert ActivityLog.objects.filter(action="followup.remind", target_id=str(project.pk)).exists()

    # 督办 without saying what was done is refused; with a note it is kept and shown on the row.
    client.post(f"/supervision/projects/{project.pk}/follow-up/", {"item": f"report:{report.pk}", "kind": "record"})
    assert FollowUp.objects.count() == 1
    response = client.post(
        f"/supervision/projects/{project.pk}/follow-up/",
        {"item": f"report:{report.pk}", "kind": "record", "note": "电话督促书记，答复周五前提交"},
        follow=True,
    )
    assert FollowUp.objects.filter(kind=FollowUpKind.RECORD, note="电话督促书记，答复周五前提交").exists()
    assert "电话督促书记，答复周五前提交" in response.content.decode()


def test_the_organization_cannot_follow_up_its_own_items(client, late, secretary):
    project, report = late
    client.force_login(secretary)
    assert "发送催办" not in client.get("/projects/overdue/").content.decode()
    response = client.post(
        f"/supervision/projects/{project.pk}/follow-up/", {"item": f"report:{report.pk}", "kind": "remind"}
    )
    assert response.status_code == 404
    assert not FollowUp.objects.exists()


def test_an_item_no_longer_overdue_is_not_followed_up(late, admin):
    project, _report = late
    milestone = Milestone.objects.filter(project=project).earliest("due_date")
    with pytest.raises(ValidationError, match="不再逾期"):
        follow_up(project=project, item=f"milestone:{milestone.pk}", kind="remind", actor=admin)
    assert not FollowUp.objects.exists()


def test_the_list_costs_the_same_queries_for_more_items(client, late, org, admin, django_assert_max_num_queries):
    client.force_login(admin)
    client.get("/projects/overdue/")
    for n in range(20):
        other = make_project(org, status=ProjectStatus.IN_PROGRESS, code=f"2026-SF-1{n:02d}")
        ProgressReport.objects.create(project=other, number=1, due_date=TODAY - datetime.timedelta(days=3))
    with django_assert_max_num_queries(20):
        assert client.get("/projects/overdue/").status_code == 200


def test_the_home_card_counts_overdue_and_long_overdue_items_in_sql(late, admin):
    project, _report = late
    Milestone.objects.filter(project=project).update(due_date=TODAY - datetime.timedelta(days=2))
    card = next(c for c in collect_cards(admin) if c.title == "逾期事项")
    assert card.count == 3 and card.hint == "其中严重逾期 1 项"


def test_an_english_reader_sees_the_organizations_overdue_items_in_english(client, late, org, admin):
    client.force_login(admin)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("orgs:detail", args=[org.pk])).content.decode()
    assert "楼组微议事</a>: Progress report 1, 20 days overdue" in page
    assert "期进展报告" not in page and "逾期" not in page

"""Calls, discussions, 五定, schedules, change requests and home cards through their pages."""

import datetime

import pytest
from django.urls import reverse

from projectize.core.home import collect_cards
from projectize.core.models import ActivityLog
from projectize.projects.models import Call, CallStatus, DiscussionItem, ProjectStatus, ReportStatus
from projectize.projects.workflows import PROJECT
from tests.projects.factories import fill_five_fixed, make_call, make_project, phase_dates, responsible

pytestmark = pytest.mark.django_db


def call_post(**changes):
    dates = {name: value.isoformat() for name, value in phase_dates("application").items()}
    return {"year": "2027", "title": "2027年度三型党建项目申报", "report_interval_days": "60", **dates, **changes}


def test_staff_create_and_open_a_call_and_bad_dates_are_refused(client, town, admin, secretary):
    client.force_login(admin)
    bad = client.post(reverse("projects:call_new"), call_post(review_start="2000-01-01"))
    assert "各阶段日期须按申报、评审、实施、考评的顺序先后排列" in bad.content.decode()
    assert not Call.objects.exists()
    created = client.post(reverse("projects:call_new"), call_post())
    call = Call.objects.get()
    assert created["Location"] == call.get_absolute_url()
    assert (call.status, call.organization, call.report_interval_days) == (CallStatus.DRAFT, town, 60)

    # A secretary can neither see the unpublished call nor publish it: to them it does not exist.
    client.force_login(secretary)
    assert client.get(call.get_absolute_url()).status_code == 404
    open_url = reverse("core:transition", args=["projects.call", call.pk, "open"])
    assert client.post(open_url, {"next": "/"}).status_code == 404
    client.force_login(admin)
    client.post(open_url, {"next": call.get_absolute_url()})
    call.refresh_from_db()
    assert call.status == CallStatus.OPEN
    client.force_login(secretary)
    page = client.get(call.get_absolute_url()).content.decode()
    assert "申报阶段" in page and reverse("projects:apply", args=[call.pk]) in page


def test_a_discussion_round_records_attendees_minutes_and_an_outcome_per_application(
    client, town, org, other_org, admin, leader
):
    call = make_call(town, 2026, phase="review")
    first = make_project(org, call, status=ProjectStatus.UNDER_REVIEW, title="甲")
    second = make_project(other_org, call, status=ProjectStatus.SUBMITTED, title="乙")
    client.force_login(admin)
    url = reverse("projects:discussion_new", args=[call.pk])
    empty = client.post(
        url, {"held_on": "2026-05-10", "title": "第一次研究", "attendees": [leader.pk], "minutes": "讨论"}
    )
    assert "请至少为一个申报项目填写讨论结果" in empty.content.decode()
    client.post(
        url,
        {
            "held_on": "2026-05-10",
            "title": "党委会第一次研究讨论",
            "attendees": [leader.pk, admin.pk],
            "minutes": "逐项讨论。",
            f"outcome_{first.pk}": "recommend",
            f"note_{first.pk}": "评分高",
            f"outcome_{second.pk}": "revise",
        },
    )
    items = DiscussionItem.objects.order_by("project__title")
    assert [(i.project.title, i.outcome) for i in items] == [("乙", "revise"), ("甲", "recommend")]
    assert set(items[0].discussion.attendees.all()) == {leader, admin}
    assert ActivityLog.objects.filter(target_id=str(first.pk), action="project.discussed").exists()
    assert "党委会第一次研究讨论" in client.get(first.get_absolute_url()).content.decode()


def test_the_five_fixed_page_says_what_is_missing_until_complete(client, town, org, secretary, leader):
    call = make_call(town, 2026, phase="implementation")
    project = make_project(org, call, status=ProjectStatus.APPROVED, code="2026-SF-001")
    client.force_login(secretary)
    url = reverse("projects:five_fixed", args=[project.pk])
    page = client.get(url).content.decode()
    assert "请补充五定信息" in page and "定牵头领导" in page
    management = {"team-TOTAL_FORMS": "2", "team-INITIAL_FORMS": "0", "ms-TOTAL_FORMS": "2", "ms-INITIAL_FORMS": "0"}
    # The second planned step is struck out.
    milestones = {"ms-0-title": "成立议事会", "ms-0-due_date": "2026-09-01", "ms-1-DELETE": "on"}
    response = client.post(
        url,
        {**management, **milestones, "responsible": secretary.pk, "team-0-name": "李红梅", "team-0-role": "宣传"},
        follow=True,
    )
    assert "定牵头领导：请选择一位党委领导" in response.content.decode()
    # The page now shows the saved rows as initial rows (as a browser would send them back).
    management |= {"team-INITIAL_FORMS": "1", "ms-TOTAL_FORMS": "1", "ms-INITIAL_FORMS": "1"}
    milestones = {"ms-0-title": "成立议事会", "ms-0-due_date": "2026-09-01"}
    client.post(
        url,
        {
            **management,
            **milestones,
            "lead_leader": leader.pk,
            "responsible": secretary.pk,
            "team-0-name": "李红梅",
            "team-0-role": "宣传",
        },
    )
    project.refresh_from_db()
    assert (project.lead_leader, project.responsible) == (leader, secretary)
    assert list(project.team.values_list("name", "role")) == [("李红梅", "宣传")]
    assert list(project.milestones.values_list("title", flat=True)) == ["成立议事会"]
    start = reverse("core:transition", args=["projects.project", project.pk, "start"])
    client.post(start, {"next": project.get_absolute_url()})
    project.refresh_from_db()
    assert project.status == ProjectStatus.IN_PROGRESS


def running(town, org, leader):
    call = make_call(town, 2026, phase="implementation")
    project = fill_five_fixed(make_project(org, call, status=ProjectStatus.APPROVED, code="2026-SF-001"), leader)
    return PROJECT.apply(project, "start", actor=responsible(project))


def test_staff_set_the_report_schedule_and_others_cannot(client, town, org, leader, admin, secretary):
    project = running(town, org, leader)
    before = project.reports.count()
    url = reverse("projects:schedule", args=[project.pk])
    client.force_login(secretary)
    assert client.post(url, {"interval_days": "30"}).status_code == 403
    client.force_login(admin)
    client.post(url, {"interval_days": "30"})
    project.refresh_from_db()
    assert project.report_interval_days == 30
    assert project.reports.filter(status=ReportStatus.DUE).count() > before
    first_due = project.reports.order_by("number").first()
    assert first_due is not None and first_due.due_date == datetime.date.today() + datetime.timedelta(days=30)


def test_home_cards_count_the_users_pending_work(town, org, admin, secretary):
    call = make_call(town, 2026)
    make_project(org, call, status=ProjectStatus.SUBMITTED, title="待审")
    make_project(org, call, title="草稿")
    staff_cards = {c.title: c.count for c in collect_cards(admin)}
    secretary_cards = {c.title: c.count for c in collect_cards(secretary)}
    assert staff_cards["待评审审批的申报"] == 1
    assert secretary_cards["待提交的申报"] == 1


def test_the_call_list_exports_each_call_with_its_applications(client, town, org, admin, secretary):
    from tests.core.test_list_exports import rows_of

    call = make_call(town, 2026)
    make_call(town, 2027, status=CallStatus.DRAFT, title="2027年度草拟")
    make_project(org, call, status=ProjectStatus.SUBMITTED)
    make_project(org, call, status=ProjectStatus.IN_PROGRESS)
    make_project(org, call)  # a draft is not an application yet
    client.force_login(admin)
    rows = rows_of(client.get(reverse("projects:call_list"), {"export": "xlsx"}))
    assert rows[0][0] == "年度" and rows[0][-1] == "申报项目数"
    assert [(row[0], row[1], row[-1]) for row in rows[1:]] == [(2027, "2027年度草拟", 0), (2026, call.title, 2)]
    # An organization's secretary does not see a call still being drafted, on the page or in the export.
    client.force_login(secretary)
    assert [row[0] for row in rows_of(client.get(reverse("projects:call_list"), {"export": "xlsx"}))[1:]] == [2026]

"""调整申请 covers dates, the plan, indicator targets, budget, team and responsible person; approved, the
project, its milestones and its report schedule follow it."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from projectize.core.models import ActivityLog
from projectize.orgs.models import Role
from projectize.projects.models import ChangeRequest, ChangeStatus, MilestoneStatus, ReportStatus
from tests.factories import user_with_role
from tests.projects.test_call_and_running_pages import running

pytestmark = pytest.mark.django_db


def management(prefix, total, initial):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial)}


def current_values(project):
    """What the form sends back untouched: every field as the page fills it in."""
    data = {
        "new_start_date": project.start_date.isoformat(),
        "new_end_date": project.end_date.isoformat(),
        "new_budget": str(project.budget_requested),
        "new_responsible": str(project.responsible_id),
        "reason": "",
        **management("ms", 4, 2),
        **management("team", 3, 1),
    }
    for indicator in project.indicators.all():
        data[f"target_{indicator.pk}"] = str(indicator.target)
    for n, milestone in enumerate(project.milestones.all()):
        data |= {f"ms-{n}-title": milestone.title, f"ms-{n}-due_date": milestone.due_date.isoformat()}
    for n, member in enumerate(project.team.all()):
        data |= {f"team-{n}-name": member.name, f"team-{n}-role": member.role}
    return data


def test_a_change_request_adjusts_the_whole_plan_and_the_schedule_follows(client, town, org, leader, admin, secretary):
    project = running(town, org, leader)
    first, _second = project.milestones.all()
    project.milestones.filter(pk=first.pk).update(status=MilestoneStatus.MET)
    indicator = project.indicators.get()
    successor = user_with_role(Role.ORG_STAFF, org, last_name="王", first_name="建华")
    url = reverse("projects:change_new", args=[project.pk])
    client.force_login(secretary)

    page = client.get(url).content.decode()
    assert project.end_date.isoformat() in page and first.title in page and f"target_{indicator.pk}" in page

    unchanged = current_values(project) | {"reason": "没有要改的"}
    refused = client.post(url, unchanged).content.decode()
    assert "请至少调整一项内容" in refused
    assert not ChangeRequest.objects.exists()

    new_start = project.start_date + datetime.timedelta(days=10)
    new_end = project.end_date + datetime.timedelta(days=90)
    new_first_due = first.due_date + datetime.timedelta(days=20)
    changed = current_values(project) | {
        "new_start_date": new_start.isoformat(),
        "new_end_date": new_end.isoformat(),
        "new_budget": "26000.00",
        "new_responsible": str(successor.pk),
        f"target_{indicator.pk}": "15",
        "ms-0-due_date": new_first_due.isoformat(),
        "ms-1-DELETE": "on",
        "ms-2-title": "总结推广",
        "ms-2-due_date": (new_end - datetime.timedelta(days=5)).isoformat(),
        "team-1-name": "孙老师",
        "team-1-role": "课堂辅导",
        "reason": "试点楼组扩大，延长三个月，增加一名辅导老师。",
    }
    response = client.post(url, changed)
    assert response.status_code == 302
    change = ChangeRequest.objects.get()
    assert (change.new_start_date, change.new_end_date, change.new_budget) == (new_start, new_end, Decimal(26000))
    assert change.new_responsible == successor and change.new_targets == {str(indicator.pk): "15"}
    assert [row["title"] for row in change.new_milestones or []] == [first.title, "总结推广"]
    assert len(change.new_team or []) == 2
    project.refresh_from_db()
    assert project.end_date != new_end  # nothing changes before approval

    client.force_login(admin)
    client.post(reverse("core:transition", args=["projects.changerequest", change.pk, "approve"]), {"next": "/"})
    change.refresh_from_db()
    assert change.status == ChangeStatus.APPROVED
    project.refresh_from_db()
    assert (project.start_date, project.end_date) == (new_start, new_end)
    assert (project.budget_requested, project.responsible) == (Decimal(26000), successor)
    indicator.refresh_from_db()
    assert indicator.target == Decimal(15)
    plan = list(project.milestones.values_list("title", "due_date", "status"))
    assert plan == [
        (first.title, new_first_due, MilestoneStatus.MET),
        ("总结推广", new_end - datetime.timedelta(days=5), MilestoneStatus.PENDING),
    ]
    assert sorted(project.team.values_list("name", flat=True)) == sorted([project.team.first().name, "孙老师"])
    dues = list(project.reports.filter(status=ReportStatus.DUE).order_by("due_date").values_list("due_date", flat=True))
    assert dues[-1] == new_end and all(new_start < due <= new_end for due in dues)
    entry = ActivityLog.objects.get(target_id=str(project.pk), action="project.change")
    assert entry.after["end_date"] == {"date": new_end.isoformat()}


def test_an_end_before_the_start_is_refused_beside_the_field(client, town, org, leader, secretary):
    project = running(town, org, leader)
    client.force_login(secretary)
    data = current_values(project) | {
        "new_end_date": (project.start_date - datetime.timedelta(days=1)).isoformat(),
        "reason": "写错日期",
    }
    page = client.post(reverse("projects:change_new", args=[project.pk]), data).content.decode()
    assert 'data-testid="error-new_end_date"' in page and "结束日期不能早于开始日期" in page
    assert not ChangeRequest.objects.exists()

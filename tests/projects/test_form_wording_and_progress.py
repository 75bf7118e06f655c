"""The application's tables say what is missing in the form's words, and the progress bar counts
indicators as well as milestones."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from projectize.projects import services
from projectize.projects.models import Milestone, MilestoneStatus, ProgressReport, Project, ProjectStatus
from tests.projects.factories import make_project
from tests.projects.test_pages import application_post

pytestmark = pytest.mark.django_db


def test_an_application_without_indicators_or_steps_says_so_in_the_forms_words(client, call, secretary):
    client.force_login(secretary)
    response = client.post(reverse("projects:apply", args=[call.pk]), application_post(action="submit"))
    html = response.content.decode()
    assert "请至少填写一项量化指标。" in html
    assert "请至少填写一个实施步骤（里程碑）。" in html
    for generic in ("表单", "form.", "Please submit"):
        assert generic not in html
    assert not Project.objects.exists()


def test_a_tampered_table_is_refused_in_plain_words(client, call, secretary):
    client.force_login(secretary)
    data = application_post()
    del data["ind-TOTAL_FORMS"]
    html = client.post(reverse("projects:apply", args=[call.pk]), data).content.decode()
    assert "表格数据不完整，请刷新页面后重新填写。" in html and "ManagementForm" not in html
    assert not Project.objects.exists()


def test_an_accepted_report_moves_the_progress_through_its_indicators(client, org, admin, secretary):
    project = make_project(org, status=ProjectStatus.IN_PROGRESS, code="2026-SF-009")
    indicator = project.indicators.get()
    indicator.baseline, indicator.target = Decimal(0), Decimal(10)
    indicator.save()
    assert project.milestones.count() == 2
    report = ProgressReport.objects.create(project=project, number=1, due_date=datetime.date.today())
    services.report_submit(actor=secretary, report=report, content="开课 5 次", actuals={indicator.pk: Decimal(5)})
    services.report_review(actor=admin, report=ProgressReport.objects.get(pk=report.pk), accept=True)
    project.refresh_from_db()
    # Two milestones not yet met (0 each) and one indicator halfway (½): 17 %, not 0 %.
    assert project.progress == 17
    first = Milestone.objects.filter(project=project).earliest("due_date")
    services.milestone_assess(actor=admin, milestone=first, status=MilestoneStatus.MET)
    project.refresh_from_db()
    assert project.progress == 50
    client.force_login(secretary)
    page = client.get(project.get_absolute_url()).content.decode()
    assert 'data-testid="progress">50%' in page
    assert "进度为各里程碑和量化指标完成程度的平均值" in page

"""What the project pages cost the database: a fixed number of queries, however long a project's history
and however many projects the list holds (issue 15). The plans behind them are in bench/results/explain-projects.md."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projectize.core.services import attachments_add, log_activity
from projectize.orgs.models import Role
from projectize.projects.models import (
    Acceptance,
    ApplicationVersion,
    ChangeRequest,
    Indicator,
    Milestone,
    Partner,
    ProgressReport,
    Project,
    ProjectStatus,
    ReportStatus,
    TeamMember,
)
from tests.factories import make_org, user_with_role
from tests.projects.factories import make_project
from tests.reviews.factories import scored_review

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
# At most this many queries for a project's page, whoever reads it (issue 15).
PAGE_BUDGET = 15


def queries(client, url, **headers):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return len(captured), response


def add_history(project, actor, rounds, *, start=0):
    """`rounds` rounds of what a running project gathers: reports, milestones, indicators, change requests,
    acceptances, versions, team members, partners, attachments and log entries on all of them."""
    for n in range(start, start + rounds):
        day = TODAY - datetime.timedelta(days=400 - n)
        report = ProgressReport.objects.create(
            project=project, number=n + 1, due_date=day, status=ReportStatus.ACCEPTED if n % 2 else ReportStatus.DUE
        )
        milestone = Milestone.objects.create(project=project, title=f"步骤{n}", due_date=day)
        Indicator.objects.create(project=project, name=f"指标{n}", unit="次", target=Decimal(10))
        change = ChangeRequest.objects.create(project=project, reason=f"调整{n}", requested_by=actor)
        acceptance = Acceptance.objects.create(project=project, scheduled_on=day)
        ApplicationVersion.objects.create(project=project, number=n + 1, data={"title": project.title})
        TeamMember.objects.create(project=project, name=f"成员{n}", role="联络")
        Partner.objects.create(
            project=project, organization=make_org(project.organization, f"共建单位{n}", "enterprise")
        )
        attachments_add(target=project, files=[SimpleUploadedFile(f"材料{n}.pdf", b"%PDF-1.4\n")], actor=actor)
        for target in (project, report, milestone, change, acceptance):
            log_activity(actor=actor, action="project.discussed", target=target)


@pytest.fixture
def running(town, org, admin, secretary, application_rubric):
    """A running project whose application two experts scored, as a call's project has been."""
    project = make_project(org, None, status=ProjectStatus.IN_PROGRESS, title="楼组自治", code="2026-SF-009")
    experts = [user_with_role(Role.REVIEWER, town) for _ in range(2)]
    scored_review(project, application_rubric, admin, {expert: [18, 17, 16, 15, 19] for expert in experts})
    return project


@pytest.mark.parametrize("who", ["admin", "leader", "secretary"])
def test_the_project_page_stays_within_its_budget_and_flat_as_history_grows(client, running, who, request):
    reader = request.getfixturevalue(who)
    client.force_login(reader)
    url = running.get_absolute_url()
    add_history(running, reader, 1)
    few, _page = queries(client, url)
    add_history(running, reader, 12, start=1)
    many, page = queries(client, url)
    assert many == few, f"{who}: {few} queries with a short history, {many} with a long one"
    assert many <= PAGE_BUDGET, f"{who}: {many} queries"
    # The long history is on the page.
    assert "步骤12" in page.content.decode()


def make_many(organization, count, start=0):
    Project.objects.bulk_create(
        Project(
            organization=organization,
            year=2020 + n % 7,
            type="demonstration",
            title=f"批量项目{n:05d}",
            code=f"{2020 + n % 7}-SF-{n:05d}",
            status=ProjectStatus.IN_PROGRESS,
        )
        for n in range(start, start + count)
    )


@pytest.mark.parametrize("who", ["admin", "leader", "secretary", "org_staff", "district_leader"])
def test_the_list_costs_the_same_for_ten_projects_and_for_many(client, town, org, admin, leader, secretary, who):
    people = {
        "admin": admin,
        "leader": leader,
        "secretary": secretary,
        "org_staff": user_with_role(Role.ORG_STAFF, org),
        "district_leader": user_with_role(Role.DISTRICT_LEADER, town),
    }
    client.force_login(people[who])
    urls = [
        reverse("projects:list"),
        reverse("projects:list") + "?page=3",
        reverse("projects:list") + f"?year=2024&status=in_progress&type=demonstration&organization={org.pk}",
        reverse("projects:list") + "?sort=title&page=2",
    ]
    make_many(org, 80)
    few = [queries(client, url)[0] for url in urls]
    make_many(org, 920, start=80)
    assert [queries(client, url)[0] for url in urls] == few


def test_a_deep_page_shows_its_rows_in_order(client, org, admin):
    make_many(org, 1000)
    client.force_login(admin)
    page = client.get(reverse("projects:list") + "?sort=title&page=39").content.decode()
    # 25 a page: page 39 holds the 951st to the 975th title.
    assert "批量项目00950" in page and "批量项目00974" in page
    assert "批量项目00949" not in page and "批量项目00975" not in page
    assert page.index("批量项目00950") < page.index("批量项目00974")


def test_the_list_reads_no_long_texts(client, org, admin):
    make_project(org, None, status=ProjectStatus.SUBMITTED, title="有背景的项目")
    client.force_login(admin)
    with CaptureQueriesContext(connection) as captured:
        assert "有背景的项目" in client.get(reverse("projects:list")).content.decode()
    project_reads = [q["sql"] for q in captured if 'FROM "projects_project"' in q["sql"]]
    assert project_reads and not any('"background"' in sql or '"measures"' in sql for sql in project_reads)


@pytest.mark.parametrize("who", ["admin", "secretary"])
def test_the_application_and_its_review_are_read_after_the_page_at_a_fixed_cost(client, running, who, request):
    reader = request.getfixturevalue(who)
    client.force_login(reader)
    page = client.get(running.get_absolute_url()).content.decode()
    panel_url = reverse("projects:application", args=[running.pk])
    assert f'hx-get="{panel_url}"' in page
    add_history(running, reader, 1)
    few, _panel = queries(client, panel_url, HX_Request="true")
    add_history(running, reader, 12, start=1)
    many, panel = queries(client, panel_url, HX_Request="true")
    assert many == few and many <= PAGE_BUDGET, (few, many)
    # The review's result and the application's texts and files are in it.
    text = panel.content.decode()
    assert 'data-testid="review-result"' in text and "老旧小区停车矛盾突出。" in text and "材料12.pdf" in text
    assert "<html" not in text
    # Without JavaScript, its link opens it as a page of its own.
    alone = client.get(panel_url).content.decode()
    assert "<html" in alone and 'data-testid="review-result"' in alone

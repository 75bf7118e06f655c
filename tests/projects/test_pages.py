"""Pages over HTTP: who sees what, the list's filters, export and query count, the public survey."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from projectize.core.selectors import attachments_for
from projectize.core.services import attachments_add
from projectize.orgs.models import Role
from projectize.projects import services
from projectize.projects.models import Partner, Project, ProjectStatus, ProjectType, SurveyResponse
from projectize.projects.workflows import PROJECT
from projectize.reviews.models import Assignment
from projectize.reviews.services import assignment_accept, review_open
from tests.factories import make_org, user_with_role
from tests.projects.factories import make_call, make_project, move_call

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 demo application\n"


@pytest.fixture
def world(town, org, other_org, admin, leader, secretary, other_secretary, expert, call, application_rubric):
    """Project A of `org` (led by `leader`, reviewed by `expert`), project B of `other_org`."""
    a = make_project(org, call, status=ProjectStatus.UNDER_REVIEW, title="项目甲")
    a.lead_leader = leader
    a.save()
    b = make_project(other_org, call, status=ProjectStatus.UNDER_REVIEW, title="项目乙")
    review = review_open(subject=a, rubric=application_rubric, reviewers=[expert], actor=admin)
    assignment_accept(assignment=Assignment.objects.get(review=review), actor=expert)
    attachments_add(target=a, files=[SimpleUploadedFile("方案.pdf", PDF)], actor=secretary)
    partner_unit = make_org(town, "春申物业管理有限公司", "enterprise")
    Partner.objects.create(project=a, organization=partner_unit)
    return {
        "a": a,
        "b": b,
        "admin": admin,
        "leader": leader,
        "expert": expert,
        "secretary": secretary,
        "org_staff": user_with_role(Role.ORG_STAFF, org),
        "other_secretary": other_secretary,
        "partner_contact": user_with_role(Role.CLAIM_CONTACT, partner_unit),
        "finance": user_with_role(Role.FINANCE, town),
        "other_leader": user_with_role(Role.LEADER, town),
    }


# Who sees project A and project B.
SEES = {
    "admin": {"a", "b"},
    # Leaders of the town read all its projects (their dashboard counts them); they act only on those they lead.
    "leader": {"a", "b"},
    "other_leader": {"a", "b"},
    "expert": {"a"},
    "secretary": {"a"},
    "org_staff": {"a"},
    "other_secretary": {"b"},
    "partner_contact": {"a"},
    "finance": set(),
}


@pytest.mark.parametrize("role", list(SEES))
def test_each_role_sees_exactly_its_projects(client, world, role):
    client.force_login(world[role])
    listed = client.get(reverse("projects:list"))
    assert listed.status_code == 200
    shown = {key for key in ("a", "b") if world[key].title in listed.content.decode()}
    assert shown == SEES[role]
    for key in ("a", "b"):
        page = client.get(world[key].get_absolute_url())
        assert page.status_code == (200 if key in SEES[role] else 404)
    # The application's attachment is served exactly to those who see the project.
    attachment = attachments_for(world["a"]).get()
    download = client.get(reverse("core:attachment", args=[attachment.pk]))
    assert download.status_code == (200 if "a" in SEES[role] else 404)


def test_anonymous_visitors_are_sent_to_login(client, world):
    response = client.get(world["a"].get_absolute_url())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_staff_pages_refuse_the_organization_and_reviewers(client, world):
    a = world["a"]
    for who in ("secretary", "expert", "leader"):
        client.force_login(world[who])
        assert client.get(reverse("projects:acceptance_new", args=[a.pk])).status_code == 403
        assert client.get(reverse("projects:conclude", args=[a.pk])).status_code == 403
        assert client.get(reverse("projects:promotion", args=[a.pk])).status_code == 403
    client.force_login(world["other_secretary"])
    assert client.get(reverse("projects:five_fixed", args=[a.pk])).status_code == 404


def test_a_reviewer_who_has_not_declared_sees_nothing(client, world, town, admin, application_rubric):
    late = user_with_role(Role.REVIEWER, town)
    review_open(subject=world["b"], rubric=application_rubric, reviewers=[late], actor=admin)
    client.force_login(late)
    assert client.get(world["b"].get_absolute_url()).status_code == 404


def test_the_workflow_endpoint_refuses_approving_an_unreviewed_application_with_a_message(client, town, org, admin):
    call = make_call(town, 2026, phase="review")
    submitted = make_project(org, call, status=ProjectStatus.SUBMITTED)
    client.force_login(admin)
    url = reverse("core:transition", args=["projects.project", submitted.pk, "approve"])
    response = client.post(url, {"note": "同意", "next": submitted.get_absolute_url()}, follow=True)
    assert "不能执行“批准立项”" in response.content.decode()
    submitted.refresh_from_db()
    assert (submitted.status, submitted.code) == (ProjectStatus.SUBMITTED, None)


def test_a_draft_stays_with_its_organization_until_it_is_submitted(client, org, admin, leader, secretary):
    draft = make_project(org, None, title="尚未提交的草稿")
    for outsider in (admin, leader):
        client.force_login(outsider)
        assert client.get(draft.get_absolute_url()).status_code == 404
        assert "尚未提交的草稿" not in client.get(reverse("projects:list")).content.decode()
        url = reverse("core:transition", args=["projects.project", draft.pk, "approve"])
        client.post(url, {"note": "同意"})
    client.force_login(secretary)
    assert client.get(draft.get_absolute_url()).status_code == 200
    assert "尚未提交的草稿" in client.get(reverse("projects:list")).content.decode()
    draft.refresh_from_db()
    assert draft.status == ProjectStatus.DRAFT


def application_post(**changes):
    data = {
        "type": ProjectType.DEMONSTRATION,
        "title": "“四点半课堂”",
        "background": "",
        "approach": "",
        "measures": "",
        "expected_effects": "",
        "building_type": "",
        "budget_requested": "",
        "start_date": "",
        "end_date": "",
        "ind-TOTAL_FORMS": "2",
        "ind-INITIAL_FORMS": "0",
        "ms-TOTAL_FORMS": "2",
        "ms-INITIAL_FORMS": "0",
        "action": "save",
    }
    return data | changes


def test_submitting_an_incomplete_application_marks_each_missing_field(client, call, secretary):
    client.force_login(secretary)
    response = client.post(reverse("projects:apply", args=[call.pk]), application_post(action="submit"))
    html = response.content.decode()
    for name in ("background", "approach", "measures", "expected_effects", "budget_requested", "end_date"):
        assert f'data-testid="error-{name}"' in html
    assert 'data-testid="error-ind"' in html and 'data-testid="error-ms"' in html
    assert not Project.objects.exists()

    saved = client.post(reverse("projects:apply", args=[call.pk]), application_post())
    project = Project.objects.get()
    assert saved["Location"] == project.get_absolute_url()
    assert project.status == ProjectStatus.DRAFT


def test_applying_outside_the_window_says_why(client, call, secretary):
    move_call(call, "implementation")
    client.force_login(secretary)
    assert 'data-testid="phase-problem"' in client.get(reverse("projects:apply", args=[call.pk])).content.decode()
    response = client.post(reverse("projects:apply", args=[call.pk]), application_post())
    assert "实施阶段" in response.content.decode()
    assert not Project.objects.exists()


def test_the_version_diff_shows_what_changed(client, call, org, secretary, admin):
    project = make_project(org, call)
    project = PROJECT.apply(project, "submit", actor=secretary)
    move_call(call, "review")
    project = PROJECT.apply(project, "return", actor=admin, note="请细化指标")
    services.application_save(
        actor=secretary,
        organization=org,
        project=project,
        fields={"approach": "楼组议事会每两周一次。"},
        indicators=[{"name": "议事会次数", "unit": "次", "baseline": 0, "target": 24}],
        milestones=[{"title": "成立议事会", "due_date": project.start_date}],
    )
    PROJECT.apply(project, "submit", actor=secretary)
    client.force_login(secretary)
    html = client.get(reverse("projects:versions", args=[project.pk])).content.decode()
    assert "-推进方式：楼组议事会每月一次。" in html
    assert "+推进方式：楼组议事会每两周一次。" in html


def make_many(org, count, start=0):
    Project.objects.bulk_create(
        Project(
            organization=org,
            year=2020 + n % 5,
            type=[ProjectType.INNOVATION, ProjectType.DEMONSTRATION][n % 2],
            title=f"批量项目{n:04d}",
            code=f"X-{n:05d}",
            status=ProjectStatus.IN_PROGRESS,
        )
        for n in range(start, start + count)
    )


def list_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_query_count_stays_flat_from_10_to_1000_projects(client, org, admin, leader):
    client.force_login(admin)
    make_many(org, 10)
    Project.objects.update(lead_leader=leader)
    url = reverse("projects:list") + "?sort=title&overdue=&q=批量"
    few = list_queries(client, url)
    make_many(org, 990, start=10)
    Project.objects.update(lead_leader=leader)
    assert list_queries(client, url) == few
    assert list_queries(client, url + "&overdue=true") <= few + 1


def test_filters_search_and_the_export_match(client, org, other_org, admin):
    running = ProjectStatus.IN_PROGRESS
    make_project(
        org, None, type=ProjectType.INNOVATION, title="停车难错峰共享", code="2026-CX-001", year=2026, status=running
    )
    make_project(
        other_org,
        None,
        type=ProjectType.INNOVATION,
        title="加装电梯协商",
        code="2026-CX-002",
        year=2026,
        status=running,
    )
    make_project(
        org, None, type=ProjectType.DEMONSTRATION, title="四点半课堂", code="2026-SF-001", year=2026, status=running
    )
    make_project(org, None, type=ProjectType.INNOVATION, title="老项目", code="2025-CX-001", year=2025, status=running)
    client.force_login(admin)
    query = f"?year=2026&type=innovation&organization={org.pk}"
    listed = client.get(reverse("projects:list") + query).content.decode()
    assert "停车难错峰共享" in listed and "加装电梯协商" not in listed and "四点半课堂" not in listed
    assert "2026-SF-001" in client.get(reverse("projects:list") + "?q=SF-001").content.decode()

    response = client.get(reverse("projects:export") + query)
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:2] == ("项目编号", "项目名称")
    assert [row[:2] for row in rows[1:]] == [("2026-CX-001", "停车难错峰共享")]


def test_residents_answer_the_survey_once_without_logging_in(client, town, org, leader, admin, acceptance_rubric):
    call = make_call(town, 2026, phase="evaluation")
    project = make_project(org, call, status=ProjectStatus.IN_PROGRESS, code="2026-SF-001")
    acceptance = services.acceptance_schedule(
        actor=admin, project=project, scheduled_on=datetime.date.today(), panel=[leader], checklist=["台账"]
    )
    url = reverse("projects:survey", args=[acceptance.survey_token])
    assert url.startswith("/projects/survey/")
    page = client.get(url)
    assert page.status_code == 200 and project.title in page.content.decode()

    bad = client.post(url, {"mobile": "12345", "satisfaction": "satisfied"})
    assert 'data-testid="error-mobile"' in bad.content.decode()
    done = client.post(url, {"mobile": "13912345678", "satisfaction": "fairly", "comment": "很好"})
    assert 'data-testid="survey-thanks"' in done.content.decode()
    again = client.post(url, {"mobile": "13912345678", "satisfaction": "unsatisfied"})
    assert "只能填写一次" in again.content.decode()
    assert list(SurveyResponse.objects.values_list("satisfaction", flat=True)) == ["fairly"]
    assert client.get("/projects/survey/not-a-token/").status_code == 404


def test_the_organization_page_tag_shows_projects_and_warnings(rf, org, secretary):
    import datetime

    from django.template import Context, Template

    project = make_project(org, None, status=ProjectStatus.IN_PROGRESS, code="2026-SF-001")
    project.milestones.update(due_date=datetime.date.today() - datetime.timedelta(days=20))
    request = rf.get("/")
    request.user = secretary
    html = Template("{% load projects %}{% organization_projects org %}").render(
        Context({"org": org, "request": request})
    )
    assert "2026-SF-001" in html and 'data-warning="red"' in html


def test_the_project_page_speaks_english_when_asked(client, world):
    client.force_login(world["admin"])
    html = client.get(world["a"].get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Next step" in html and "Five-fixed" in html and "Under review" in html


def test_a_panel_member_sees_the_project_they_accept(client, town, org, admin, acceptance_rubric):
    panel_expert = user_with_role(Role.REVIEWER, town)
    call = make_call(town, 2026, phase="evaluation")
    project = make_project(org, call, status=ProjectStatus.IN_PROGRESS, code="2026-SF-001")
    client.force_login(panel_expert)
    assert client.get(project.get_absolute_url()).status_code == 404
    acceptance = services.acceptance_schedule(
        actor=admin, project=project, scheduled_on=datetime.date.today(), panel=[panel_expert], checklist=["台账"]
    )
    assert client.get(project.get_absolute_url()).status_code == 200
    page = client.get(acceptance.get_absolute_url()).content.decode()
    assert "保存验收记录" in page and "conclude-error" not in page and 'name="conclusion"' not in page


def test_the_lead_leader_filter_lists_the_leaders_and_narrows_to_their_projects(client, org, admin, leader):
    led = make_project(org, None, title="领导牵头的项目", status=ProjectStatus.IN_PROGRESS, lead_leader=leader)
    make_project(org, None, title="别的项目", status=ProjectStatus.IN_PROGRESS)
    client.force_login(admin)
    response = client.get(reverse("projects:list"), {"leader": leader.pk})
    assert [p.title for p in response.context["page"]] == [led.title]
    assert f'<option value="{leader.pk}" selected>' in response.content.decode()

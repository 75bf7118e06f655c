"""An integration hands in a progress report and records a conclusion's outcomes, through the projects' own
services: the same checks, log and notifications as the forms, with the rights of the account it acts as."""

from decimal import Decimal

import pytest

from projectize.api import services as api_services
from projectize.api.models import WebhookDelivery
from projectize.core.models import ActivityLog
from projectize.orgs.models import Role
from projectize.projects import services
from projectize.projects.models import AcceptanceConclusion, ProgressReport, ProjectStatus, ReportStatus
from projectize.projects.workflows import PROJECT
from projectize.reviews.services import CriterionSpec, GradeSpec, RubricSpec, rubric_create
from tests.api.conftest import token_client
from tests.factories import make_root, user_with_role
from tests.projects.factories import fill_five_fixed, make_call, make_project, move_call, responsible

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(town):
    return make_call(town, 2026, phase="application")


@pytest.fixture
def leader(town):
    return user_with_role(Role.LEADER, town, username="leader1")


@pytest.fixture
def acceptance_rubric(town, admin):
    spec = RubricSpec(
        name="考评验收标准",
        purpose="acceptance",
        criteria=[CriterionSpec(name, Decimal(25)) for name in ("一听", "二看", "三查", "四问")],
        grades=[GradeSpec("优秀", Decimal(90)), GradeSpec("合格", Decimal(60)), GradeSpec("不合格", Decimal(0))],
    )
    return rubric_create(organization=town, spec=spec, actor=admin)


@pytest.fixture
def other_town_admin():
    return user_with_role(Role.TOWN_ADMIN, make_root("泗泾镇党委"))


def running(call, org, leader):
    move_call(call, "implementation")
    project = make_project(org, call, status=ProjectStatus.APPROVED, code="2026-SF-001")
    fill_five_fixed(project, leader=leader)
    return PROJECT.apply(project, "start", actor=responsible(project))


def test_a_token_acting_as_the_organizations_staff_hands_in_a_report(call, org, leader, admin, town):
    project = running(call, org, leader)
    staff = responsible(project)
    _token, key = api_services.token_create(actor=admin, name="社区云", organization=org, can_write=True, acts_as=staff)
    report = project.reports.order_by("number").first()
    indicator = project.indicators.get()
    api = token_client(key)
    listed = api.get(f"/api/v1/projects/{project.pk}/reports/").json()
    assert listed[0]["id"] == report.pk
    empty = api.post(f"/api/v1/reports/{report.pk}/submit/", {"content": " ", "actuals": []}, format="json")
    assert empty.status_code in (400, 409)
    done = api.post(
        f"/api/v1/reports/{report.pk}/submit/",
        {"content": "召开议事会 3 次", "actuals": [{"indicator": indicator.pk, "value": "3"}]},
        format="json",
    )
    assert done.status_code == 200, done.content
    report = ProgressReport.objects.get(pk=report.pk)
    assert report.status == ReportStatus.SUBMITTED and report.actuals.get().value == Decimal(3)
    assert ActivityLog.objects.filter(action="progressreport.submit", actor=staff).exists()


def test_a_town_admins_own_token_may_not_hand_in_a_report(call, org, leader, admin):
    project = running(call, org, leader)
    _token, key = api_services.token_create(actor=admin, name="大屏", organization=org, can_write=True)
    report = project.reports.order_by("number").first()
    refused = token_client(key).post(f"/api/v1/reports/{report.pk}/submit/", {"content": "x"}, format="json")
    assert refused.status_code == 403 and refused["Content-Type"] == "application/problem+json"


def test_only_an_administered_account_can_be_acted_as(admin, town, org, other_town_admin):
    with pytest.raises(Exception, match="管理的在用账号"):
        api_services.token_create(actor=admin, name="x", organization=town, can_write=False, acts_as=other_town_admin)


def test_the_conclusion_records_the_outcomes(call, org, leader, admin, town, acceptance_rubric):
    project = running(call, org, leader)
    token, key = api_services.token_create(actor=admin, name="网格平台", organization=town, can_write=True)
    api_services.subscription_create(actor=admin, token=token, url="http://127.0.0.1:9/p", events=["project.concluded"])
    api = token_client(key)
    body = {
        "summary": "形成议事规则",
        "outcomes": {"rules_established": 1, "problems_solved": 3, "service_brands": 1, "beneficiaries": 1200},
        "actuals": [{"indicator": project.indicators.get().pk, "value": "14"}],
    }
    early = api.post(f"/api/v1/projects/{project.pk}/conclusion/", body, format="json")
    assert early.status_code == 409 and early.json()["title"] == "当前状态不允许该操作"

    move_call(call, "evaluation")
    acceptance = services.acceptance_schedule(
        actor=admin, project=project, scheduled_on=call.evaluation_start, panel=[leader], checklist=["台账"]
    )
    services.acceptance_record(
        actor=leader,
        acceptance=acceptance,
        fields={
            "listen_score": Decimal(24),
            "look_score": Decimal(22),
            "check_score": Decimal(23),
            "ask_score": Decimal(24),
        },
        checks={acceptance.check_items.get().pk: (True, "齐全")},
    )
    services.acceptance_conclude(actor=admin, acceptance=acceptance, conclusion=AcceptanceConclusion.ACCEPTED, note="")
    done = api.post(f"/api/v1/projects/{project.pk}/conclusion/", body, format="json")
    assert done.status_code == 200, done.content
    data = done.json()
    assert data["status"] == ProjectStatus.CONCLUDED and data["outcomes"]["beneficiaries"] == 1200
    assert [i["actual"] for i in data["indicators"]] == ["14.00"]
    assert WebhookDelivery.objects.get().payload["object"] == {
        "type": "projects.project",
        "id": project.pk,
        "status": "concluded",
        "url": f"/api/v1/projects/{project.pk}/",
    }

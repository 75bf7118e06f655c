"""The projects' transition tables: steps that need a form cannot be taken without it, the step endpoint
answers 404 outside a user's scope, acceptances and milestones move only through their tables, and the
project page's next step comes from the project's table for each role."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from projectize.core.models import ActivityLog
from projectize.core.workflow import NextStep, TransitionError
from projectize.projects import services
from projectize.projects.models import (
    Acceptance,
    AcceptanceConclusion,
    AcceptanceStatus,
    MilestoneStatus,
    Project,
    ProjectStatus,
    ReportStatus,
)
from projectize.projects.selectors import project_timeline
from projectize.projects.workflows import MILESTONE, PROJECT
from projectize.reviews.models import Assignment
from projectize.reviews.services import assignment_accept, review_open
from tests.projects.factories import fill_five_fixed, make_project, move_call, responsible

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def step_url(obj, step):
    return reverse("core:transition", args=[f"projects.{obj._meta.model_name}", obj.pk, step])


def running(call, org, leader, phase="evaluation"):
    move_call(call, "implementation")
    project = make_project(org, call, status=ProjectStatus.APPROVED, code="2026-SF-001")
    fill_five_fixed(project, leader=leader)
    project = PROJECT.apply(project, "start", actor=responsible(project))
    move_call(call, phase)
    return project


def accepted(project, admin, leader):
    """The project's acceptance scheduled, recorded and concluded as accepted: it waits for its 结题 summary."""
    acceptance = services.acceptance_schedule(
        actor=admin, project=project, scheduled_on=TODAY, panel=[leader], checklist=["台账"]
    )
    return accept(acceptance, admin, leader)


def accept(acceptance, admin, leader):
    scores = {part: Decimal(23) for part in ("listen_score", "look_score", "check_score", "ask_score")}
    services.acceptance_record(actor=leader, acceptance=acceptance, fields=scores, checks={})
    return services.acceptance_conclude(
        actor=admin, acceptance=acceptance, conclusion=AcceptanceConclusion.ACCEPTED, note="达标"
    )


# ---- form steps and the generic endpoint --------------------------------------------------------


def test_scheduling_an_acceptance_from_the_step_endpoint_changes_nothing(client, call, org, leader, admin):
    project = running(call, org, leader)
    client.force_login(admin)
    page = client.post(step_url(project, "schedule_acceptance"), {"next": project.get_absolute_url()}, follow=True)
    assert "“安排验收”需在其表单中填写后提交。" in page.content.decode()
    project.refresh_from_db()
    assert project.status == ProjectStatus.IN_PROGRESS
    assert not Acceptance.objects.exists()
    # The button is a link to the step's form.
    page = client.get(project.get_absolute_url()).content.decode()
    assert f'href="{reverse("projects:acceptance_new", args=[project.pk])}"' in page


def test_concluding_from_the_step_endpoint_changes_nothing(client, call, org, leader, admin, acceptance_rubric):
    project = running(call, org, leader)
    accepted(project, admin, leader)
    client.force_login(admin)
    page = client.post(step_url(project, "conclude"), {"next": project.get_absolute_url()}, follow=True)
    assert "“结题”需在其表单中填写后提交。" in page.content.decode()
    project.refresh_from_db()
    assert (project.status, project.conclusion_summary, project.concluded_at) == (ProjectStatus.ACCEPTANCE, "", None)
    # Through its form, with a summary, it concludes.
    project = services.project_conclude(actor=admin, project=project, summary="形成议事规则", counters={}, actuals={})
    assert project.status == ProjectStatus.CONCLUDED


def test_a_report_and_an_acceptance_are_not_concluded_from_the_step_endpoint(
    client, call, org, leader, admin, secretary, acceptance_rubric
):
    project = running(call, org, leader)
    report = project.reports.first()
    client.force_login(secretary)
    page = client.post(step_url(report, "submit"), {"next": "/"}, follow=True).content.decode()
    assert "“提交报告”需在其表单中填写后提交。" in page
    report.refresh_from_db()
    assert (report.status, report.submitted_at) == (ReportStatus.DUE, None)

    acceptance = services.acceptance_schedule(
        actor=admin, project=project, scheduled_on=TODAY, panel=[leader], checklist=[]
    )
    client.force_login(admin)
    page = client.post(step_url(acceptance, "conclude"), {"next": "/"}, follow=True).content.decode()
    assert "“作出验收结论”需在其表单中填写后提交。" in page
    acceptance.refresh_from_db()
    assert (acceptance.status, acceptance.conclusion) == (AcceptanceStatus.SCHEDULED, "")


def test_an_outsider_gets_404_from_the_step_endpoint(client, call, org, leader, admin, other_secretary):
    org.refresh_from_db()  # its path moved when the other organization was added before it
    project = running(call, org, leader)
    report = project.reports.first()
    milestone = project.milestones.first()
    client.force_login(other_secretary)
    for obj, step in (
        (project, "schedule_acceptance"),
        (project, "conclude"),
        (project, "start"),
        (report, "submit"),
        (milestone, "meet"),
    ):
        assert client.post(step_url(obj, step), {"next": "/"}).status_code == 404, step
    project.refresh_from_db()
    assert project.status == ProjectStatus.IN_PROGRESS
    # Inside the scope, a step the user may not take is refused.
    client.force_login(project.responsible)
    assert client.post(step_url(milestone, "meet"), {"next": "/"}).status_code == 403


# ---- acceptances and milestones have their own tables -------------------------------------------


def test_an_acceptance_is_concluded_through_its_table(call, org, leader, admin, secretary, acceptance_rubric):
    project = running(call, org, leader)
    acceptance = services.acceptance_schedule(
        actor=admin, project=project, scheduled_on=TODAY, panel=[leader], checklist=[]
    )
    with pytest.raises(PermissionDenied):
        services.acceptance_conclude(actor=secretary, acceptance=acceptance, conclusion="accepted", note="")
    scores = {part: Decimal(20) for part in ("listen_score", "look_score", "check_score", "ask_score")}
    services.acceptance_record(actor=leader, acceptance=acceptance, fields=scores, checks={})
    acceptance = services.acceptance_conclude(actor=admin, acceptance=acceptance, conclusion="failed", note="未达标")
    assert (acceptance.status, acceptance.conclusion, acceptance.survey_open) == (
        AcceptanceStatus.CONCLUDED,
        "failed",
        False,
    )
    entry = ActivityLog.objects.get(action="acceptance.conclude")
    assert (entry.target_id, entry.params["note"]) == (str(acceptance.pk), "未达标")
    # The log says the verdict, total and grade, in the reader's language.
    assert entry.sentence == f"验收结论：不予通过，总分 {acceptance.total}，等级 {acceptance.grade}"
    project.refresh_from_db()
    assert project.status == ProjectStatus.FAILED
    with pytest.raises(TransitionError, match="不能执行“作出验收结论”"):
        services.acceptance_conclude(actor=admin, acceptance=acceptance, conclusion="accepted", note="")


def test_a_milestone_is_assessed_through_its_table(call, org, leader, admin):
    project = running(call, org, leader, phase="implementation")
    first = project.milestones.first()
    first = services.milestone_assess(actor=admin, milestone=first, status=MilestoneStatus.MET)
    assert first.status == MilestoneStatus.MET
    entry = ActivityLog.objects.get(action="milestone.meet")
    assert entry.target_id == str(first.pk)
    # A mistake is put right the same way; assessing it as it stands changes nothing.
    first = services.milestone_assess(actor=admin, milestone=first, status=MilestoneStatus.PENDING)
    assert services.milestone_assess(actor=admin, milestone=first, status=MilestoneStatus.PENDING) == first
    assert ActivityLog.objects.filter(action__startswith="milestone.").count() == 2
    # The project's timeline shows its milestones' steps.
    entries = [e.action for e in project_timeline(project)]
    assert "milestone.meet" in entries and "milestone.reopen" in entries
    with pytest.raises(PermissionDenied):
        MILESTONE.apply(first, "meet", actor=project.responsible)
    Project.objects.filter(pk=project.pk).update(status=ProjectStatus.CONCLUDED)
    with pytest.raises(TransitionError, match="项目不在实施中"):
        services.milestone_assess(actor=admin, milestone=first, status=MilestoneStatus.MET)


# ---- the next step, per role --------------------------------------------------------------------


def edit_url(project):
    return reverse("projects:edit", args=[project.pk])


def test_the_applicant_is_sent_to_the_form_while_the_call_allows_it(call, org, admin, secretary):
    draft = make_project(org, call, complete=False)
    assert PROJECT.next_step(secretary, draft) == NextStep("请完善申报内容并提交。", edit_url(draft))
    move_call(call, "review")
    assert PROJECT.next_step(secretary, draft) == NextStep("申报期已过，本申报不能再提交。", tone="secondary")
    returned = make_project(org, call, status=ProjectStatus.RETURNED, title="退回的申报")
    assert PROJECT.next_step(secretary, returned) == NextStep("请根据退回意见修改后重新提交。", edit_url(returned))
    assert PROJECT.next_step(admin, returned) is None


def test_a_submitted_application_waits_for_the_review_phase(call, org, admin, secretary):
    project = make_project(org, call, status=ProjectStatus.SUBMITTED)
    assert PROJECT.next_step(secretary, project) == NextStep("申报已提交，等待镇党委评审。", tone="info")
    step = PROJECT.next_step(admin, project)
    assert step is not None and step.text.startswith("评审阶段自 ") and step.tone == "info"
    move_call(call, "review")
    # In the review phase staff may take the step: its hint points to the buttons.
    assert PROJECT.next_step(admin, project) == NextStep("请开始评审并指派评审专家。", "#actions")


def test_under_review_staff_decide_reviewers_score_others_wait(
    call, org, admin, leader, secretary, expert, application_rubric
):
    project = make_project(org, call, status=ProjectStatus.UNDER_REVIEW)
    move_call(call, "review")
    review = review_open(subject=project, rubric=application_rubric, reviewers=[expert], actor=admin)
    assignment_accept(assignment=Assignment.objects.get(review=review), actor=expert)
    assert PROJECT.next_step(admin, project) == NextStep(
        "评审专家评分、研究讨论后，请作出立项决定或退回修改。", "#actions"
    )
    assert PROJECT.next_step(expert, project) == NextStep("待您评审：请在“我的评审”中评分。", reverse("reviews:mine"))
    assert PROJECT.next_step(secretary, project) == NextStep("申报正在评审中。", tone="info")
    assert PROJECT.next_step(leader, project) == NextStep("申报正在评审中。", tone="info")


def test_an_approved_project_needs_its_five_fixed_then_starts(call, org, admin, leader, secretary):
    project = make_project(org, call, status=ProjectStatus.APPROVED, code="2026-SF-002")
    move_call(call, "implementation")
    five_fixed = NextStep("请补充五定信息", reverse("projects:five_fixed", args=[project.pk]), tone="warning")
    assert PROJECT.next_step(secretary, project) == five_fixed
    assert PROJECT.next_step(admin, project) == five_fixed
    fill_five_fixed(project, leader=leader)
    assert PROJECT.next_step(secretary, project) == NextStep("五定信息已齐全，请启动实施。", "#actions")
    assert PROJECT.next_step(leader, project) is None


def test_a_running_project_asks_for_reports_and_their_review(call, org, admin, leader, secretary):
    project = running(call, org, leader, phase="implementation")
    report = project.reports.first()
    assert PROJECT.next_step(secretary, project) == NextStep(
        f"请提交第 1 期进展报告（{report.due_date} 前）。", report.get_absolute_url()
    )
    assert PROJECT.next_step(admin, project) == NextStep("项目实施中：评定里程碑，到期后安排验收。", "#plan", "info")
    assert PROJECT.next_step(leader, project) == NextStep("项目实施中。", tone="info")
    services.report_submit(actor=secretary, report=report, content="召开议事会", actuals={})
    assert PROJECT.next_step(admin, project) == NextStep("有进展报告待审核。", "#reports")
    services.report_review(actor=admin, report=report, accept=True)
    services.change_request_create(
        actor=secretary, project=project, reason="延期", end_date=project.end_date + datetime.timedelta(days=30)
    )
    assert PROJECT.next_step(admin, project) == NextStep("有调整申请待审批。", "#changes")


def test_acceptance_then_conclusion_then_promotion(call, org, admin, leader, secretary, acceptance_rubric):
    project = running(call, org, leader)
    acceptance = services.acceptance_schedule(
        actor=admin, project=project, scheduled_on=TODAY, panel=[leader], checklist=[]
    )
    project.refresh_from_db()
    recording = NextStep("验收进行中：记录一听、二看、三查、四问。", acceptance.get_absolute_url())
    assert PROJECT.next_step(secretary, project) == recording
    assert PROJECT.next_step(admin, project) == recording
    accept(acceptance, admin, leader)
    project.refresh_from_db()
    conclude = NextStep("已通过验收，请填写结题总结。", reverse("projects:conclude", args=[project.pk]))
    assert PROJECT.next_step(admin, project) == conclude
    assert PROJECT.next_step(secretary, project) is None
    project = services.project_conclude(actor=admin, project=project, summary="形成议事规则", counters={}, actuals={})
    promote = NextStep(
        "项目已结题：有推广价值的，可列入推广。", reverse("projects:promotion", args=[project.pk]), "info"
    )
    assert PROJECT.next_step(admin, project) == promote
    assert PROJECT.next_step(secretary, project) is None
    services.promotion_save(actor=admin, project=project, summary="议事规则可复制")
    assert PROJECT.next_step(admin, project) is None


def test_the_acceptance_page_records_on_one_view_and_concludes_on_another(
    client, call, org, leader, admin, secretary, acceptance_rubric
):
    project = running(call, org, leader)
    acceptance = services.acceptance_schedule(
        actor=admin, project=project, scheduled_on=TODAY, panel=[leader], checklist=["台账"]
    )
    url, conclude_url = (
        acceptance.get_absolute_url(),
        reverse("projects:acceptance_conclude", args=[project.pk, acceptance.pk]),
    )
    record = {part: "23" for part in ("listen_score", "look_score", "check_score", "ask_score")} | {
        f"interview_{level}": "0" for level in ("satisfied", "fairly", "basic", "unsatisfied")
    }
    # The organization reads the acceptance but neither records nor concludes it.
    client.force_login(secretary)
    page = client.get(url).content.decode()
    assert 'name="listen_score"' not in page and 'name="conclusion"' not in page
    assert client.post(url, record).status_code == 403
    assert client.post(conclude_url, {"conclusion": "accepted", "note": "达标"}).status_code == 403
    # The panel records; only staff conclude.
    client.force_login(leader)
    page = client.get(url).content.decode()
    assert 'name="listen_score"' in page and 'name="conclusion"' not in page
    assert client.post(url, record)["Location"] == url
    assert client.post(conclude_url, {"conclusion": "accepted", "note": "达标"}).status_code == 403
    client.force_login(admin)
    page = client.get(url).content.decode()
    assert f'action="{conclude_url}"' in page
    refused = client.post(conclude_url, {"conclusion": "", "note": "达标"})
    assert refused.status_code == 200 and 'name="conclusion"' in refused.content.decode()
    assert client.post(conclude_url, {"conclusion": "accepted", "note": "达标"})["Location"] == url
    acceptance.refresh_from_db()
    assert (acceptance.status, acceptance.total, acceptance.conclusion) == (
        AcceptanceStatus.CONCLUDED,
        Decimal(92),
        "accepted",
    )
    page = client.get(url).content.decode()
    assert 'name="listen_score"' not in page and 'name="conclusion"' not in page

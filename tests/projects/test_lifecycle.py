"""The project lifecycle through its services and workflow: each step, and each illegal step refused."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from projectize.core.models import ActivityLog, Notification
from projectize.core.workflow import TransitionError
from projectize.projects import services
from projectize.projects.models import (
    AcceptanceConclusion,
    MilestoneStatus,
    Project,
    ProjectStatus,
    ProjectType,
    ReportStatus,
    Satisfaction,
)
from projectize.projects.selectors import overdue_items, overdue_q, project_timeline, projects_visible_to
from projectize.projects.workflows import PROJECT
from projectize.reviews.models import Assignment
from projectize.reviews.services import ReviewError, assignment_accept, review_open, sheet_submit
from tests.projects.factories import fill_five_fixed, make_call, make_project, move_call, responsible

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def approve(project, admin, reason="同意立项"):
    project = PROJECT.apply(project, "start_review", actor=admin)
    return PROJECT.apply(project, "approve", actor=admin, note=reason)


def draft_fields(**changes):
    fields = {"type": ProjectType.INNOVATION, "title": "停车难“错峰共享”"}
    return fields | changes


def test_a_draft_saves_with_only_a_title_and_submitting_asks_for_the_rest(call, org, secretary, admin):
    project = services.application_save(
        actor=secretary, organization=org, call=call, fields=draft_fields(), indicators=[], milestones=[]
    )
    assert project.status == ProjectStatus.DRAFT

    with pytest.raises(TransitionError, match="请填写推进方式") as refused:
        PROJECT.apply(project, "submit", actor=secretary)
    assert "请至少填写一项量化指标" in str(refused.value)
    project.refresh_from_db()
    assert project.status == ProjectStatus.DRAFT
    assert not project.versions.exists()


def test_submitting_a_complete_application_snapshots_it_and_tells_staff(call, org, secretary, admin):
    project = make_project(org, call)
    project = PROJECT.apply(project, "submit", actor=secretary)
    assert project.status == ProjectStatus.SUBMITTED
    assert project.versions.get().data["title"] == project.title
    assert any("提交申报" in n.heading for n in Notification.objects.filter(recipient=admin))


def test_an_application_is_refused_outside_the_application_window(call, org, secretary):
    move_call(call, "review")
    with pytest.raises(TransitionError, match="评审阶段"):
        services.application_save(
            actor=secretary, organization=org, call=call, fields=draft_fields(), indicators=[], milestones=[]
        )
    project = make_project(org, call)
    with pytest.raises(TransitionError, match="不能提交申报"):
        PROJECT.apply(project, "submit", actor=secretary)
    assert not Project.objects.filter(title="停车难“错峰共享”").exists()


def test_another_organization_cannot_write_or_submit_the_application(call, org, other_secretary):
    project = make_project(org, call)
    with pytest.raises(PermissionDenied):
        PROJECT.apply(project, "submit", actor=other_secretary)
    with pytest.raises(PermissionDenied):
        services.application_save(
            actor=other_secretary, organization=org, project=project, fields={}, indicators=[], milestones=[]
        )


def test_withdraw_only_before_review_starts(call, org, secretary, admin):
    project = PROJECT.apply(make_project(org, call), "submit", actor=secretary)
    withdrawn = PROJECT.apply(project, "withdraw", actor=secretary)
    assert withdrawn.status == ProjectStatus.WITHDRAWN

    other = PROJECT.apply(make_project(org, call, title="第二个"), "submit", actor=secretary)
    move_call(call, "review")
    other = PROJECT.apply(other, "start_review", actor=admin)
    with pytest.raises(TransitionError, match="评审中"):
        PROJECT.apply(other, "withdraw", actor=secretary)


def test_approving_a_draft_is_refused_and_changes_nothing(call, org, admin):
    project = make_project(org, call)
    move_call(call, "review")
    with pytest.raises(TransitionError, match="草稿"):
        PROJECT.apply(project, "approve", actor=admin, note="同意")
    project.refresh_from_db()
    assert (project.status, project.code) == (ProjectStatus.DRAFT, None)


def test_return_resubmit_keeps_every_version(call, org, secretary, admin):
    project = PROJECT.apply(make_project(org, call), "submit", actor=secretary)
    move_call(call, "review")
    project = PROJECT.apply(project, "return", actor=admin, note="指标不够量化")
    assert project.return_comment == "指标不够量化"
    services.application_save(
        actor=secretary,
        organization=org,
        project=project,
        fields={"title": "楼组自治“微议事”2.0"},
        indicators=[{"name": "议事会次数", "unit": "次", "baseline": 0, "target": 24}],
        milestones=[{"title": "成立议事会", "due_date": TODAY}],
    )
    project = PROJECT.apply(project, "submit", actor=secretary)
    first, second = project.versions.order_by("number")
    assert first.data["title"] == "楼组自治“微议事”"
    assert second.data["title"] == "楼组自治“微议事”2.0"
    assert second.data["indicators"] == ["议事会次数（次）：0.00 → 24.00"]


def test_approval_gives_codes_per_year_and_type_and_tells_everyone(call, org, other_org, secretary, admin):
    projects = [make_project(org, call, type=ProjectType.INNOVATION, title=f"创新{n}") for n in range(2)]
    projects.append(make_project(other_org, call, type=ProjectType.INSTITUTIONAL, title="制度"))
    for p in projects:
        p.status = ProjectStatus.SUBMITTED
        p.save()
    move_call(call, "review")
    codes = [approve(p, admin).code for p in projects]
    assert codes == ["2026-CX-001", "2026-CX-002", "2026-TG-001"]
    assert sum("批准立项" in n.heading for n in Notification.objects.filter(recipient=secretary)) == 2


def test_rejection_needs_a_reason(call, org, admin):
    project = make_project(org, call, status=ProjectStatus.UNDER_REVIEW)
    move_call(call, "review")
    with pytest.raises(TransitionError, match="理由"):
        PROJECT.apply(project, "reject", actor=admin, note="")
    rejected = PROJECT.apply(project, "reject", actor=admin, note="与往年项目重复")
    assert (rejected.status, rejected.decision_reason, rejected.code) == (
        ProjectStatus.REJECTED,
        "与往年项目重复",
        None,
    )


@pytest.mark.django_db(transaction=True)
def test_two_staff_deciding_at_once_give_one_decision(town, org, admin):
    from projectize.orgs.models import Role
    from tests.factories import user_with_role

    other_admin = user_with_role(Role.TOWN_ADMIN, town)
    call = make_call(town, 2026, phase="review")
    project = make_project(org, call, status=ProjectStatus.UNDER_REVIEW)
    results: list[str] = []
    barrier = threading.Barrier(2)

    def decide(actor, step):
        try:
            barrier.wait()
            PROJECT.apply(Project.objects.get(pk=project.pk), step, actor=actor, note="决定")
            results.append(step)
        except TransitionError:
            results.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(admin, "approve")),
        threading.Thread(target=decide, args=(other_admin, "reject")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results).count("refused") == 1
    project.refresh_from_db()
    decided = next(r for r in results if r != "refused")
    assert project.status == {"approve": ProjectStatus.APPROVED, "reject": ProjectStatus.REJECTED}[decided]
    assert (
        ActivityLog.objects.filter(target_id=str(project.pk), action__in=["project.approve", "project.reject"]).count()
        == 1
    )


@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_never_share_a_code(town, admin):
    from tests.factories import make_org

    call = make_call(town, 2026, phase="review")
    projects = [
        make_project(make_org(town, f"第{n}居民区"), call, status=ProjectStatus.UNDER_REVIEW, title=f"项目{n}")
        for n in range(4)
    ]
    barrier = threading.Barrier(len(projects))

    def decide(project):
        try:
            barrier.wait()
            PROJECT.apply(Project.objects.get(pk=project.pk), "approve", actor=admin, note="同意")
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(p,)) for p in projects]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    codes = list(Project.objects.order_by("code").values_list("code", flat=True))
    assert codes == ["2026-SF-001", "2026-SF-002", "2026-SF-003", "2026-SF-004"]


def test_reviewers_score_only_what_they_are_assigned_and_not_after_the_decision(
    call, org, secretary, admin, expert, application_rubric, town
):
    from projectize.orgs.models import Role
    from tests.factories import user_with_role

    outsider = user_with_role(Role.REVIEWER, town)
    project = PROJECT.apply(make_project(org, call), "submit", actor=secretary)
    move_call(call, "review")
    project = PROJECT.apply(project, "start_review", actor=admin)
    assert project not in projects_visible_to(expert)
    review = review_open(subject=project, rubric=application_rubric, reviewers=[expert], actor=admin)
    assignment = Assignment.objects.get(review=review, reviewer=expert)
    assignment_accept(assignment=assignment, actor=expert)
    assert project in projects_visible_to(expert)
    assert project not in projects_visible_to(outsider)
    scores = {c.pk: Decimal(18) for c in application_rubric.criteria.all()}
    with pytest.raises((PermissionDenied, ReviewError)):
        sheet_submit(assignment=assignment, scores=scores, actor=outsider)
    sheet_submit(assignment=assignment, scores=scores, actor=expert)

    approve_project = PROJECT.apply(project, "approve", actor=admin, note="评分优秀")
    review.refresh_from_db()
    assert review.status == "closed"
    assert approve_project.code == "2026-SF-001"
    # A late reviewer added before the decision cannot score once the review is closed.
    with pytest.raises(ReviewError):
        sheet_submit(assignment=assignment, scores=scores, actor=expert)


def test_start_needs_the_five_fixed_and_says_what_is_missing(call, org, admin, leader, secretary):
    project = make_project(org, call, status=ProjectStatus.APPROVED, code="2026-SF-009")
    move_call(call, "implementation")
    with pytest.raises(TransitionError, match="请补充五定信息") as refused:
        PROJECT.apply(project, "start", actor=secretary)
    assert "定牵头领导" in str(refused.value) and "定团队" in str(refused.value)
    project.refresh_from_db()
    assert project.status == ProjectStatus.APPROVED

    # A lead leader must be a committee leader.
    fill_five_fixed(project, leader=secretary)
    with pytest.raises(TransitionError, match="不是党委领导"):
        PROJECT.apply(project, "start", actor=secretary)
    project.lead_leader = leader
    project.save()
    started = PROJECT.apply(project, "start", actor=secretary)
    assert started.status == ProjectStatus.IN_PROGRESS
    # Reports every 90 days (the call's interval) until the end date, the last one on it.
    due = list(started.reports.values_list("due_date", flat=True))
    assert due[0] == TODAY + datetime.timedelta(days=90)
    assert due[-1] == started.end_date


def running_project(call, org, leader, **fields):
    move_call(call, "implementation")
    project = make_project(org, call, status=ProjectStatus.APPROVED, code="2026-SF-001", **fields)
    fill_five_fixed(project, leader=leader)
    return PROJECT.apply(project, "start", actor=responsible(project))


def test_reports_are_submitted_returned_resubmitted_and_accepted(call, org, leader, admin, secretary):
    project = running_project(call, org, leader)
    report = project.reports.first()
    indicator = project.indicators.get()
    with pytest.raises(TransitionError, match="请填写进展情况"):
        services.report_submit(actor=secretary, report=report, content=" ", actuals={})
    report = services.report_submit(
        actor=secretary, report=report, content="召开议事会 3 次", actuals={indicator.pk: Decimal(3)}
    )
    assert report.status == ReportStatus.SUBMITTED
    with pytest.raises(PermissionDenied):
        services.report_review(actor=secretary, report=report, accept=True)
    report = services.report_review(actor=admin, report=report, accept=False, comment="请补充照片")
    assert (report.status, report.review_comment) == (ReportStatus.RETURNED, "请补充照片")
    report = services.report_submit(
        actor=secretary, report=report, content="召开议事会 4 次", actuals={indicator.pk: Decimal(4)}
    )
    report = services.report_review(actor=admin, report=report, accept=True)
    indicator.refresh_from_db()
    assert (report.status, indicator.actual) == (ReportStatus.ACCEPTED, Decimal(4))
    # Both review steps show on the project's own timeline.
    entries = [e.action for e in project_timeline(project)]
    assert "progressreport.return" in entries and "progressreport.accept" in entries


def test_milestones_and_indicators_drive_progress(call, org, leader, admin):
    project = running_project(call, org, leader)
    first, second = project.milestones.all()
    services.milestone_assess(actor=admin, milestone=first, status=MilestoneStatus.MET)
    services.milestone_assess(actor=admin, milestone=second, status=MilestoneStatus.PARTLY_MET)
    project.refresh_from_db()
    # Met 1, partly met ½, and the indicator with no actual yet 0: (1 + ½ + 0) / 3.
    assert project.progress == 50


def test_overdue_work_turns_yellow_then_red(call, org, leader):
    project = running_project(call, org, leader)
    project.milestones.filter(title="成立议事会").update(due_date=TODAY - datetime.timedelta(days=3))
    project.reports.filter(number=1).update(due_date=TODAY - datetime.timedelta(days=20))
    items = overdue_items()
    assert [(i.kind, i.level, i.days) for i in items] == [("report", "red", 20), ("milestone", "yellow", 3)]
    assert overdue_items(organization=org) == items
    assert Project.objects.filter(overdue_q()).get() == project


def test_change_requests_are_decided_by_staff_and_logged(call, org, leader, admin, secretary):
    project = running_project(call, org, leader)
    new_end = project.end_date + datetime.timedelta(days=60)
    change = services.change_request_create(actor=secretary, project=project, reason="疫情延误", end_date=new_end)
    with pytest.raises(PermissionDenied):
        services.change_request_decide(actor=secretary, change=change, approve=True)
    services.change_request_decide(actor=admin, change=change, approve=True)
    project.refresh_from_db()
    assert project.end_date == new_end
    entry = ActivityLog.objects.get(target_id=str(project.pk), action="project.change")
    assert entry.after == {"end_date": {"date": new_end.isoformat()}}


def test_acceptance_survey_conclusion_and_promotion(call, org, leader, admin, secretary, acceptance_rubric, other_org):
    project = running_project(call, org, leader)
    with pytest.raises(TransitionError, match="考评阶段"):
        services.acceptance_schedule(
            actor=admin, project=project, scheduled_on=TODAY, panel=[leader], checklist=["台账"]
        )
    move_call(call, "evaluation")
    acceptance = services.acceptance_schedule(
        actor=admin, project=project, scheduled_on=TODAY, panel=[leader], checklist=["台账", "凭证"]
    )
    services.survey_answer(acceptance=acceptance, mobile="13900000001", satisfaction=Satisfaction.SATISFIED)
    with pytest.raises(TransitionError, match="只能填写一次"):
        services.survey_answer(acceptance=acceptance, mobile="13900000001", satisfaction=Satisfaction.UNSATISFIED)
    assert acceptance.survey_responses.get().respondent != "13900000001"

    with pytest.raises(TransitionError, match="请先记录"):
        services.acceptance_conclude(actor=admin, acceptance=acceptance, conclusion="accepted", note="")
    with pytest.raises(PermissionDenied):
        services.acceptance_record(actor=secretary, acceptance=acceptance, fields={}, checks={})
    item = acceptance.check_items.get(item="台账")
    services.acceptance_record(
        actor=leader,
        acceptance=acceptance,
        fields={
            "listen_score": Decimal(24),
            "look_score": Decimal(22),
            "check_score": Decimal(23),
            "ask_score": Decimal(24),
        },
        checks={item.pk: (True, "齐全")},
    )
    acceptance = services.acceptance_conclude(
        actor=admin, acceptance=acceptance, conclusion=AcceptanceConclusion.ACCEPTED, note="成效明显"
    )
    assert (acceptance.total, acceptance.grade) == (Decimal(93), "优秀")
    with pytest.raises(TransitionError, match="问卷已结束"):
        services.survey_answer(acceptance=acceptance, mobile="13900000002", satisfaction=Satisfaction.SATISFIED)

    with pytest.raises(TransitionError, match="已结题"):
        services.promotion_save(actor=admin, project=project, summary="经验")
    indicator = project.indicators.get()
    project = services.project_conclude(
        actor=admin,
        project=project,
        summary="形成议事规则",
        counters={"rules_established": 1, "problems_solved": 3, "service_brands": 1, "beneficiaries": 1200},
        actuals={indicator.pk: Decimal(14)},
        custom_indicators=[{"name": "志愿者人数", "unit": "人", "target": Decimal(20), "actual": Decimal(32)}],
    )
    assert (project.status, project.progress, project.beneficiaries) == (ProjectStatus.CONCLUDED, 100, 1200)
    assert project.indicators.filter(is_custom=True).get().actual == Decimal(32)
    promotion = services.promotion_save(actor=admin, project=project, summary="议事规则可复制")
    services.adoption_add(actor=admin, promotion=promotion, organization=other_org, adopted_on=TODAY)
    with pytest.raises(TransitionError, match="已经登记"):
        services.adoption_add(actor=admin, promotion=promotion, organization=other_org, adopted_on=TODAY)
    assert [a.organization for a in promotion.adoptions.all()] == [other_org]


def test_rectify_sends_the_project_back_for_a_recheck(call, org, leader, admin, acceptance_rubric):
    project = running_project(call, org, leader)
    move_call(call, "evaluation")
    acceptance = services.acceptance_schedule(
        actor=admin, project=project, scheduled_on=TODAY, panel=[leader], checklist=[]
    )
    services.acceptance_record(
        actor=admin,
        acceptance=acceptance,
        fields={
            "listen_score": Decimal(10),
            "look_score": Decimal(10),
            "check_score": Decimal(10),
            "ask_score": Decimal(10),
        },
        checks={},
    )
    acceptance = services.acceptance_conclude(actor=admin, acceptance=acceptance, conclusion="rectify", note="台账不全")
    project.refresh_from_db()
    assert (acceptance.grade, project.status) == ("不合格", ProjectStatus.RECTIFYING)
    with pytest.raises(TransitionError, match="不能执行“结题”"):
        services.project_conclude(actor=admin, project=project, summary="x", counters={}, actuals={})
    again = services.acceptance_schedule(actor=admin, project=project, scheduled_on=TODAY, panel=[leader], checklist=[])
    assert again.pk != acceptance.pk


def test_an_innovation_result_seeds_a_project_in_the_next_call(town, org, other_org, secretary, other_secretary):
    source = make_project(
        org, None, type=ProjectType.INNOVATION, status=ProjectStatus.CONCLUDED, code="2025-CX-001", year=2025
    )
    call = make_call(town, 2026)
    with pytest.raises(TransitionError, match="典型示范型或制度推广型"):
        services.application_save(
            actor=other_secretary,
            organization=other_org,
            call=call,
            seeded_from=source,
            fields=draft_fields(type=ProjectType.INNOVATION),
            indicators=[],
            milestones=[],
        )
    seeded = services.application_save(
        actor=other_secretary,
        organization=other_org,
        call=call,
        seeded_from=source,
        fields=draft_fields(type=ProjectType.INSTITUTIONAL),
        indicators=[],
        milestones=[],
    )
    assert seeded.seeded_from == source
    assert list(source.seeded.all()) == [seeded]

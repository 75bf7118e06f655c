"""Guards, effects, recipients and next-step texts of the projects' workflow steps (the tables are in
`workflows.py`)."""

import datetime
import itertools
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from projectize.core.activity import as_choice, as_money, as_phrase
from projectize.core.services import log_activity
from projectize.core.workflow import NextStep
from projectize.orgs.models import CommitteeProfile, Organization, Role, User
from projectize.orgs.selectors import committee_of
from projectize.projects.models import (
    PHASE_ORDER,
    TYPE_CODES,
    Acceptance,
    AcceptanceConclusion,
    AcceptanceStatus,
    Call,
    ChangeRequest,
    ChangeStatus,
    CodeCounter,
    Milestone,
    Phase,
    ProgressReport,
    Project,
    ProjectStatus,
    ReportStatus,
    TeamMember,
)
from projectize.projects.review import acceptance_result, close_application_reviews
from projectize.projects.rules import is_assigned_reviewer, is_project_owner, is_project_staff
from projectize.projects.selectors import lead_leader_is_committee_leader, org_people, project_people

# ---- phases -------------------------------------------------------------------------------------


def phase_problem(project: Project, allowed: tuple[str, ...], action: str) -> str | None:
    """Refuse a step outside the phases of the project's call that allow it (claim projects have no call)."""
    if project.call is None:
        return None
    phase = project.call.phase()
    if phase in allowed:
        return None
    return _("“%(call)s”当前处于“%(phase)s”，不能%(action)s（允许的阶段：%(allowed)s）。") % {
        "call": project.call,
        "phase": Phase(phase).label,
        "action": action,
        "allowed": "、".join(str(Phase(p).label) for p in allowed),
    }


def from_phase(phase: str) -> tuple[str, ...]:
    """The phase and every later one except "closed" (a running project goes on after its call closes)."""
    return tuple(PHASE_ORDER[PHASE_ORDER.index(phase) :])


def call_dates_problem(call: Call) -> str | None:
    dates = [
        call.application_start,
        call.application_end,
        call.review_start,
        call.review_end,
        call.implementation_start,
        call.implementation_end,
        call.evaluation_start,
        call.evaluation_end,
    ]
    known = [d for d in dates if d is not None]
    if len(known) < len(dates):
        return _("请先填写全部阶段的起止日期。")
    if any(later < earlier for earlier, later in itertools.pairwise(known)):
        return _("各阶段日期须按申报、评审、实施、考评的顺序先后排列。")
    return None


def review_phase_problem(project: Project) -> str | None:
    return phase_problem(project, (Phase.REVIEW,), _("评审审批"))


def evaluation_phase_problem(project: Project) -> str | None:
    return phase_problem(project, from_phase(Phase.EVALUATION), _("安排验收"))


# ---- application --------------------------------------------------------------------------------


def application_phases(project: Project) -> tuple[str, ...]:
    """The phases in which the application may be written and submitted: a returned one may be revised
    and resubmitted while the review is on."""
    return (Phase.APPLICATION, Phase.REVIEW) if project.status == ProjectStatus.RETURNED else (Phase.APPLICATION,)


def application_phase_problem(project: Project) -> str | None:
    return phase_problem(project, application_phases(project), _("填写申报"))


def missing_fields(project: Project) -> dict[str, str]:
    """What a complete application still lacks, field by field (empty when complete)."""
    required = {
        "type": _("请选择项目类型。"),
        "title": _("请填写项目名称。"),
        "background": _("请说明项目背景与要解决的问题。"),
        "approach": _("请填写推进方式。"),
        "measures": _("请填写组织措施。"),
        "expected_effects": _("请填写预期效果。"),
        "building_type": _("请选择组织建设类型。"),
        "budget_requested": _("请填写申请经费。"),
        "start_date": _("请填写开始日期。"),
        "end_date": _("请填写结束日期。"),
    }
    missing = {name: str(message) for name, message in required.items() if getattr(project, name) in (None, "")}
    if project.start_date and project.end_date and project.end_date < project.start_date:
        missing["end_date"] = _("结束日期不能早于开始日期。")
    if not project.indicators.exists():
        missing["indicators"] = _("请至少填写一项量化指标。")
    if not project.milestones.exists():
        missing["milestones"] = _("请至少填写一个实施步骤（里程碑）。")
    return missing


def submit_problem(project: Project) -> str | None:
    if problem := phase_problem(project, application_phases(project), _("提交申报")):
        return problem
    if missing := missing_fields(project):
        return _("申报内容不完整：%(missing)s") % {"missing": " ".join(missing.values())}
    return None


def snapshot(project: Project) -> dict[str, Any]:
    """The application as plain data, for versions and their diff."""
    return {
        "type": project.get_type_display(),
        "title": project.title,
        "background": project.background,
        "indicators": [
            f"{i.name}（{i.unit}）：{i.baseline} → {i.target}" for i in project.indicators.filter(is_custom=False)
        ],
        "start_date": str(project.start_date or ""),
        "end_date": str(project.end_date or ""),
        "milestones": [f"{ms.due_date} {ms.title}" for ms in project.milestones.all()],
        "approach": project.approach,
        "measures": project.measures,
        "expected_effects": project.expected_effects,
        "building_type": project.get_building_type_display(),
        "budget_requested": str(project.budget_requested or ""),
    }


def on_submit(project: Project, actor: User, note: str) -> None:
    project.submitted_at = timezone.now()
    number = project.versions.count() + 1
    project.versions.create(number=number, data=snapshot(project), submitted_by=actor)


def on_return(project: Project, actor: User, note: str) -> None:
    project.return_comment = note


def code_prefix_of(organization: Organization) -> str:
    """The letters the committee running `organization` puts before its project codes ("" for none)."""
    committee = committee_of(organization)
    letters = CommitteeProfile.objects.filter(organization=committee).values_list("code_prefix", flat=True).first()
    return letters or ""


def next_code(year: int, type_code: str, committee_prefix: str = "") -> str:
    """The next code for a year and type (e.g. 2012-CX-001, or SJ-2026-CX-001 where the committee has a
    prefix), taken under a row lock: two approvals at once never share a number. Each committee with its
    own prefix numbers its projects on its own; codes never collide between towns."""
    prefix = f"{committee_prefix}-{year}-{type_code}" if committee_prefix else f"{year}-{type_code}"
    CodeCounter.objects.get_or_create(prefix=prefix)
    counter = CodeCounter.objects.select_for_update().get(prefix=prefix)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}-{counter.last:03d}"


def on_approve(project: Project, actor: User, note: str) -> None:
    project.code = next_code(project.year, TYPE_CODES[project.type], code_prefix_of(project.running_organization))
    project.approved_at = timezone.now()
    project.decision_reason = note
    close_application_reviews(project, actor)


def on_reject(project: Project, actor: User, note: str) -> None:
    project.decision_reason = note
    close_application_reviews(project, actor)


# ---- implementation -----------------------------------------------------------------------------


def five_fixed_missing(project: Project) -> list[str]:
    """What 五定 still lacks, in words a secretary understands (empty when complete)."""
    missing = []
    if not project.code:
        missing.append(_("定项目：项目尚未立项编号。"))
    # The project page reads the plan and the team once for all that asks (prefetched); elsewhere one query each.
    if not project.milestones.all():
        missing.append(_("定计划：请填写带完成时限的实施步骤。"))
    if project.lead_leader is None:
        missing.append(_("定牵头领导：请选择一位党委领导。"))
    elif not lead_leader_is_leader(project):
        missing.append(_("定牵头领导：所选人员不是党委领导。"))
    if project.responsible is None:
        missing.append(_("定责任人：请指定项目责任人。"))
    if not any(member.role for member in project.team.all()):
        missing.append(_("定团队：请至少添加一名注明分工的团队成员。"))
    return missing


def start_problem(project: Project) -> str | None:
    if problem := phase_problem(project, from_phase(Phase.IMPLEMENTATION), _("启动实施")):
        return problem
    if missing := five_fixed_missing(project):
        return _("请补充五定信息：%(missing)s") % {"missing": " ".join(missing)}
    return None


def report_interval(project: Project) -> int:
    if project.report_interval_days:
        return int(project.report_interval_days)
    return int(project.call.report_interval_days) if project.call else 90


def schedule_reports(project: Project, start: datetime.date) -> None:
    """Replace the reports not yet handed in with ones due every interval from `start` to the end date."""
    project.reports.filter(status=ReportStatus.DUE).delete()
    number = (project.reports.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    end = project.end_date or start + datetime.timedelta(days=365)
    step = datetime.timedelta(days=report_interval(project))
    due = start + step
    dues = []
    while due <= end:
        dues.append(due)
        due += step
    if not dues or dues[-1] < end:
        dues.append(end)
    ProgressReport.objects.bulk_create(
        ProgressReport(project=project, number=number + n, due_date=d) for n, d in enumerate(dues)
    )


def on_start(project: Project, actor: User, note: str) -> None:
    project.started_at = timezone.now()
    schedule_reports(project, max(timezone.localdate(), project.start_date or timezone.localdate()))


def report_submit_problem(report: ProgressReport) -> str | None:
    if report.project.status not in ProjectStatus.group("running"):
        return _("项目不在实施中，不能提交进展报告。")
    return None


def on_report_submit(report: ProgressReport, actor: User, note: str) -> None:
    # The content, figures and evidence come with the step, from the report's form (services.report_submit).
    report.submitted_at = timezone.now()
    report.submitted_by = actor


def on_report_review(report: ProgressReport, actor: User, note: str) -> None:
    report.review_comment = note
    if report.status == ReportStatus.ACCEPTED:
        # An accepted report's figures become the indicators' current actuals, and move the progress.
        for actual in report.actuals.select_related("indicator"):
            actual.indicator.actual = actual.value
            actual.indicator.save(update_fields=["actual"])
        project = Project.objects.select_for_update().get(pk=report.project_id)
        project.recompute_progress()
        project.save(update_fields=["progress", "updated_at"])


def milestone_assess_problem(milestone: Milestone) -> str | None:
    if milestone.project.status not in ProjectStatus.group("under_way"):
        return _("项目不在实施中，不能评定里程碑。")
    return None


def on_milestone_assess(milestone: Milestone, actor: User, note: str) -> None:
    """The project's progress follows its milestones: saved first, so that the progress counts the new state."""
    project = Project.objects.select_for_update().get(pk=milestone.project_id)
    milestone.save(update_fields=["status"])
    project.recompute_progress()
    project.save(update_fields=["progress", "updated_at"])


def reschedule_reports(project: Project) -> None:
    """Reports not yet handed in follow the project's dates and interval: due every interval after the
    last report handed in (or the start) until the end date."""
    last_kept = (
        project.reports.exclude(status=ReportStatus.DUE).order_by("-due_date").values_list("due_date", flat=True)
    ).first()
    started = timezone.localdate(project.started_at) if project.started_at else timezone.localdate()
    schedule_reports(project, last_kept or project.start_date or started)


def on_change_approve(change: ChangeRequest, actor: User, note: str) -> None:
    """Write the approved change into the project: dates, budget and responsible person, indicator
    targets, the plan (milestones kept by title keep their assessment) and the team; the reports not
    yet due follow the new dates."""
    project = Project.objects.select_for_update().get(pk=change.project_id)
    fields = {
        "start_date": change.new_start_date,
        "end_date": change.new_end_date,
        "budget_requested": change.new_budget,
        "responsible": change.new_responsible,
    }
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for name, value in fields.items():
        if value is not None and value != getattr(project, name):
            before[name], after[name] = getattr(project, name), value
            setattr(project, name, value)
    if "budget_requested" in after:
        before["budget_requested"] = as_money(before["budget_requested"] or 0)
        after["budget_requested"] = as_money(after["budget_requested"])
    for pk, target in (change.new_targets or {}).items():
        project.indicators.filter(pk=int(pk), is_custom=False).update(target=Decimal(target))
    if change.new_milestones is not None:
        kept = {ms.title: ms for ms in project.milestones.all()}
        wanted = {row["title"]: datetime.date.fromisoformat(row["due_date"]) for row in change.new_milestones}
        project.milestones.exclude(title__in=wanted).delete()
        for title, due in wanted.items():
            if title in kept:
                kept[title].due_date = due
                kept[title].save(update_fields=["due_date"])
            else:
                project.milestones.create(title=title, due_date=due)
    if change.new_team is not None:
        project.team.all().delete()
        project.team.bulk_create(
            TeamMember(project=project, name=row["name"], role=row["role"]) for row in change.new_team
        )
    project.recompute_progress()
    project.save()
    if "start_date" in after or "end_date" in after:
        reschedule_reports(project)
    change.decided_by = actor
    change.decision_note = note
    log_activity(
        actor=actor,
        action="project.change",
        target=project,
        params={"kind": as_phrase(change.summary)},
        before=before,
        after=after,
    )


def on_change_reject(change: ChangeRequest, actor: User, note: str) -> None:
    change.decided_by = actor
    change.decision_note = note


# ---- acceptance and conclusion ------------------------------------------------------------------


def lead_leader_is_leader(project: Project) -> bool:
    """Whether the project's lead leader is a leader of its committee (`selectors.lead_leader_is_committee_leader`;
    the project page reads it with the project, as `lead_leader_is_leader`)."""
    known: bool | None = getattr(project, "lead_leader_is_leader", None)
    if known is not None:
        return known
    return (
        project.lead_leader_id is not None
        and Project.objects.filter(lead_leader_is_committee_leader(), pk=project.pk).exists()
    )


def latest_acceptance(project: Project) -> Acceptance | None:
    return max(project.acceptances.all(), key=lambda acceptance: acceptance.pk, default=None)


def acceptance_concluded_problem(project: Project) -> str | None:
    latest = latest_acceptance(project)
    if latest is None or latest.status != AcceptanceStatus.CONCLUDED:
        return _("验收尚未得出结论。")
    return None


def conclude_problem(project: Project) -> str | None:
    latest = latest_acceptance(project)
    if latest is None or latest.conclusion != AcceptanceConclusion.ACCEPTED:
        return _("项目须先通过验收才能结题。")
    return None


def on_acceptance_conclude(acceptance: Acceptance, actor: User, note: str) -> None:
    """Total and grade the acceptance through its rubric (`review.acceptance_result`); the survey closes.
    The conclusion itself comes with the step, from the conclusion form."""
    acceptance.total, acceptance.grade = acceptance_result(acceptance)
    acceptance.conclusion_note = note
    acceptance.survey_open = False


def on_conclude(project: Project, actor: User, note: str) -> None:
    project.concluded_at = timezone.now()
    project.progress = 100
    # Reports that were still to come are no longer due.
    project.reports.filter(status=ReportStatus.DUE).delete()


def acceptance_new_url(project: Project) -> str:
    return reverse("projects:acceptance_new", args=[project.pk])


def acceptance_conclusion_url(acceptance: Acceptance) -> str:
    return acceptance.get_absolute_url() + "#conclusion"


def conclude_url(project: Project) -> str:
    return reverse("projects:conclude", args=[project.pk])


def report_url(report: ProgressReport) -> str:
    return report.get_absolute_url()


# ---- who is told --------------------------------------------------------------------------------


def lineage_paths(organization: Organization) -> list[str]:
    """Paths of the organization and all its ancestors (a grant at any of them reaches it)."""
    step = organization.steplen
    return [organization.path[:end] for end in range(step, len(organization.path) + 1, step)]


def _staff_over(organization: Organization) -> list[User]:
    """Who runs what the organization runs: town admins over it, and the district staff of its committee when
    that committee is their district (a district's call is theirs; a town's are not)."""
    town_admins = Q(grants__role=Role.TOWN_ADMIN, grants__organization__path__in=lineage_paths(organization))
    district_staff = Q(grants__role=Role.DISTRICT_STAFF, grants__organization=committee_of(organization))
    return list(User.objects.filter(town_admins | district_staff, is_active=True).distinct())


def call_staff(project: Project) -> list[User]:
    return _staff_over(project.running_organization)


def project_staff(obj: ProgressReport | ChangeRequest | Project) -> list[User]:
    project = obj if isinstance(obj, Project) else obj.project
    return _staff_over(project.running_organization)


def org_of_project(obj: ProgressReport | ChangeRequest | Project) -> list[User]:
    project = obj if isinstance(obj, Project) else obj.project
    return list(org_people(project.organization))


def everyone_concerned(project: Project) -> list[User]:
    return project_people(project)


# ---- what to do next (for those the table's hints do not speak to) ---------------------------------


def application_next_step(user: User, project: Project) -> NextStep | None:
    """A draft or returned application: its organization is sent to the form while the call allows it."""
    if not is_project_owner(user, project):
        return None
    if application_phase_problem(project):
        return NextStep(_("申报期已过，本申报不能再提交。"), tone="secondary")
    if project.status == ProjectStatus.RETURNED:
        text = _("请根据退回意见修改后重新提交。")
    else:
        text = _("请完善申报内容并提交。")
    return NextStep(text, reverse("projects:edit", args=[project.pk]))


def submitted_next_step(user: User, project: Project) -> NextStep:
    if not is_project_staff(user, project):
        return NextStep(_("申报已提交，等待镇党委评审。"), tone="info")
    if project.call is not None and project.call.review_start and review_phase_problem(project):
        start = date_format(project.call.review_start, "DATE_FORMAT")
        return NextStep(_("评审阶段自 %(date)s 开始，届时请开始评审并指派评审专家。") % {"date": start}, tone="info")
    return NextStep(_("请开始评审并指派评审专家。"), tone="info")


def under_review_next_step(user: User, project: Project) -> NextStep:
    if is_project_staff(user, project):
        return NextStep(_("评审专家评分、研究讨论后，请作出立项决定或退回修改。"))
    if is_assigned_reviewer(user, project):
        return NextStep(_("待您评审：请在“我的评审”中评分。"), reverse("reviews:mine"))
    return NextStep(_("申报正在评审中。"), tone="info")


def approved_next_step(user: User, project: Project) -> NextStep | None:
    """Approved, not yet startable: 五定 to fill in, or the implementation phase to wait for."""
    if not (is_project_owner(user, project) or is_project_staff(user, project)):
        return None
    if five_fixed_missing(project):
        return NextStep(_("请补充五定信息"), reverse("projects:five_fixed", args=[project.pk]), tone="warning")
    if problem := start_problem(project):
        return NextStep(problem, tone="secondary")
    return NextStep(_("五定信息已齐全，请启动实施。"))


def running_next_step(user: User, project: Project) -> NextStep:
    """A running project: its organization hands in reports; staff review them and the changes asked for."""
    if is_project_owner(user, project):
        to_hand_in = ReportStatus.group("to_hand_in")
        report = min((r for r in project.reports.all() if r.status in to_hand_in), key=lambda r: r.number, default=None)
        if report is not None:
            return NextStep(
                _("请提交第 %(n)s 期进展报告（%(date)s 前）。") % {"n": report.number, "date": report.due_date},
                report.get_absolute_url(),
            )
    if is_project_staff(user, project):
        if any(r.status == ReportStatus.SUBMITTED for r in project.reports.all()):
            return NextStep(_("有进展报告待审核。"), "#reports")
        pending = ChangeStatus.group("pending")
        if any(c.status in pending for c in project.change_requests.all()):
            return NextStep(_("有调整申请待审批。"), "#changes")
        return NextStep(_("项目实施中：评定里程碑，到期后安排验收。"), "#plan", tone="info")
    return NextStep(_("项目实施中。"), tone="info")


def acceptance_next_step(user: User, project: Project) -> NextStep | None:
    latest = latest_acceptance(project)
    if latest is not None and latest.status == AcceptanceStatus.SCHEDULED:
        return NextStep(_("验收进行中：记录一听、二看、三查、四问。"), latest.get_absolute_url())
    return None


def concluded_next_step(user: User, project: Project) -> NextStep | None:
    if is_project_staff(user, project) and not hasattr(project, "promotion"):
        return NextStep(
            _("项目已结题：有推广价值的，可列入推广。"), reverse("projects:promotion", args=[project.pk]), "info"
        )
    return None


def acceptance_conclusion_facts(acceptance: Acceptance) -> dict[str, Any]:
    """What the log says of a conclusion: the verdict, the total and the grade."""
    return {
        "conclusion": as_choice(acceptance, "conclusion"),
        "total": acceptance.total,
        "grade": acceptance.grade,
    }

"""The projects' transition tables: calls, projects, their progress reports, change requests, acceptances
and milestones. Each is the only place that moves its model's status (`TABLE.apply(obj, step, ...)`)."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from projectize.core.workflow import Transition, Workflow
from projectize.projects import selectors, steps
from projectize.projects.models import (
    Acceptance,
    AcceptanceStatus,
    Call,
    CallStatus,
    ChangeRequest,
    ChangeStatus,
    Milestone,
    MilestoneStatus,
    ProgressReport,
    Project,
    ProjectStatus,
    ReportStatus,
)
from projectize.projects.rules import acceptance_concluded_as, is_project_owner, is_project_staff

CALL = Workflow(
    Call,
    CallStatus,
    [
        Transition(
            "open",
            _("发布申报"),
            (CallStatus.DRAFT,),
            CallStatus.OPEN,
            is_project_staff,
            guard=steps.call_dates_problem,
            confirm=_("发布后，各基层组织在申报阶段内即可填写和提交申报。"),
        ),
        Transition(
            "close",
            _("关闭申报"),
            (CallStatus.OPEN,),
            CallStatus.CLOSED,
            is_project_staff,
            style="danger",
            confirm=_(
                "关闭后本年度申报的各阶段即告结束：不能再提交申报、评审审批、启动实施或安排验收。此操作不能撤销。"
            ),
        ),
    ],
    scope=selectors.visible_calls,
)


PROJECT = Workflow(
    Project,
    ProjectStatus,
    [
        Transition(
            "submit",
            _("提交申报"),
            (ProjectStatus.DRAFT, ProjectStatus.RETURNED),
            ProjectStatus.SUBMITTED,
            is_project_owner,
            guard=steps.submit_problem,
            effect=steps.on_submit,
            notify=steps.call_staff,
        ),
        Transition(
            "withdraw",
            _("撤回申报"),
            (ProjectStatus.SUBMITTED,),
            ProjectStatus.WITHDRAWN,
            is_project_owner,
            notify=steps.call_staff,
            style="secondary",
            confirm=_("撤回后本申报不再参加评审，也不能再次提交。"),
        ),
        Transition(
            "start_review",
            _("开始评审"),
            (ProjectStatus.SUBMITTED,),
            ProjectStatus.UNDER_REVIEW,
            is_project_staff,
            guard=steps.review_phase_problem,
            notify=steps.org_of_project,
            hint=_("请开始评审并指派评审专家。"),
        ),
        Transition(
            "return",
            _("退回修改"),
            (ProjectStatus.SUBMITTED, ProjectStatus.UNDER_REVIEW),
            ProjectStatus.RETURNED,
            is_project_staff,
            guard=steps.review_phase_problem,
            effect=steps.on_return,
            notify=steps.org_of_project,
            requires_note=True,
            style="secondary",
        ),
        Transition(
            "approve",
            _("批准立项"),
            (ProjectStatus.UNDER_REVIEW,),
            ProjectStatus.APPROVED,
            is_project_staff,
            guard=steps.review_phase_problem,
            effect=steps.on_approve,
            notify=steps.everyone_concerned,
            requires_note=True,
            confirm=_("批准后本申报立项并编号，专家评审随之结束，项目相关人员将收到通知；此操作不能撤销。"),
            hint=_("评审专家评分、研究讨论后，请作出立项决定或退回修改。"),
        ),
        Transition(
            "reject",
            _("不予立项"),
            (ProjectStatus.UNDER_REVIEW,),
            ProjectStatus.REJECTED,
            is_project_staff,
            guard=steps.review_phase_problem,
            effect=steps.on_reject,
            notify=steps.everyone_concerned,
            requires_note=True,
            style="danger",
            confirm=_("不予立项后本申报即告结束，不能再修改或重新提交；申报组织将收到通知和理由。"),
        ),
        Transition(
            "start",
            _("启动实施"),
            (ProjectStatus.APPROVED,),
            ProjectStatus.IN_PROGRESS,
            is_project_owner | is_project_staff,
            guard=steps.start_problem,
            effect=steps.on_start,
            notify=steps.everyone_concerned,
            confirm=_("启动后按报告周期排出进展报告期次，按五定和实施计划督办；项目相关人员将收到通知。"),
            hint=_("五定信息已齐全，请启动实施。"),
        ),
        Transition(
            # The acceptance's date, panel and checklist come from its form (services.acceptance_schedule).
            "schedule_acceptance",
            _("安排验收"),
            (ProjectStatus.IN_PROGRESS, ProjectStatus.RECTIFYING),
            ProjectStatus.ACCEPTANCE,
            is_project_staff,
            guard=steps.evaluation_phase_problem,
            notify=steps.everyone_concerned,
            form_url=steps.acceptance_new_url,
        ),
        Transition(
            # Taken with the acceptance's conclusion (services.acceptance_conclude).
            "rectify",
            _("整改后复查"),
            (ProjectStatus.ACCEPTANCE,),
            ProjectStatus.RECTIFYING,
            is_project_staff & acceptance_concluded_as("rectify"),
            guard=steps.acceptance_concluded_problem,
            notify=steps.everyone_concerned,
        ),
        Transition(
            "fail",
            _("验收不合格"),
            (ProjectStatus.ACCEPTANCE,),
            ProjectStatus.FAILED,
            is_project_staff & acceptance_concluded_as("failed"),
            guard=steps.acceptance_concluded_problem,
            notify=steps.everyone_concerned,
            style="danger",
            confirm=_("验收不合格后项目即告终止，不能再整改或结题；项目相关人员将收到通知。此操作不能撤销。"),
        ),
        Transition(
            # The summary, outcome counters and final actuals come from its form (services.project_conclude).
            "conclude",
            _("结题"),
            (ProjectStatus.ACCEPTANCE,),
            ProjectStatus.CONCLUDED,
            is_project_staff & acceptance_concluded_as("accepted"),
            guard=steps.conclude_problem,
            effect=steps.on_conclude,
            notify=steps.everyone_concerned,
            form_url=steps.conclude_url,
            hint=_("已通过验收，请填写结题总结。"),
        ),
    ],
    scope=selectors.visible_projects,
    waiting={
        ProjectStatus.DRAFT: steps.application_next_step,
        ProjectStatus.RETURNED: steps.application_next_step,
        ProjectStatus.SUBMITTED: steps.submitted_next_step,
        ProjectStatus.UNDER_REVIEW: steps.under_review_next_step,
        ProjectStatus.APPROVED: steps.approved_next_step,
        ProjectStatus.IN_PROGRESS: steps.running_next_step,
        ProjectStatus.RECTIFYING: steps.running_next_step,
        ProjectStatus.ACCEPTANCE: steps.acceptance_next_step,
        ProjectStatus.CONCLUDED: steps.concluded_next_step,
    },
)


REPORT = Workflow(
    ProgressReport,
    ReportStatus,
    [
        Transition(
            # The content, figures and evidence come from the report's form (services.report_submit).
            "submit",
            _("提交报告"),
            (ReportStatus.DUE, ReportStatus.RETURNED),
            ReportStatus.SUBMITTED,
            is_project_owner,
            guard=steps.report_submit_problem,
            effect=steps.on_report_submit,
            notify=steps.project_staff,
            form_url=steps.report_url,
        ),
        Transition(
            "accept",
            _("审核通过"),
            (ReportStatus.SUBMITTED,),
            ReportStatus.ACCEPTED,
            is_project_staff,
            effect=steps.on_report_review,
            notify=steps.org_of_project,
        ),
        Transition(
            "return",
            _("退回补充"),
            (ReportStatus.SUBMITTED,),
            ReportStatus.RETURNED,
            is_project_staff,
            effect=steps.on_report_review,
            notify=steps.org_of_project,
            requires_note=True,
            style="secondary",
        ),
    ],
    scope=selectors.visible_reports,
)


CHANGE_REQUEST = Workflow(
    ChangeRequest,
    ChangeStatus,
    [
        Transition(
            "approve",
            _("批准调整"),
            (ChangeStatus.PENDING,),
            ChangeStatus.APPROVED,
            is_project_staff,
            effect=steps.on_change_approve,
            notify=steps.org_of_project,
            confirm=_("批准后调整立即写入项目；未提交的进展报告期次和里程碑日期随之更新。"),
        ),
        Transition(
            "reject",
            _("不批准"),
            (ChangeStatus.PENDING,),
            ChangeStatus.REJECTED,
            is_project_staff,
            effect=steps.on_change_reject,
            notify=steps.org_of_project,
            requires_note=True,
            style="danger",
            confirm=_("不批准后项目保持原样，申报组织将收到通知和理由。"),
        ),
    ],
    scope=selectors.visible_change_requests,
)


ACCEPTANCE = Workflow(
    Acceptance,
    AcceptanceStatus,
    [
        Transition(
            # The conclusion comes from the acceptance page's form (services.acceptance_conclude), which
            # also moves the project on when the conclusion is rectify or failed.
            "conclude",
            _("作出验收结论"),
            (AcceptanceStatus.SCHEDULED,),
            AcceptanceStatus.CONCLUDED,
            is_project_staff,
            effect=steps.on_acceptance_conclude,
            form_url=steps.acceptance_conclusion_url,
            log_params=steps.acceptance_conclusion_facts,
        ),
    ],
    scope=selectors.visible_acceptances,
)


_ASSESSED = (MilestoneStatus.PENDING, MilestoneStatus.MET, MilestoneStatus.PARTLY_MET, MilestoneStatus.NOT_MET)


def _assess(name: str, label: str | Promise, target: str) -> Transition:
    """A milestone is assessed from any other state to `target` (a mistake is put right the same way)."""
    return Transition(
        name,
        label,
        tuple(state for state in _ASSESSED if state != target),
        target,
        is_project_staff,
        guard=steps.milestone_assess_problem,
        effect=steps.on_milestone_assess,
    )


MILESTONE = Workflow(
    Milestone,
    MilestoneStatus,
    [
        _assess("meet", _("评定为已完成"), MilestoneStatus.MET),
        _assess("meet_partly", _("评定为部分完成"), MilestoneStatus.PARTLY_MET),
        _assess("miss", _("评定为未完成"), MilestoneStatus.NOT_MET),
        _assess("reopen", _("改为未到期"), MilestoneStatus.PENDING),
    ],
    scope=selectors.visible_milestones,
)

# The milestone step that records each assessment (services.milestone_assess).
MILESTONE_STEPS = {
    MilestoneStatus.MET: "meet",
    MilestoneStatus.PARTLY_MET: "meet_partly",
    MilestoneStatus.NOT_MET: "miss",
    MilestoneStatus.PENDING: "reopen",
}

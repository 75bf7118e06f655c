"""The one next step a user should take on a project, shown at the top of its page."""

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from projectize.projects import steps
from projectize.projects.models import AcceptanceStatus, Phase, Project, ProjectStatus, ReportStatus
from projectize.projects.rules import is_assigned_reviewer, is_project_owner, is_project_staff


@dataclass(frozen=True)
class NextStep:
    text: str
    url: str = ""
    tone: str = "primary"


def next_step(user: Any, project: Project) -> NextStep | None:
    owner, staff = bool(is_project_owner(user, project)), bool(is_project_staff(user, project))
    status = project.status
    phase = project.call.phase() if project.call else None
    if status in (ProjectStatus.DRAFT, ProjectStatus.RETURNED) and owner:
        if phase not in (None, Phase.APPLICATION) and not (status == ProjectStatus.RETURNED and phase == Phase.REVIEW):
            return NextStep(_("申报期已过，本申报不能再提交。"), tone="secondary")
        text = _("请根据退回意见修改后重新提交。") if status == ProjectStatus.RETURNED else _("请完善申报内容并提交。")
        return NextStep(text, reverse("projects:edit", args=[project.pk]))
    if status == ProjectStatus.SUBMITTED:
        if staff and phase not in (None, Phase.REVIEW) and project.call and project.call.review_start:
            start = date_format(project.call.review_start, "DATE_FORMAT")
            text = _("评审阶段自 %(date)s 开始，届时请开始评审并指派评审专家。") % {"date": start}
            return NextStep(text, tone="info")
        return NextStep(_("请开始评审并指派评审专家。") if staff else _("申报已提交，等待镇党委评审。"), tone="info")
    if status == ProjectStatus.UNDER_REVIEW:
        if staff:
            return NextStep(_("评审专家评分、研究讨论后，请作出立项决定或退回修改。"))
        if is_assigned_reviewer(user, project):
            return NextStep(_("待您评审：请在“我的评审”中评分。"), reverse("reviews:mine"))
        return NextStep(_("申报正在评审中。"), tone="info")
    if status == ProjectStatus.APPROVED and (owner or staff):
        if steps.five_fixed_missing(project):
            return NextStep(_("请补充五定信息"), reverse("projects:five_fixed", args=[project.pk]), tone="warning")
        return NextStep(_("五定信息已齐全，请启动实施。"))
    if status in (ProjectStatus.IN_PROGRESS, ProjectStatus.RECTIFYING):
        if owner:
            report = project.reports.filter(status__in=(ReportStatus.DUE, ReportStatus.RETURNED)).first()
            if report is not None:
                return NextStep(
                    _("请提交第 %(n)s 期进展报告（%(date)s 前）。") % {"n": report.number, "date": report.due_date},
                    report.get_absolute_url(),
                )
        if staff:
            if project.reports.filter(status=ReportStatus.SUBMITTED).exists():
                return NextStep(_("有进展报告待审核。"), "#reports")
            if project.change_requests.filter(status="pending").exists():
                return NextStep(_("有调整申请待审批。"), "#changes")
            return NextStep(_("项目实施中：评定里程碑，到期后安排验收。"), "#plan", tone="info")
        return NextStep(_("项目实施中。"), tone="info")
    if status == ProjectStatus.ACCEPTANCE:
        latest = project.acceptances.order_by("-id").first()
        if latest and latest.status == AcceptanceStatus.SCHEDULED:
            return NextStep(_("验收进行中：记录一听、二看、三查、四问。"), latest.get_absolute_url())
        if staff and latest and latest.conclusion == "accepted":
            return NextStep(_("已通过验收，请填写结题总结。"), reverse("projects:conclude", args=[project.pk]))
    if status == ProjectStatus.CONCLUDED and staff and not hasattr(project, "promotion"):
        return NextStep(
            _("项目已结题：有推广价值的，可列入推广。"), reverse("projects:promotion", args=[project.pk]), "info"
        )
    return None

import datetime
import secrets
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projectize.core.activity import as_phrase
from projectize.core.choices import StatusChoices, states
from projectize.core.models import TimeStampedModel
from projectize.core.money import MoneyField, format_money
from projectize.orgs.models import Organization


class ProjectType(models.TextChoices):
    INNOVATION = "innovation", _("创新探索型")
    DEMONSTRATION = "demonstration", _("典型示范型")
    INSTITUTIONAL = "institutional", _("制度推广型")
    # Projects born from a claimed 家新桥 target rather than from an annual call.
    REGIONAL = "regional", _("区域化党建项目")


# Letters in project codes such as 2012-CX-001.
TYPE_CODES: dict[str, str] = {
    ProjectType.INNOVATION: "CX",
    ProjectType.DEMONSTRATION: "SF",
    ProjectType.INSTITUTIONAL: "TG",
    ProjectType.REGIONAL: "RL",
}


# The goal of each type, shown on the application form.
TYPE_GOALS: dict[str, Any] = {
    ProjectType.INNOVATION: _("解难题：针对基层治理和服务中的难点问题探索新办法"),
    ProjectType.DEMONSTRATION: _("树品牌：打造可复制的服务品牌，如“一居一品”"),
    ProjectType.INSTITUTIONAL: _("规范化：把行之有效的做法固化为制度并推广"),
    ProjectType.REGIONAL: _("区域化党建：认领“家新桥”标的，共建共享"),
}


class BuildingType(models.TextChoices):
    LEARNING = "learning", _("学习型")
    SERVICE = "service", _("服务型")
    INNOVATIVE = "innovative", _("创新型")


class ProjectOrigin(models.TextChoices):
    CALL = "call", _("年度申报")
    CLAIM = "claim", _("公开认领")


@states(
    tones={
        "submitted": "info",
        "under_review": "info",
        "returned": "warning",
        "approved": "primary",
        "rejected": "dark",
        "in_progress": "success",
        "acceptance": "info",
        "rectifying": "warning",
        "concluded": "success",
        "failed": "danger",
    },
    groups={
        # The application is its organization's to write: saved as a draft, or sent back to be revised.
        "editable": ("draft", "returned"),
        # Applications still being written or taken back are not projects yet: counts leave them out.
        "not_yet_projects": ("draft", "withdrawn"),
        # Waiting on the committee's review and decision.
        "deciding": ("submitted", "under_review"),
        # The application's review and decision: its scores and reviews are shown.
        "application_review": ("submitted", "under_review", "returned", "approved", "rejected"),
        # Reviewers are assigned while the review is on.
        "under_review": ("under_review",),
        # 五定 may be filled in once approved and, but for the leader and responsible person, while running.
        "five_fixed": ("approved", "in_progress"),
        # Running: progress reports fall due, milestones are tracked, changes may be asked for.
        "running": ("in_progress", "rectifying"),
        # Reports are scheduled (and their interval may be set) from approval to the end of running.
        "reporting": ("approved", "in_progress", "rectifying"),
        # Milestones are assessed while the project runs and during its acceptance.
        "under_way": ("in_progress", "rectifying", "acceptance"),
        "concluded": ("concluded",),
        # Projects the public site follows: started and not failed.
        "public": ("in_progress", "acceptance", "rectifying", "concluded"),
    },
)
class ProjectStatus(StatusChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    UNDER_REVIEW = "under_review", _("评审中")
    RETURNED = "returned", _("退回修改")
    APPROVED = "approved", _("已立项")
    REJECTED = "rejected", _("未立项")
    WITHDRAWN = "withdrawn", _("已撤回")
    IN_PROGRESS = "in_progress", _("实施中")
    ACCEPTANCE = "acceptance", _("验收中")
    RECTIFYING = "rectifying", _("整改复查")
    CONCLUDED = "concluded", _("已结题")
    FAILED = "failed", _("验收不合格")


# Applications still being written or taken back are not projects yet: counts and "all applied" leave them out.
NOT_YET_PROJECTS = ProjectStatus.group("not_yet_projects")


@states(tones={"open": "success", "closed": "dark"})
class CallStatus(StatusChoices):
    DRAFT = "draft", _("未发布")
    OPEN = "open", _("已开放")
    CLOSED = "closed", _("已关闭")


class Phase(models.TextChoices):
    NOT_OPEN = "not_open", _("未开始")
    APPLICATION = "application", _("申报阶段")
    REVIEW = "review", _("评审阶段")
    IMPLEMENTATION = "implementation", _("实施阶段")
    EVALUATION = "evaluation", _("考评阶段")
    CLOSED = "closed", _("已结束")


# Phases in order, so "from implementation on" is a comparison.
PHASE_ORDER: list[str] = [Phase.APPLICATION, Phase.REVIEW, Phase.IMPLEMENTATION, Phase.EVALUATION, Phase.CLOSED]


class Call(TimeStampedModel):
    """An annual call for 三型 projects, run by a committee organization."""

    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("主办党委"), on_delete=models.PROTECT, related_name="calls"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=200)
    status = models.CharField(_("状态"), max_length=16, choices=CallStatus.choices, default=CallStatus.DRAFT)
    # The four phases, one after another. The dates decide the phase of an open call.
    application_start = models.DateField(_("申报开始"), null=True)
    application_end = models.DateField(_("申报截止"), null=True)
    review_start = models.DateField(_("评审开始"), null=True)
    review_end = models.DateField(_("评审结束"), null=True)
    implementation_start = models.DateField(_("实施开始"), null=True)
    implementation_end = models.DateField(_("实施结束"), null=True)
    evaluation_start = models.DateField(_("考评开始"), null=True)
    evaluation_end = models.DateField(_("考评结束"), null=True)
    # Progress reports fall due every this many days from a project's start (a project may override).
    report_interval_days = models.PositiveSmallIntegerField(
        _("进展报告周期（天）"), default=90, validators=[MinValueValidator(7)]
    )

    class Meta:
        verbose_name = _("年度申报")
        verbose_name_plural = _("年度申报")
        ordering = ["-year", "id"]
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="one_call_per_year")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:call_detail", args=[self.pk])

    def phase(self, today: datetime.date | None = None) -> str:
        """The phase the call is in on `today`: a draft has not opened, a closed call is over."""
        if self.status == CallStatus.DRAFT:
            return Phase.NOT_OPEN
        if self.status == CallStatus.CLOSED:
            return Phase.CLOSED
        today = today or timezone.localdate()
        for phase, start in (
            (Phase.EVALUATION, self.evaluation_start),
            (Phase.IMPLEMENTATION, self.implementation_start),
            (Phase.REVIEW, self.review_start),
            (Phase.APPLICATION, self.application_start),
        ):
            if start is not None and today >= start:
                if phase == Phase.EVALUATION and self.evaluation_end and today > self.evaluation_end:
                    return Phase.CLOSED
                return phase
        return Phase.NOT_OPEN

    def get_phase_display(self) -> str:
        return str(Phase(self.phase()).label)


# The columns the project list filters on, beside those it sorts on (see Project.Meta.indexes).
LIST_FILTERED = ["organization_path", "status", "type", "lead_leader", "responsible"]


class Project(TimeStampedModel):
    """A party-building project from its application (draft) to its conclusion and promotion."""

    origin = models.CharField(_("来源"), max_length=16, choices=ProjectOrigin.choices, default=ProjectOrigin.CALL)
    call = models.ForeignKey(
        Call, verbose_name=_("年度申报"), null=True, blank=True, on_delete=models.PROTECT, related_name="projects"
    )
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("申报组织"), on_delete=models.PROTECT, related_name="projects"
    )
    # The organization's materialized path, copied onto the project so that who may see it (a subtree, a
    # path prefix) is a condition on this table an index can serve, with no join. The database keeps it
    # (triggers in migration 0002): from the organization on every insert and save of a project, and onto
    # the projects whenever an organization's path changes (a move, or a new sibling renumbering others).
    organization_path = models.CharField(_("组织路径"), max_length=255, default="", editable=False)
    year = models.PositiveSmallIntegerField(_("年度"))
    type = models.CharField(_("项目类型"), max_length=16, choices=ProjectType.choices)
    code = models.CharField(_("项目编号"), max_length=32, unique=True, null=True, blank=True)
    title = models.CharField(_("项目名称"), max_length=200)
    status = models.CharField(_("状态"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.DRAFT)
    background = models.TextField(_("背景与要解决的问题"), blank=True)
    approach = models.TextField(_("推进方式"), blank=True)
    measures = models.TextField(_("组织措施"), blank=True)
    expected_effects = models.TextField(_("预期效果"), blank=True)
    building_type = models.CharField(_("组织建设类型"), max_length=16, choices=BuildingType.choices, blank=True)
    budget_requested = MoneyField(_("申请经费（元）"), null=True, blank=True)
    start_date = models.DateField(_("开始日期"), null=True, blank=True)
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    # 五定: the lead leader (a committee leader) and the responsible person.
    lead_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("牵头领导"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_projects",
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responsible_projects",
    )
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0, validators=[MaxValueValidator(100)])
    # Outcome counters (成效), recorded at conclusion.
    rules_established = models.PositiveIntegerField(_("规章制度"), default=0)
    problems_solved = models.PositiveIntegerField(_("破解难题"), default=0)
    service_brands = models.PositiveIntegerField(_("服务品牌"), default=0)
    beneficiaries = models.PositiveIntegerField(_("惠及人次"), default=0)
    # An innovation project's result that seeded this one (推广 into the next call).
    seeded_from = models.ForeignKey(
        "self", verbose_name=_("源自项目"), null=True, blank=True, on_delete=models.SET_NULL, related_name="seeded"
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    approved_at = models.DateTimeField(_("立项时间"), null=True, blank=True)
    started_at = models.DateTimeField(_("启动时间"), null=True, blank=True)
    concluded_at = models.DateTimeField(_("结题时间"), null=True, blank=True)
    # The latest comment that sent the application back, and the reason of the decision.
    return_comment = models.TextField(_("退回意见"), blank=True)
    decision_reason = models.TextField(_("审批意见"), blank=True)
    # Overrides the call's report interval for this project (None: the call's).
    report_interval_days = models.PositiveSmallIntegerField(
        _("进展报告周期（天）"), null=True, blank=True, validators=[MinValueValidator(7)]
    )
    conclusion_summary = models.TextField(_("结题总结"), blank=True)

    class Meta:
        verbose_name = _("项目")
        verbose_name_plural = _("项目")
        ordering = ["-year", "code", "id"]
        # The list's sorts (filters.SORTS), each served in order by an index of narrow columns, so a page
        # reads its rows from the index instead of sorting every visible project; a subtree is a range
        # of `organization_path`, which also sorts the list by organization. Each also carries what the
        # visibility filter and the other filters read (PostgreSQL): pages and their capped count are read
        # from the index alone, without visiting the table.
        indexes = [
            models.Index(fields=["-year", "code", "id"], name="project_list_default", include=LIST_FILTERED),
            models.Index(fields=["year", "code", "id"], name="project_list_year", include=LIST_FILTERED),
            models.Index(
                fields=["organization_path", "code", "id"],
                name="project_list_subtree",
                include=["year", *(name for name in LIST_FILTERED if name != "organization_path")],
            ),
            models.Index(
                fields=["status", "-year", "code", "id"],
                name="project_list_status_covering",
                include=[name for name in LIST_FILTERED if name != "status"],
            ),
            models.Index(fields=["title", "id"], name="project_list_title", include=LIST_FILTERED),
            models.Index(fields=["-progress", "code", "id"], name="project_list_progress", include=LIST_FILTERED),
            models.Index(fields=["-updated_at", "-id"], name="project_list_updated", include=LIST_FILTERED),
            models.Index(fields=["year", "type", "status"]),
            models.Index(fields=["organization", "year"]),
        ]

    # How the reviews app shows a project to its reviewers.
    review_summary_template = "projects/_review_summary.html"

    def __str__(self) -> str:
        return f"{self.code} {self.title}" if self.code else self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == ProjectStatus.DRAFT

    @property
    def running_organization(self) -> Organization:
        """Whose town admins run the project (review, decide, accept): its call's committee, since a district's
        call is run by the district's staff and not by each applicant's town; else its own organization."""
        return self.call.organization if self.call is not None else self.organization

    @property
    def goal(self) -> str:
        return str(TYPE_GOALS.get(self.type, ""))

    def recompute_progress(self) -> None:
        """Progress is the average completion of the plan's items, each milestone and each planned
        indicator counting once (PROGRESS_RULE says it to users): a milestone met counts 1, partly
        met ½; an indicator the share of the way from its baseline to its target its actual has come."""
        shares = [MILESTONE_SHARES.get(status, 0.0) for status in self.milestones.values_list("status", flat=True)]
        indicators = self.indicators.filter(is_custom=False).values_list("baseline", "target", "actual")
        shares += [indicator_share(baseline, target, actual) for baseline, target, actual in indicators]
        self.progress = round(100 * sum(shares) / len(shares)) if shares else 0


# How the progress bar is computed, as users are told beside it.
PROGRESS_RULE = _(
    "进度为各里程碑和量化指标完成程度的平均值：里程碑已完成计 100%，部分完成计 50%；"
    "指标按实际值从基线走向目标的比例计（达到目标计 100%）。"
)


def indicator_share(baseline: Decimal, target: Decimal, actual: Decimal | None) -> float:
    """How far an indicator has come from its baseline to its target, from 0 to 1 (no actual yet: 0)."""
    if actual is None:
        return 0.0
    if target == baseline:
        return 1.0 if actual >= target else 0.0
    return float(min(max((actual - baseline) / (target - baseline), Decimal(0)), Decimal(1)))


class Indicator(models.Model):
    """A quantified goal (细化、量化): target against actual."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("指标名称"), max_length=100)
    unit = models.CharField(_("单位"), max_length=20)
    baseline = models.DecimalField(_("基线值"), max_digits=12, decimal_places=2, default=0)
    target = models.DecimalField(_("目标值"), max_digits=12, decimal_places=2)
    actual = models.DecimalField(_("实际值"), max_digits=12, decimal_places=2, null=True, blank=True)
    # Added in the 结题 summary rather than planned in the application.
    is_custom = models.BooleanField(_("结题自定义指标"), default=False)

    class Meta:
        verbose_name = _("量化指标")
        verbose_name_plural = _("量化指标")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


@states(tones={"met": "success", "partly_met": "warning", "not_met": "danger"})
class MilestoneStatus(StatusChoices):
    PENDING = "pending", _("未到期")
    MET = "met", _("已完成")
    PARTLY_MET = "partly_met", _("部分完成")
    NOT_MET = "not_met", _("未完成")


MILESTONE_SHARES: dict[str, float] = {MilestoneStatus.MET: 1.0, MilestoneStatus.PARTLY_MET: 0.5}


class Milestone(models.Model):
    """A dated step of the plan."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("步骤"), max_length=200)
    due_date = models.DateField(_("完成时限"))
    status = models.CharField(
        _("完成情况"), max_length=16, choices=MilestoneStatus.choices, default=MilestoneStatus.PENDING
    )

    class Meta:
        verbose_name = _("里程碑")
        verbose_name_plural = _("里程碑")
        ordering = ["due_date", "id"]
        # Pending milestones by date: the 督办 list reads the overdue ones (past their date) in its order,
        # oldest first, and stops at its page (selectors.OverdueRows); warnings and counts read them too.
        indexes = [
            models.Index(
                fields=["due_date", "project", "id"],
                condition=models.Q(status=MilestoneStatus.PENDING),
                name="milestone_overdue_list",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.project.get_absolute_url() + "#plan"

    @property
    def organization(self) -> Organization:
        return self.project.organization


class TeamMember(models.Model):
    """A member of the project team (五定: 定团队)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    name = models.CharField(_("姓名"), max_length=50)
    role = models.CharField(_("分工"), max_length=100)

    class Meta:
        verbose_name = _("团队成员")
        verbose_name_plural = _("团队成员")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Partner(models.Model):
    """Another organization that carries the project with its owner (a co-claimant)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partners")
    organization = models.ForeignKey("orgs.Organization", verbose_name=_("合作单位"), on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("合作单位")
        verbose_name_plural = _("合作单位")
        constraints = [models.UniqueConstraint(fields=["project", "organization"], name="unique_partner")]

    def __str__(self) -> str:
        return str(self.organization)


class ApplicationVersion(models.Model):
    """A frozen copy of the application as it was submitted; every resubmission adds one."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("版本"))
    data = models.JSONField(_("内容"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("申报版本")
        verbose_name_plural = _("申报版本")
        ordering = ["project", "number"]
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="unique_application_version")]

    def __str__(self) -> str:
        return f"{self.project} v{self.number}"


class CodeCounter(models.Model):
    """The last sequence number used for a code prefix such as 2012-CX; locked while a code is taken."""

    prefix = models.CharField(max_length=32, unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.prefix}: {self.last}"


class Discussion(TimeStampedModel):
    """A committee meeting (研究讨论) that discussed applications of a call."""

    call = models.ForeignKey(Call, verbose_name=_("年度申报"), on_delete=models.PROTECT, related_name="discussions")
    held_on = models.DateField(_("会议日期"))
    title = models.CharField(_("会议名称"), max_length=200)
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("参会人员"), related_name="+")
    minutes = models.TextField(_("会议纪要"))

    class Meta:
        verbose_name = _("研究讨论")
        verbose_name_plural = _("研究讨论")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"

    @property
    def organization(self) -> Organization:
        return self.call.organization


class DiscussionOutcome(models.TextChoices):
    RECOMMEND = "recommend", _("建议立项")
    REVISE = "revise", _("修改完善")
    DEFER = "defer", _("继续研究")
    NOT_RECOMMEND = "not_recommend", _("不建议立项")


class DiscussionItem(models.Model):
    discussion = models.ForeignKey(Discussion, on_delete=models.CASCADE, related_name="items")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="discussion_items")
    outcome = models.CharField(_("讨论结果"), max_length=16, choices=DiscussionOutcome.choices)
    note = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("讨论事项")
        verbose_name_plural = _("讨论事项")
        constraints = [models.UniqueConstraint(fields=["discussion", "project"], name="unique_discussion_item")]

    def __str__(self) -> str:
        return f"{self.project}: {self.get_outcome_display()}"


@states(
    tones={"submitted": "info", "accepted": "success", "returned": "warning"},
    groups={
        # The organization owes the report: not handed in yet, or sent back to be completed.
        "to_hand_in": ("due", "returned"),
    },
)
class ReportStatus(StatusChoices):
    DUE = "due", _("待提交")
    SUBMITTED = "submitted", _("待审核")
    ACCEPTED = "accepted", _("已通过")
    RETURNED = "returned", _("已退回")


REPORT_TITLE = _("%(project)s 第 %(n)s 期进展报告")


class ProgressReport(TimeStampedModel):
    """A progress report due on the project's schedule; evidence files are attached to it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reports")
    number = models.PositiveSmallIntegerField(_("期次"))
    due_date = models.DateField(_("应交日期"), db_index=True)
    status = models.CharField(_("状态"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DUE)
    content = models.TextField(_("进展情况"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_comment = models.TextField(_("审核意见"), blank=True)

    class Meta:
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")
        ordering = ["project", "number"]
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="unique_report_number")]
        indexes = [
            models.Index(fields=["status", "due_date"]),
            # Reports still to hand in by date: the 督办 list reads the overdue ones in its order, as milestones'.
            models.Index(
                fields=["due_date", "project", "id"],
                condition=models.Q(status__in=ReportStatus.group("to_hand_in")),
                name="report_overdue_list",
            ),
        ]

    def __str__(self) -> str:
        return REPORT_TITLE % {"project": self.project, "n": self.number}

    def title_phrase(self) -> dict[str, Any]:
        """The title as stored in a log or warning: worded again in each reader's language."""
        return as_phrase(REPORT_TITLE, project=self.project, n=self.number)

    def get_absolute_url(self) -> str:
        return reverse("projects:report", args=[self.project_id, self.pk])

    @property
    def organization(self) -> Organization:
        return self.project.organization


class IndicatorActual(models.Model):
    """The value of an indicator as a progress report states it."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="actuals")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="reported")
    value = models.DecimalField(_("实际值"), max_digits=12, decimal_places=2)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "indicator"], name="unique_indicator_actual")]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"


# What a change request may adjust, as pages and the log name it.
CHANGE_PARTS = {
    "dates": _("调整起止日期"),
    "budget": _("调整经费预算"),
    "responsible": _("更换责任人"),
    "targets": _("调整指标目标值"),
    "milestones": _("调整实施计划"),
    "team": _("调整团队"),
    "several": _("调整多项内容"),
}


@states(tones={"approved": "primary", "rejected": "dark"}, groups={"pending": ("pending",)})
class ChangeStatus(StatusChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")


class ChangeRequest(TimeStampedModel):
    """A request to adjust a running project (调整), decided by staff. It holds only what changes (an
    empty field is left as it is); approved, it is written into the project and its plan."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="change_requests")
    new_start_date = models.DateField(_("新的开始日期"), null=True, blank=True)
    new_end_date = models.DateField(_("新的结束日期"), null=True, blank=True)
    new_budget = MoneyField(_("新的经费预算（元）"), null=True, blank=True)
    new_responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("新的责任人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # {"<indicator id>": "<new target>"}
    new_targets = models.JSONField(_("新的指标目标值"), null=True, blank=True)
    # The whole new plan: [{"title": …, "due_date": "YYYY-MM-DD"}, …]
    new_milestones = models.JSONField(_("新的实施计划"), null=True, blank=True)
    # The whole new team: [{"name": …, "role": …}, …]
    new_team = models.JSONField(_("新的团队"), null=True, blank=True)
    reason = models.TextField(_("调整理由"))
    status = models.CharField(_("状态"), max_length=16, choices=ChangeStatus.choices, default=ChangeStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_note = models.TextField(_("审批意见"), blank=True)

    class Meta:
        verbose_name = _("调整申请")
        verbose_name_plural = _("调整申请")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return _("%(project)s：%(what)s") % {"project": self.project, "what": self.summary}

    def get_absolute_url(self) -> str:
        return self.project.get_absolute_url()

    def parts(self) -> list[tuple[Any, str]]:
        """What the request changes, as (what, new value) pairs for pages and the log."""
        parts: list[tuple[Any, str]] = []
        if self.new_start_date or self.new_end_date:
            start = self.new_start_date or self.project.start_date
            end = self.new_end_date or self.project.end_date
            parts.append((CHANGE_PARTS["dates"], f"{start} – {end}"))
        if self.new_budget is not None:
            parts.append((CHANGE_PARTS["budget"], format_money(self.new_budget)))
        if self.new_responsible_id:
            parts.append((CHANGE_PARTS["responsible"], str(self.new_responsible)))
        if self.new_targets:
            names = dict(self.project.indicators.values_list("pk", "name"))
            targets = [
                f"{names.get(int(pk), pk)} {Decimal(value).normalize():f}" for pk, value in self.new_targets.items()
            ]
            parts.append((CHANGE_PARTS["targets"], "；".join(targets)))
        if self.new_milestones is not None:
            steps_ = [f"{row['due_date']} {row['title']}" for row in self.new_milestones]
            parts.append((CHANGE_PARTS["milestones"], "；".join(steps_)))
        if self.new_team is not None:
            parts.append((CHANGE_PARTS["team"], "、".join(f"{row['name']}（{row['role']}）" for row in self.new_team)))
        return parts

    @property
    def summary(self) -> Any:
        """The one thing changed, or "several" (the log's wording of the request)."""
        parts = self.parts()
        return parts[0][0] if len(parts) == 1 else CHANGE_PARTS["several"]

    @property
    def organization(self) -> Organization:
        return self.project.organization


@states(tones={"scheduled": "info", "concluded": "success"}, groups={"concluded": ("concluded",)})
class AcceptanceStatus(StatusChoices):
    SCHEDULED = "scheduled", _("已安排")
    CONCLUDED = "concluded", _("已出结论")


class AcceptanceConclusion(models.TextChoices):
    ACCEPTED = "accepted", _("通过验收")
    RECTIFY = "rectify", _("整改后复查")
    FAILED = "failed", _("不予通过")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    FAIRLY = "fairly", _("比较满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


def new_survey_token() -> str:
    return secrets.token_urlsafe(16)


class Acceptance(TimeStampedModel):
    """One acceptance (考评验收) of a project: 一听、二看、三查、四问. A re-check is a new row."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="acceptances")
    scheduled_on = models.DateField(_("验收日期"))
    panel = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("验收组成员"), related_name="+")
    status = models.CharField(
        _("状态"), max_length=16, choices=AcceptanceStatus.choices, default=AcceptanceStatus.SCHEDULED
    )
    listen_notes = models.TextField(_("听：汇报要点"), blank=True)
    listen_score = models.DecimalField(_("听：得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    look_notes = models.TextField(_("看：现场与资料"), blank=True)
    look_score = models.DecimalField(_("看：得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    check_score = models.DecimalField(_("查：得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    ask_notes = models.TextField(_("问：访谈记录"), blank=True)
    ask_score = models.DecimalField(_("问：得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    # 问: satisfaction counts from interviews (the online survey is counted from SurveyResponse).
    interview_satisfied = models.PositiveIntegerField(_("满意"), default=0)
    interview_fairly = models.PositiveIntegerField(_("比较满意"), default=0)
    interview_basic = models.PositiveIntegerField(_("基本满意"), default=0)
    interview_unsatisfied = models.PositiveIntegerField(_("不满意"), default=0)
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("等级"), max_length=16, blank=True)
    conclusion = models.CharField(_("结论"), max_length=16, choices=AcceptanceConclusion.choices, blank=True)
    conclusion_note = models.TextField(_("结论说明"), blank=True)
    survey_token = models.CharField(max_length=32, unique=True, default=new_survey_token)
    survey_open = models.BooleanField(_("问卷开放"), default=True)

    class Meta:
        verbose_name = _("考评验收")
        verbose_name_plural = _("考评验收")
        ordering = ["-scheduled_on", "-id"]

    def __str__(self) -> str:
        return _("%(project)s 验收（%(date)s）") % {"project": self.project, "date": self.scheduled_on}

    def get_absolute_url(self) -> str:
        return reverse("projects:acceptance", args=[self.project_id, self.pk])

    @property
    def organization(self) -> Organization:
        return self.project.organization

    @property
    def running_organization(self) -> Organization:
        return self.project.running_organization


class CheckItem(models.Model):
    """三查: one record checked against the checklist."""

    acceptance = models.ForeignKey(Acceptance, on_delete=models.CASCADE, related_name="check_items")
    item = models.CharField(_("检查项"), max_length=200)
    passed = models.BooleanField(_("通过"), default=False)
    notes = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("检查项")
        verbose_name_plural = _("检查项")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.item


class SurveyResponse(models.Model):
    """A resident's answer to the online survey: one per mobile number per acceptance."""

    acceptance = models.ForeignKey(Acceptance, on_delete=models.CASCADE, related_name="survey_responses")
    # Stored as a keyed hash: enough to refuse a second answer, not a list of residents' numbers.
    respondent = models.CharField(max_length=64)
    satisfaction = models.CharField(_("满意度"), max_length=16, choices=Satisfaction.choices)
    comment = models.CharField(_("意见建议"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("问卷答复")
        verbose_name_plural = _("问卷答复")
        constraints = [models.UniqueConstraint(fields=["acceptance", "respondent"], name="one_answer_per_person")]

    def __str__(self) -> str:
        return self.get_satisfaction_display()


class Promotion(TimeStampedModel):
    """A concluded project's practice marked for promotion (推广), with the organizations that adopted it."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="promotion")
    summary = models.TextField(_("经验总结"))
    promoted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("推广项目")
        verbose_name_plural = _("推广项目")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(self.project)

    @property
    def organization(self) -> Organization:
        return self.project.organization


class Adoption(models.Model):
    promotion = models.ForeignKey(Promotion, on_delete=models.CASCADE, related_name="adoptions")
    organization = models.ForeignKey("orgs.Organization", verbose_name=_("采纳组织"), on_delete=models.PROTECT)
    adopted_on = models.DateField(_("采纳日期"))
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("采纳组织")
        verbose_name_plural = _("采纳组织")
        ordering = ["adopted_on", "id"]
        constraints = [models.UniqueConstraint(fields=["promotion", "organization"], name="unique_adoption")]

    def __str__(self) -> str:
        return str(self.organization)

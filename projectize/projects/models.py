from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from projectize.core.models import TimeStampedModel
from projectize.core.money import MoneyField


class ProjectType(models.TextChoices):
    INNOVATION = "innovation", _("创新探索型")
    DEMONSTRATION = "demonstration", _("典型示范型")
    INSTITUTIONAL = "institutional", _("制度推广型")
    # Projects born from a claimed 家新桥 target rather than from an annual call.
    REGIONAL = "regional", _("区域化党建项目")


# Letters in project codes such as 2012-CX-001.
TYPE_CODES = {
    ProjectType.INNOVATION: "CX",
    ProjectType.DEMONSTRATION: "SF",
    ProjectType.INSTITUTIONAL: "TG",
    ProjectType.REGIONAL: "RL",
}


class BuildingType(models.TextChoices):
    LEARNING = "learning", _("学习型")
    SERVICE = "service", _("服务型")
    INNOVATIVE = "innovative", _("创新型")


class ProjectOrigin(models.TextChoices):
    CALL = "call", _("年度申报")
    CLAIM = "claim", _("公开认领")


class ProjectStatus(models.TextChoices):
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


class Call(TimeStampedModel):
    """An annual call for 三型 projects, run by a committee organization."""

    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("主办党委"), on_delete=models.PROTECT, related_name="calls"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=200)

    class Meta:
        verbose_name = _("年度申报")
        verbose_name_plural = _("年度申报")
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="one_call_per_year")]

    def __str__(self) -> str:
        return self.title


class Project(TimeStampedModel):
    """A party-building project from its application (draft) to its conclusion and promotion."""

    origin = models.CharField(_("来源"), max_length=16, choices=ProjectOrigin.choices, default=ProjectOrigin.CALL)
    call = models.ForeignKey(
        Call, verbose_name=_("年度申报"), null=True, blank=True, on_delete=models.PROTECT, related_name="projects"
    )
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("申报组织"), on_delete=models.PROTECT, related_name="projects"
    )
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    type = models.CharField(_("项目类型"), max_length=16, choices=ProjectType.choices)
    code = models.CharField(_("项目编号"), max_length=32, unique=True, null=True, blank=True)
    title = models.CharField(_("项目名称"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.DRAFT, db_index=True
    )
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

    class Meta:
        verbose_name = _("项目")
        verbose_name_plural = _("项目")
        ordering = ["-year", "code", "id"]
        indexes = [
            models.Index(fields=["year", "type", "status"]),
            models.Index(fields=["organization", "year"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}" if self.code else self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", args=[self.pk])


class Indicator(models.Model):
    """A quantified goal (细化、量化): target against actual."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("指标名称"), max_length=100)
    unit = models.CharField(_("单位"), max_length=20)
    baseline = models.DecimalField(_("基线值"), max_digits=12, decimal_places=2, default=0)
    target = models.DecimalField(_("目标值"), max_digits=12, decimal_places=2)
    actual = models.DecimalField(_("实际值"), max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("量化指标")
        verbose_name_plural = _("量化指标")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class MilestoneStatus(models.TextChoices):
    PENDING = "pending", _("未到期")
    MET = "met", _("已完成")
    PARTLY_MET = "partly_met", _("部分完成")
    NOT_MET = "not_met", _("未完成")


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

    def __str__(self) -> str:
        return self.title


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

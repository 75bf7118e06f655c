"""Brand programmes such as 家新桥: sections (板块) and the targets (标的) units claim.

A target's status covers its whole life, from draft to awarded or closed, in one table
(programmes.workflows.TARGET). The steps that concern the claims on a target (selection, notice,
award) are completed by the claims app, a layer above, through `programmes.claiming`.
"""

from datetime import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projectize.core.choices import StatusChoices, states
from projectize.core.models import TimeStampedModel
from projectize.core.money import MoneyField
from projectize.orgs.models import Organization


class Programme(TimeStampedModel):
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("主办党委"), on_delete=models.PROTECT, related_name="programmes"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=100, help_text=_("例如：家新桥。"))
    description = models.TextField(_("说明"), blank=True)
    claim_opens = models.DateTimeField(_("认领开始时间"))
    claim_closes = models.DateTimeField(_("认领截止时间"), help_text=_("截止后提交的认领一律不予受理。"))
    notice_days = models.PositiveSmallIntegerField(
        _("公示期（天）"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("认领结果公示的天数，公示期内任何人都可以提出异议。"),
    )

    class Meta:
        verbose_name = _("品牌项目")
        verbose_name_plural = _("品牌项目")
        ordering = ["-year", "id"]
        # Target and claim lists walk programmes newest first and read each one's targets by its index.
        indexes = [models.Index(fields=["-year", "id"], name="programme_newest")]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year", "title"], name="unique_programme_per_year"),
            models.CheckConstraint(condition=models.Q(claim_closes__gt=models.F("claim_opens")), name="claim_window"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("programmes:detail", args=[self.pk])


class Section(models.Model):
    """板块: a field of work such as 交通管理, ordered within its programme."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("品牌项目"), on_delete=models.CASCADE, related_name="sections"
    )
    title = models.CharField(_("板块名称"), max_length=50)
    description = models.TextField(_("说明"), blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0, help_text=_("数字小的排在前面。"))

    class Meta:
        verbose_name = _("板块")
        verbose_name_plural = _("板块")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def organization(self) -> Organization:
        return self.programme.organization


@states(
    tones={
        "draft": "secondary",
        "published": "primary",
        "selecting": "warning",
        "notice": "info",
        "awarded": "success",
        "closed": "dark",
    },
    groups={
        # Shown on the public pages.
        "public": ("published", "selecting", "notice", "awarded"),
        # Units may claim it (within its claim window).
        "open_for_claims": ("published",),
        # Its terms may still change; once published they are what units claimed.
        "editable": ("draft",),
        # Needs may be linked to it.
        "linkable": ("draft", "published", "selecting", "notice", "awarded"),
        # Its claims are being weighed: the committee decides on each.
        "weighing": ("selecting",),
        # Its result is public: the units chosen are named.
        "with_result": ("notice", "awarded"),
        # Its result is publicly noticed: anyone may object.
        "noticed": ("notice",),
    },
)
class TargetStatus(StatusChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("认领中")
    SELECTING = "selecting", _("综合考量")
    NOTICE = "notice", _("公示中")
    AWARDED = "awarded", _("已授予")
    CLOSED = "closed", _("已关闭")


def offered(path: str = "") -> Q:
    """Targets that were offered for claiming: published, whatever came of them since (a draft that was
    closed never was). What "published" means everywhere: the target list, statistics, the dashboard.
    `path` leads from the queried model to the target, e.g. "targets__"."""
    return Q(**{f"{path}published_at__isnull": False})


class Target(TimeStampedModel):
    """标的: a packaged project that units may claim."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("品牌项目"), on_delete=models.PROTECT, related_name="targets"
    )
    section = models.ForeignKey(Section, verbose_name=_("板块"), on_delete=models.PROTECT, related_name="targets")
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    title = models.CharField(_("标的名称"), max_length=100)
    description = models.TextField(_("标的说明"), help_text=_("要解决的问题和工作内容。"))
    expected_outcomes = models.TextField(_("预期成效"), help_text=_("尽量量化，例如：新增停车位 50 个。"))
    resources_required = models.TextField(_("所需资源"), blank=True, help_text=_("场地、人员、资金、专业能力等。"))
    support_funds = MoneyField(_("支持经费（元）"), default=0, help_text=_("镇党委为该标的提供的经费上限。"))
    max_units = models.PositiveSmallIntegerField(
        _("最多认领单位数"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("可由几家单位共同承接；第一家为牵头单位，其余为合作单位。"),
    )
    requirements = models.TextField(_("认领条件"), blank=True, help_text=_("认领单位应当具备的条件。"))
    status = models.CharField(
        _("状态"), max_length=16, choices=TargetStatus.choices, default=TargetStatus.DRAFT, db_index=True
    )
    # A re-published target gets its own deadline; otherwise the programme's applies.
    claim_deadline = models.DateTimeField(_("认领截止时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    notice_starts_at = models.DateTimeField(_("公示开始"), null=True, blank=True)
    notice_ends_at = models.DateTimeField(_("公示结束"), null=True, blank=True)
    closed_reason = models.TextField(_("关闭原因"), blank=True)

    class Meta:
        verbose_name = _("标的")
        verbose_name_plural = _("标的")
        ordering = ["section__order", "section_id", "order", "id"]
        indexes = [models.Index(fields=["programme", "status"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("programmes:target", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("programmes:public_target", args=[self.pk])

    @property
    def organization(self) -> Organization:
        return self.programme.organization

    @property
    def deadline(self) -> datetime:
        return self.claim_deadline or self.programme.claim_closes

    @property
    def is_open_for_claims(self) -> bool:
        return self.status in TargetStatus.group("open_for_claims") and timezone.now() < self.deadline

"""The two funds (两增): yearly budgets, allocations and awards drawn on them, disbursements paid from those.

Running totals on the budget and allocation rows let the database itself refuse an overspend
(CheckConstraint); the ledger rows are never edited: a correction is a reversing entry with a reason.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from projectize.core.choices import StatusChoices, states
from projectize.core.money import MoneyField, format_money
from projectize.orgs.models import Organization


def signed_amount() -> Case:
    """A ledger row's amount as it counts: a reversing entry counts against the row it reverses."""
    return Case(When(reverses__isnull=True, then=F("amount")), default=-F("amount"))


class FundKind(models.TextChoices):
    MANAGEMENT = "management", _("专项管理经费")
    REWARD = "reward", _("专项奖励经费")


class Budget(models.Model):
    """One fund's budget for one year, run by a committee organization."""

    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("主管党委"), on_delete=models.PROTECT, related_name="fund_budgets"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("经费类别"), max_length=16, choices=FundKind.choices)
    amount = MoneyField(_("预算金额（元）"), positive=True)
    # Net of reversals; kept by the services under a row lock so the database can check it.
    committed = MoneyField(_("已分配（元）"), default=0)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("经费预算")
        verbose_name_plural = _("经费预算")
        ordering = ["-year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year", "kind"], name="one_budget_per_fund_year"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="budget_amount_positive"),
            models.CheckConstraint(
                condition=Q(committed__gte=0) & Q(committed__lte=F("amount")), name="budget_not_overcommitted"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("funds:budget_detail", args=[self.pk])

    @property
    def available(self) -> Decimal:
        return self.amount - self.committed


class SupportTier(models.Model):
    """Maps an initial-assessment grade to a level of management-fund support (configured by staff)."""

    organization = models.ForeignKey("orgs.Organization", verbose_name=_("主管党委"), on_delete=models.PROTECT)
    grade = models.CharField(
        _("评估等级"), max_length=32, help_text=_("初期评估得出的等级，须与评分细则中的等级名称一致，例如“优秀”。")
    )
    name = models.CharField(_("支持档次"), max_length=50, help_text=_("例如：重点支持、一般支持。"))
    max_amount = MoneyField(_("资助上限（元）"), positive=True)

    class Meta:
        verbose_name = _("支持档次")
        verbose_name_plural = _("支持档次")
        ordering = ["-max_amount"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "grade"], name="one_tier_per_grade"),
            models.CheckConstraint(condition=Q(max_amount__gt=0), name="tier_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.grade}）"


class Allocation(models.Model):
    """Money set aside from a budget: a management-fund allocation to a project, or a reward-fund
    award to a project or a person. A row with `reverses` set takes back the whole of another row.
    """

    budget = models.ForeignKey(Budget, verbose_name=_("预算"), on_delete=models.PROTECT, related_name="allocations")
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fund_allocations",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("获奖个人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fund_awards",
    )
    tier = models.ForeignKey(SupportTier, verbose_name=_("支持档次"), null=True, blank=True, on_delete=models.PROTECT)
    # The initial assessment (a closed review) the allocation rests on, with the grade it gave.
    assessment = models.ForeignKey(
        "reviews.Review", verbose_name=_("初期评估"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    grade = models.CharField(_("评估等级"), max_length=32, blank=True)
    amount = MoneyField(_("金额（元）"), positive=True)
    reason = models.CharField(_("事由"), max_length=300)
    reverses = models.OneToOneField(
        "self", verbose_name=_("冲销的记录"), null=True, blank=True, on_delete=models.PROTECT, related_name="reversal"
    )
    # Money requested or paid from this allocation, net of rejections and reversals.
    drawn = MoneyField(_("已支用（元）"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("经费分配")
        verbose_name_plural = _("经费分配")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="allocation_amount_positive"),
            models.CheckConstraint(
                condition=Q(drawn__gte=0) & Q(drawn__lte=F("amount")), name="allocation_not_overdrawn"
            ),
            models.CheckConstraint(
                condition=Q(project__isnull=False) | Q(person__isnull=False) | Q(reverses__isnull=False),
                name="allocation_has_recipient",
            ),
        ]

    def __str__(self) -> str:
        recipient = self.person or self.project
        return f"{self.budget} · {recipient} · {format_money(self.amount)}"

    def get_absolute_url(self) -> str:
        return reverse("funds:allocation_detail", args=[self.pk])

    @property
    def organization(self) -> Organization:
        return self.budget.organization

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None

    @property
    def available(self) -> Decimal:
        return self.amount - self.drawn


@states(
    tones={"requested": "warning", "approved": "success", "rejected": "dark"},
    groups={
        # Money reserved, waiting for another officer's decision.
        "pending": ("requested",),
        # Money paid out: counted as spent, and undone only by a reversing entry.
        "paid": ("approved",),
    },
)
class DisbursementStatus(StatusChoices):
    REQUESTED = "requested", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已驳回")


class Disbursement(models.Model):
    """A payment from an allocation. Reserved when requested; someone else must approve it."""

    allocation = models.ForeignKey(
        Allocation, verbose_name=_("经费分配"), on_delete=models.PROTECT, related_name="disbursements"
    )
    amount = MoneyField(_("金额（元）"), positive=True)
    purpose = models.CharField(_("用途"), max_length=300)
    paid_on = models.DateField(_("支出日期"))
    status = models.CharField(
        _("状态"), max_length=16, choices=DisbursementStatus.choices, default=DisbursementStatus.REQUESTED
    )
    reverses = models.OneToOneField(
        "self", verbose_name=_("冲销的记录"), null=True, blank=True, on_delete=models.PROTECT, related_name="reversal"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("经费支出")
        verbose_name_plural = _("经费支出")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="disbursement_amount_positive"),
            # Four eyes: whoever asked for the money cannot be the one who approves it.
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("requested_by")),
                name="disbursement_four_eyes",
            ),
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.purpose} · {format_money(self.amount)}"

    def get_absolute_url(self) -> str:
        return reverse("funds:disbursement_detail", args=[self.pk])

    @property
    def organization(self) -> Organization:
        return self.allocation.budget.organization

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None

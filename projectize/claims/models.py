"""Open claiming (公开认领): units' claims on targets, the committee's selection, objections in the notice period.

The chain need → target → claim → project is kept here: `Claim.project` is the project an award created.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from projectize.core.choices import StatusChoices, states
from projectize.core.models import TimeStampedModel
from projectize.orgs.models import Organization, mobile_validator


@states(
    tones={
        "draft": "secondary",
        "submitted": "primary",
        "withdrawn": "dark",
        "selected": "info",
        "not_selected": "warning",
        "awarded": "success",
    },
    groups={
        # The unit may still change it while claiming is open.
        "editable": ("draft", "submitted"),
        # Not yet submitted.
        "unsubmitted": ("draft",),
        # Still in the competition: what the committee ranks and decides on.
        "decidable": ("submitted", "selected", "not_selected"),
        # Really made: submitted at some point and not withdrawn (drafts and withdrawn ones are not).
        # What "claimed" means everywhere: statistics, the target list, the dashboard.
        "made": ("submitted", "selected", "not_selected", "awarded"),
        # Not withdrawn: at most one per unit and target.
        "live": ("draft", "submitted", "selected", "not_selected", "awarded"),
        # Chosen by the committee: named in the public result.
        "chosen": ("selected", "awarded"),
    },
)
class ClaimStatus(StatusChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    WITHDRAWN = "withdrawn", _("已撤回")
    SELECTED = "selected", _("拟选中")
    NOT_SELECTED = "not_selected", _("未选中")
    AWARDED = "awarded", _("认领成功")


class ResourceKind(models.TextChoices):
    PARTY = "party", _("党组织资源")
    ADMINISTRATIVE = "administrative", _("行政资源")
    ENTERPRISE = "enterprise", _("企业资源")
    SOCIAL = "social", _("社会资源")


class Claim(TimeStampedModel):
    """A unit's claim on a target: its plan and resources, and the committee's decision on it."""

    target = models.ForeignKey(
        "programmes.Target", verbose_name=_("标的"), on_delete=models.PROTECT, related_name="claims"
    )
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("认领单位"), on_delete=models.PROTECT, related_name="claims"
    )
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("联系人"), on_delete=models.PROTECT, related_name="claims"
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.DRAFT, db_index=True
    )
    # A draft may be incomplete; `services.claim_submit` requires every part.
    plan = models.TextField(_("实施方案"), max_length=5000, blank=True, help_text=_("怎么做：目标、步骤、方法。"))
    reasons = models.TextField(
        _("认领理由"), max_length=3000, blank=True, help_text=_("为什么由本单位承接：经验、条件、优势。")
    )
    team = models.TextField(_("团队"), max_length=2000, blank=True, help_text=_("负责人和成员，每行一人，写明分工。"))
    timeline = models.TextField(_("时间安排"), max_length=2000, blank=True, help_text=_("每行一个步骤和完成时间。"))
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    # The committee's decision on the claim, shown to the unit (and why it was or was not chosen).
    is_lead = models.BooleanField(_("牵头单位"), default=False)
    decision_reason = models.TextField(_("决定理由"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims",
    )

    # What a reviewer sees of the claim on the review engine's scoring page.
    review_summary_template = "claims/_review_summary.html"

    class Meta:
        verbose_name = _("认领")
        verbose_name_plural = _("认领")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One live claim per unit per target; a withdrawn one may be followed by a new one.
            models.UniqueConstraint(
                fields=["target", "organization"],
                condition=~Q(status="withdrawn"),
                name="one_active_claim_per_unit",
            ),
        ]
        indexes = [models.Index(fields=["target", "status"])]

    def __str__(self) -> str:
        return f"{self.organization} · {self.target}"

    def get_absolute_url(self) -> str:
        return reverse("claims:detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        """The unit may still change it: a draft, or a submitted claim before the deadline."""
        return self.status in ClaimStatus.group("editable") and self.target.is_open_for_claims


class ClaimResource(models.Model):
    """A resource the unit offers, by kind, so the committee can weigh and count them."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="resources")
    kind = models.CharField(_("资源类型"), max_length=16, choices=ResourceKind.choices)
    description = models.TextField(_("资源说明"), max_length=1000)

    class Meta:
        verbose_name = _("认领资源")
        verbose_name_plural = _("认领资源")
        ordering = ["claim", "kind"]
        constraints = [models.UniqueConstraint(fields=["claim", "kind"], name="one_resource_row_per_kind")]

    def __str__(self) -> str:
        return self.get_kind_display()


@states(
    tones={"open": "warning", "dismissed": "secondary", "upheld": "danger"},
    groups={"answered": ("dismissed", "upheld")},
)
class ObjectionStatus(StatusChoices):
    OPEN = "open", _("待答复")
    DISMISSED = "dismissed", _("不成立")
    UPHELD = "upheld", _("成立")


class Objection(models.Model):
    """异议 lodged by anyone during a target's public notice; staff answer each one publicly."""

    target = models.ForeignKey(
        "programmes.Target", verbose_name=_("标的"), on_delete=models.PROTECT, related_name="objections"
    )
    content = models.TextField(_("异议内容"), max_length=2000)
    name = models.CharField(_("姓名"), max_length=30, blank=True)
    mobile = models.CharField(_("手机号码"), max_length=11, blank=True, validators=[mobile_validator])
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN, db_index=True
    )
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.target} · {self.created_at:%Y-%m-%d}"

    @property
    def organization(self) -> Organization:
        return self.target.organization

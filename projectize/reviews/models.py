"""Rubrics and the reviews scored against them. See `projectize.reviews.services` for the rules."""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projectize.core.choices import StatusChoices, states
from projectize.core.models import TimeStampedModel

SCORE_PLACES = Decimal("0.01")
COEFFICIENT_PLACES = Decimal("0.01")


def plain_number(value: Decimal) -> str:
    """100.00 → "100", 17.50 → "17.5": for messages and labels."""
    return f"{value.normalize():f}"


class Purpose(models.TextChoices):
    """What a rubric is for. Other apps find their rubric by this slug (`selectors.rubric_for`)."""

    APPLICATION = "application", _("项目申报评审")
    CLAIM = "claim", _("认领方案评估")
    ACCEPTANCE = "acceptance", _("考评验收")
    INITIAL_ASSESSMENT = "initial_assessment", _("项目初期评估")
    SHOWCASE = "showcase", _("年度展评")
    OTHER = "other", _("其他")


class Aggregation(models.TextChoices):
    MEAN = "mean", _("算术平均")
    TRIMMED = "trimmed", _("总分去掉一个最高分和一个最低分后平均")
    TRIMMED_PER_CRITERION = "trimmed_criterion", _("每个评分项去掉一个最高分和一个最低分后平均，再求和")


class Band(NamedTuple):
    """A coefficient band: the reviewer picks it, then a coefficient from `low` to `high` (equal for a
    band with one fixed coefficient)."""

    name: str
    high: Decimal
    low: Decimal

    def __str__(self) -> str:
        if self.high == self.low:
            return f"{self.name} {plain_number(self.high)}"
        return f"{self.name} {plain_number(self.high)}–{plain_number(self.low)}"

    def holds(self, coefficient: Decimal) -> bool:
        return self.low <= coefficient <= self.high


class Rubric(TimeStampedModel):
    """A scoring standard of a committee organization: weighted criteria and grade bands."""

    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("所属党委"), on_delete=models.PROTECT, related_name="rubrics"
    )
    name = models.CharField(_("名称"), max_length=100)
    purpose = models.CharField(_("用途"), max_length=32, choices=Purpose.choices, db_index=True)
    description = models.TextField(_("说明"), blank=True)
    total = models.DecimalField(
        _("满分"),
        max_digits=7,
        decimal_places=2,
        default=Decimal(100),
        validators=[MinValueValidator(Decimal(1))],
        help_text=_("各项评分标准的分值之和必须等于满分。"),
    )
    aggregation = models.CharField(
        _("汇总方式"),
        max_length=20,
        choices=Aggregation.choices,
        default=Aggregation.MEAN,
        help_text=_("去掉最高分和最低分只在至少 3 位评审专家提交评分时适用。"),
    )
    top_grade_quota = models.PositiveSmallIntegerField(
        _("最高等级比例上限（%）"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("例如 50 表示排名时最多 50% 的对象可获最高等级，其余降为下一等级。留空表示不限。"),
    )
    whole_numbers = models.BooleanField(
        _("按整数评分"),
        default=False,
        help_text=_("勾选后得分只能是整数（如 94，不能是 94.5）；按档次打分的得分四舍五入到整数。"),
    )
    coefficient_step = models.DecimalField(
        _("系数步长"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.05"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(1))],
        help_text=_("按档次打分时，系数取步长的整数倍或档次的上下限，例如步长 0.05 时可取 0.85、0.9、0.95、1。"),
    )
    free_acceptance_criteria = models.BooleanField(
        _("考评验收自定评分项"),
        default=False,
        help_text=_(
            "仅用于“考评验收”。不勾选时按顺序设一听、二看、三查、四问四项；"
            "勾选后按本标准自定的评分项打分，由验收组成员逐项评分。"
        ),
    )
    is_active = models.BooleanField(_("在用"), default=True)
    copied_from = models.ForeignKey(
        "self", verbose_name=_("复制自"), null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )

    class Meta:
        verbose_name = _("评分标准")
        verbose_name_plural = _("评分标准")
        ordering = ["purpose", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="unique_rubric_name")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("reviews:rubric_detail", args=[self.pk])

    def grade_for(self, total: Decimal | None, grades: list["GradeBand"] | None = None) -> str:
        """The band whose minimum the total reaches; the lowest band catches everything below."""
        bands = grades if grades is not None else list(self.grades.all())
        if total is None or not bands:
            return ""
        for band in bands:
            if total >= band.minimum:
                return band.name
        return bands[-1].name


class Criterion(models.Model):
    """One line of a rubric. Scored in points from 0 to `weight`, or by picking a coefficient band and
    a coefficient within it (score = coefficient × weight)."""

    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("评分项"), max_length=100)
    description = models.TextField(_("评分说明"), blank=True)
    weight = models.DecimalField(
        _("分值"), max_digits=7, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    # [{"name": "好", "high": "1", "low": "0.85"}, ...], highest first; empty for a criterion scored in points.
    bands = models.JSONField(_("系数档次"), default=list, blank=True)

    class Meta:
        verbose_name = _("评分项")
        verbose_name_plural = _("评分项")
        ordering = ["rubric", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["rubric", "position"], name="unique_criterion_position")]

    def __str__(self) -> str:
        return self.name

    @property
    def band_choices(self) -> list[Band]:
        return [Band(band["name"], Decimal(band["high"]), Decimal(band["low"])) for band in self.bands]

    def score_for(self, coefficient: Decimal) -> Decimal:
        """Coefficient × weight; a whole number (half up) when the rubric scores in whole numbers."""
        places = Decimal(1) if self.rubric.whole_numbers else SCORE_PLACES
        return (coefficient * self.weight).quantize(places, rounding=ROUND_HALF_UP)


class GradeBand(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="grades")
    name = models.CharField(_("等级"), max_length=20)
    minimum = models.DecimalField(_("最低分"), max_digits=7, decimal_places=2, validators=[MinValueValidator(0)])

    class Meta:
        verbose_name = _("等级")
        verbose_name_plural = _("等级")
        ordering = ["rubric", "-minimum", "id"]
        constraints = [
            models.UniqueConstraint(fields=["rubric", "minimum"], name="unique_grade_minimum"),
            models.UniqueConstraint(fields=["rubric", "name"], name="unique_grade_name"),
        ]

    def __str__(self) -> str:
        return self.name


@states(tones={"open": "warning", "closed": "secondary"}, groups={"open": ("open",), "final": ("closed",)})
class ReviewStatus(StatusChoices):
    """A review is open for scoring until staff close it; its result is then final (`workflows.REVIEW`)."""

    OPEN = "open", _("评审中")
    CLOSED = "closed", _("已结束")


class Review(TimeStampedModel):
    """One round of review of one subject (any model instance) against one rubric."""

    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    # The subject's name when the review opened, so lists across subject types need no extra queries.
    subject_repr = models.CharField(_("评审对象"), max_length=300)
    rubric = models.ForeignKey(Rubric, verbose_name=_("评分标准"), on_delete=models.PROTECT, related_name="reviews")
    # The committee running the review (the rubric's): staff of this organization manage it.
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="reviews"
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.OPEN, db_index=True
    )
    deadline = models.DateField(_("评审截止日期"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("评审")
        verbose_name_plural = _("评审")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "rubric"],
                condition=Q(status="open"),
                name="one_open_review_per_subject_and_rubric",
            )
        ]

    def __str__(self) -> str:
        return f"{self.rubric.name} · {self.subject_repr}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:review_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in ReviewStatus.group("open")

    @property
    def is_overdue(self) -> bool:
        """Still open after its deadline. Staff decide what then happens: closing ends scoring."""
        return self.is_open and self.deadline is not None and self.deadline < timezone.localdate()


@states(
    tones={"pending": "warning", "accepted": "primary", "declined": "secondary", "submitted": "success"},
    groups={
        "to_declare": ("pending",),
        "to_score": ("accepted",),
        # Still the reviewer's to do (while the review is open).
        "todo": ("pending", "accepted"),
        # Declared no conflict of interest: the reviewer may see the subject.
        "declared": ("accepted", "submitted"),
        "scored": ("submitted",),
        "declined": ("declined",),
    },
)
class AssignmentStatus(StatusChoices):
    """A reviewer's part in a review (`workflows.ASSIGNMENT`): declare no conflict (or decline), then score."""

    PENDING = "pending", _("待声明")
    ACCEPTED = "accepted", _("待评分")
    DECLINED = "declined", _("已谢绝")
    SUBMITTED = "submitted", _("已评分")


class Assignment(TimeStampedModel):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评审专家"),
        on_delete=models.PROTECT,
        related_name="review_assignments",
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=AssignmentStatus.choices, default=AssignmentStatus.PENDING
    )
    declared_at = models.DateTimeField(_("承诺无利益冲突时间"), null=True, blank=True)
    decline_reason = models.TextField(_("谢绝理由"), blank=True)

    class Meta:
        verbose_name = _("评审分配")
        verbose_name_plural = _("评审分配")
        ordering = ["review", "id"]
        indexes = [models.Index(fields=["reviewer", "status"])]
        constraints = [models.UniqueConstraint(fields=["review", "reviewer"], name="one_assignment_per_reviewer")]

    def __str__(self) -> str:
        return f"{self.reviewer} · {self.review}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:assignment", args=[self.pk])

    @property
    def may_see_subject(self) -> bool:
        return self.status in AssignmentStatus.group("declared")

    @property
    def organization(self) -> Any:
        """The committee running the review: the activity log files a reviewer's steps under it, so only
        that committee's staff read them."""
        return self.review.organization


class ScoreSheet(models.Model):
    """A reviewer's submitted scores. Final: never changed after submission."""

    assignment = models.OneToOneField(Assignment, on_delete=models.PROTECT, related_name="sheet")
    # The sum of the scores, kept so that results aggregate in SQL.
    total = models.DecimalField(_("总分"), max_digits=7, decimal_places=2)
    comment = models.TextField(_("评审意见"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评分表")
        verbose_name_plural = _("评分表")

    def __str__(self) -> str:
        return str(self.assignment)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("submitted score sheets are final")
        super().save(*args, **kwargs)


class Score(models.Model):
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.DecimalField(_("得分"), max_digits=7, decimal_places=2)
    # The coefficient band and the coefficient picked in it, for a criterion scored by bands.
    band = models.CharField(_("档次"), max_length=20, blank=True)
    coefficient = models.DecimalField(_("系数"), max_digits=3, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("得分")
        verbose_name_plural = _("得分")
        ordering = ["sheet", "criterion__position"]
        constraints = [models.UniqueConstraint(fields=["sheet", "criterion"], name="one_score_per_criterion")]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"

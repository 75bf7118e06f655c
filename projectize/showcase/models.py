"""The annual 1 July showcase (七一展评表彰): nominations, jury and public scores, awards."""

from decimal import Decimal

from django.conf import settings
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


@states(
    tones={
        "draft": "secondary",
        "nominating": "info",
        "judging": "primary",
        "ranked": "warning",
        "awarded": "warning",
        "published": "success",
    },
    groups={
        # Settings (windows, levels, jury) may still change: judging has not begun.
        "editable": ("draft", "nominating"),
        "nominating": ("nominating",),
        "judging": ("judging",),
        # The public may look at it: voting has begun or the list is out.
        "public": ("judging", "ranked", "awarded", "published"),
        # Awards are given: certificates may be printed.
        "awarded": ("awarded", "published"),
        "published": ("published",),
    },
)
class ShowcaseStatus(StatusChoices):
    """From setup to the published commendation list (`workflows.SHOWCASE`)."""

    DRAFT = "draft", _("筹备中")
    NOMINATING = "nominating", _("推荐中")
    JUDGING = "judging", _("评审投票中")
    RANKED = "ranked", _("已排名")
    AWARDED = "awarded", _("已评奖")
    PUBLISHED = "published", _("已表彰")


class Showcase(TimeStampedModel):
    """One year's showcase, run by a committee organization."""

    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("主办党委"), on_delete=models.PROTECT, related_name="showcases"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=200)
    theme = models.CharField(_("主题"), max_length=100, help_text=_("例如：学习·服务·创新"))
    description = models.TextField(_("说明"), blank=True)
    nomination_opens = models.DateField(_("推荐开始日期"))
    nomination_closes = models.DateField(_("推荐截止日期"))
    voting_opens = models.DateTimeField(_("群众投票开始时间"))
    voting_closes = models.DateTimeField(_("群众投票截止时间"))
    jury_weight = models.PositiveSmallIntegerField(
        _("评委评分权重（%）"),
        default=70,
        validators=[MaxValueValidator(100)],
        help_text=_("评委评分与群众投票两部分权重之和为 100。"),
    )
    public_weight = models.PositiveSmallIntegerField(
        _("群众投票权重（%）"), default=30, validators=[MaxValueValidator(100)]
    )
    rubric = models.ForeignKey(
        "reviews.Rubric",
        verbose_name=_("评审量表"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("评委按此量表为每个推荐项目打分（在“评分标准”中维护，用途为“年度展评”）。"),
    )
    jury = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评委"),
        blank=True,
        related_name="+",
        help_text=_("开始评审时，每位评委都会收到每个推荐项目的评分任务。"),
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=ShowcaseStatus.choices, default=ShowcaseStatus.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("表彰名单发布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("七一展评")
        verbose_name_plural = _("七一展评")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="one_showcase_per_year"),
            models.CheckConstraint(
                condition=Q(jury_weight__lte=100) & Q(public_weight__lte=100), name="showcase_weights_in_range"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("showcase:detail", args=[self.pk])

    @property
    def voting_open(self) -> bool:
        now = timezone.now()
        return self.status in ShowcaseStatus.group("judging") and self.voting_opens <= now <= self.voting_closes

    @property
    def nominating_open(self) -> bool:
        return self.status in ShowcaseStatus.group("nominating") and (
            self.nomination_opens <= timezone.localdate() <= self.nomination_closes
        )


class AwardLevelKind(models.TextChoices):
    FIRST = "first", _("一等奖")
    SECOND = "second", _("二等奖")
    THIRD = "third", _("三等奖")
    EXCELLENCE = "excellence", _("优秀奖")


# Awards are given in this order down the ranking.
LEVEL_ORDER = [AwardLevelKind.FIRST, AwardLevelKind.SECOND, AwardLevelKind.THIRD, AwardLevelKind.EXCELLENCE]


class AwardLevel(models.Model):
    """How many awards of one level the showcase gives, and the reward each carries."""

    showcase = models.ForeignKey(Showcase, on_delete=models.CASCADE, related_name="levels")
    level = models.CharField(_("奖项"), max_length=16, choices=AwardLevelKind.choices)
    count = models.PositiveSmallIntegerField(_("名额"), default=0)
    reward_amount = MoneyField(_("奖励金额（元）"), default=Decimal("0"), validators=[MinValueValidator(0)])

    class Meta:
        verbose_name = _("奖项等级")
        verbose_name_plural = _("奖项等级")
        constraints = [models.UniqueConstraint(fields=["showcase", "level"], name="one_level_per_showcase")]

    def __str__(self) -> str:
        return self.get_level_display()


class Nomination(TimeStampedModel):
    """A project an organization puts forward, with what makes it worth showing."""

    showcase = models.ForeignKey(Showcase, on_delete=models.CASCADE, related_name="nominations")
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("项目"), on_delete=models.PROTECT, related_name="nominations"
    )
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("推荐组织"), on_delete=models.PROTECT, related_name="nominations"
    )
    summary = models.TextField(_("项目简介"), help_text=_("200 字左右，说明项目做了什么、解决了什么问题。"))
    highlights = models.TextField(_("特色亮点"), help_text=_("每行一条。"))
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    # The jury's aggregate from the rubric engine, on a 0–100 scale; set when judging ends.
    jury_score = models.DecimalField(_("评委评分"), max_digits=6, decimal_places=2, null=True, blank=True)
    # Valid (not voided) public votes, kept in step with Vote rows by the voting services.
    vote_count = models.PositiveIntegerField(_("得票数"), default=0)
    final_score = models.DecimalField(_("综合得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("名次"), null=True, blank=True)

    # What a juror sees on the review page of the rubric engine.
    review_summary_template = "showcase/_review_summary.html"

    class Meta:
        verbose_name = _("推荐项目")
        verbose_name_plural = _("推荐项目")
        ordering = ["rank", "id"]
        constraints = [models.UniqueConstraint(fields=["showcase", "project"], name="one_nomination_per_project")]

    def __str__(self) -> str:
        return self.project.title

    def get_absolute_url(self) -> str:
        return reverse("showcase:nomination", args=[self.pk])

    @property
    def highlight_lines(self) -> list[str]:
        return [line.strip() for line in self.highlights.splitlines() if line.strip()]


class Vote(models.Model):
    """One verified person's vote for one nominated project.

    The person is kept only as a keyed hash of the verified mobile number: enough to refuse a
    second vote, never enough to learn who voted.
    """

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="votes")
    voter = models.CharField(max_length=64)
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(_("投票时间"), auto_now_add=True, db_index=True)
    flagged = models.BooleanField(_("疑似刷票"), default=False)
    voided = models.BooleanField(_("已作废"), default=False)

    class Meta:
        verbose_name = _("群众投票")
        verbose_name_plural = _("群众投票")
        constraints = [models.UniqueConstraint(fields=["nomination", "voter"], name="one_vote_per_person")]
        indexes = [models.Index(fields=["nomination", "ip", "created_at"])]

    def __str__(self) -> str:
        return f"{self.nomination} · {self.created_at:%Y-%m-%d %H:%M}"


class Award(TimeStampedModel):
    """An award given to a nominated project, with its reward-fund entry and certificate number."""

    nomination = models.OneToOneField(Nomination, on_delete=models.PROTECT, related_name="award")
    level = models.CharField(_("奖项"), max_length=16, choices=AwardLevelKind.choices)
    amount = MoneyField(_("奖励金额（元）"))
    certificate_no = models.CharField(_("证书编号"), max_length=32, unique=True)
    # The reward-fund ledger entry made for this award (in the funds app), if any money was given.
    fund_entry_id = models.PositiveBigIntegerField(_("奖励经费记录"), null=True, blank=True)

    class Meta:
        verbose_name = _("奖项")
        verbose_name_plural = _("奖项")
        ordering = ["nomination__rank"]

    def __str__(self) -> str:
        return f"{self.get_level_display()} · {self.nomination}"

    @property
    def organization(self) -> Organization:
        return self.nomination.organization

    @property
    def showcase(self) -> Showcase:
        return self.nomination.showcase

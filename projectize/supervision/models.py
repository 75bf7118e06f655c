"""督查、指导、引导: supervision activities, analyses, guidance, feedback letters and accountability."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projectize.core.choices import StatusChoices, states
from projectize.core.models import TimeStampedModel
from projectize.orgs.models import Organization


class ActivityKind(models.TextChoices):
    REPORT_MEETING = "report_meeting", _("集中汇报")
    FORUM = "forum", _("座谈交流")
    SITE_VISIT = "site_visit", _("实地察看")
    TRACKING = "tracking", _("跟踪式检查")


class Activity(TimeStampedModel):
    """Something staff or leaders did to supervise, guide or lead projects, with findings per project."""

    # The committee that ran the activity.
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("形式"), max_length=16, choices=ActivityKind.choices)
    title = models.CharField(_("主题"), max_length=200)
    date = models.DateField(_("日期"), db_index=True)
    location = models.CharField(_("地点"), max_length=200, blank=True)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("参加人员"), blank=True, related_name="+"
    )
    other_participants = models.CharField(
        _("其他参加人员"), max_length=300, blank=True, help_text=_("系统外人员，用顿号分隔，例如：居民代表王某、李某。")
    )
    summary = models.TextField(_("总体情况"), blank=True)
    projects = models.ManyToManyField(
        "projects.Project", verbose_name=_("涉及项目"), through="Finding", related_name="supervision_activities"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("督查活动")
        verbose_name_plural = _("督查活动")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return _("%(date)s %(kind)s：%(title)s") % {
            "date": f"{self.date:%Y-%m-%d}",
            "kind": self.get_kind_display(),
            "title": self.title,
        }

    def get_absolute_url(self) -> str:
        return reverse("supervision:activity_detail", args=[self.pk])


class Finding(models.Model):
    """What an activity found about one project."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="findings")
    project = models.ForeignKey("projects.Project", verbose_name=_("项目"), on_delete=models.PROTECT)
    text = models.TextField(_("发现的情况和问题"))

    class Meta:
        verbose_name = _("督查发现")
        verbose_name_plural = _("督查发现")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["activity", "project"], name="one_finding_per_project")]

    def __str__(self) -> str:
        return _("%(project)s：%(text)s") % {"project": self.project, "text": self.text[:30]}


class Analysis(TimeStampedModel):
    """手术式剖析: an in-depth look at one project's problems, their causes and what to do."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("项目"), on_delete=models.PROTECT, related_name="analyses"
    )
    date = models.DateField(_("剖析日期"))
    problems = models.TextField(_("存在问题"))
    causes = models.TextField(_("原因分析"))
    recommendations = models.TextField(_("改进建议"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("剖析人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("手术式剖析")
        verbose_name_plural = _("手术式剖析")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return _("%(project)s 的剖析（%(date)s）") % {"project": self.project, "date": self.date}

    def get_absolute_url(self) -> str:
        return reverse("supervision:analysis_detail", args=[self.pk])

    @property
    def organization(self) -> Organization:
        return self.project.organization


class GuidanceNote(TimeStampedModel):
    """指导意见 written for one project by staff or a leader."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("项目"), on_delete=models.PROTECT, related_name="guidance_notes"
    )
    date = models.DateField(_("日期"))
    content = models.TextField(_("指导意见"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提出人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("指导意见")
        verbose_name_plural = _("指导意见")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return _("%(project)s 的指导意见（%(date)s）") % {"project": self.project, "date": self.date}

    @property
    def organization(self) -> Organization:
        return self.project.organization


@states(
    tones={"draft": "secondary", "sent": "primary", "acknowledged": "info", "closed": "success"},
    groups={
        # Still being written: items may be added, and only staff see it.
        "editable": ("draft",),
        # Out with the addressed organization, waiting for its answers.
        "open": ("sent", "acknowledged"),
        # Acknowledged: its items may be answered.
        "answerable": ("acknowledged",),
    },
)
class LetterStatus(StatusChoices):
    DRAFT = "draft", _("草稿")
    SENT = "sent", _("已发出")
    ACKNOWLEDGED = "acknowledged", _("整改中")
    CLOSED = "closed", _("已办结")


class Letter(TimeStampedModel):
    """信函式反馈: a numbered letter to an organization and its project's 责任人, listing problems to fix."""

    issuer = models.ForeignKey(
        "orgs.Organization", verbose_name=_("发函单位"), on_delete=models.PROTECT, related_name="+"
    )
    # The addressed organization: only it answers the letter.
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("受函组织"), on_delete=models.PROTECT, related_name="feedback_letters"
    )
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("项目"), on_delete=models.PROTECT, related_name="feedback_letters"
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("项目责任人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("来源督查活动"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="letters",
    )
    prefix = models.CharField(_("文号前缀"), max_length=20, help_text=_("例如“新桥督函”，发出时按年度顺序编号。"))
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    serial = models.PositiveIntegerField(_("序号"), null=True, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"), help_text=_("督查中发现的总体情况；下方逐条列出问题和整改要求。"))
    status = models.CharField(
        _("状态"), max_length=16, choices=LetterStatus.choices, default=LetterStatus.DRAFT, db_index=True
    )
    issued_on = models.DateField(_("发函日期"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签收人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("反馈函")
        verbose_name_plural = _("反馈函")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "prefix", "year", "serial"], name="unique_letter_number")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}" if self.serial else self.title

    def get_absolute_url(self) -> str:
        return reverse("supervision:letter_detail", args=[self.pk])

    @property
    def number(self) -> str:
        """The document number, e.g. 新桥督函〔2013〕3号 (empty until the letter is sent)."""
        return f"{self.prefix}〔{self.year}〕{self.serial}号" if self.serial else ""


@states(
    tones={"open": "secondary", "answered": "primary", "returned": "warning", "accepted": "success"},
    groups={
        # Waiting for the addressed organization's answer.
        "to_answer": ("open", "returned"),
        # Answered, waiting for staff to verify.
        "to_verify": ("answered",),
        # Verified: the rectification is done.
        "done": ("accepted",),
    },
)
class ItemStatus(StatusChoices):
    OPEN = "open", _("待整改")
    ANSWERED = "answered", _("待核查")
    RETURNED = "returned", _("退回重改")
    ACCEPTED = "accepted", _("已通过")


class LetterItem(models.Model):
    """One problem in a letter, with the rectification required, its deadline and the answer to it."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField(_("序号"))
    problem = models.TextField(_("存在问题"))
    requirement = models.TextField(_("整改要求"))
    deadline = models.DateField(_("整改期限"))
    status = models.CharField(_("状态"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    action_taken = models.TextField(_("整改措施及成效"), blank=True)
    answered_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("回复人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verify_note = models.TextField(_("核查意见"), blank=True)
    verified_at = models.DateTimeField(_("核查时间"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核查人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        ordering = ["letter", "number"]
        constraints = [models.UniqueConstraint(fields=["letter", "number"], name="unique_item_number")]

    def __str__(self) -> str:
        return _("第%(n)s项：%(problem)s") % {"n": self.number, "problem": self.problem[:40]}

    def get_absolute_url(self) -> str:
        return self.letter.get_absolute_url() + f"#item-{self.pk}"

    @property
    def organization(self) -> Organization:
        return self.letter.organization

    @property
    def is_overdue(self) -> bool:
        return self.status not in ItemStatus.group("done") and self.deadline < timezone.localdate()


class ProjectWarningLevel(models.TextChoices):
    """How grave a 预警 (a `ProjectWarning` raised by a `WarningRule`) is: 提醒 < 警示 < 通报. Not how late an
    overdue item is (逾期/严重逾期, `projects.selectors.OverdueLevel`)."""

    REMINDER = "reminder", _("提醒")
    CAUTION = "caution", _("警示")
    CIRCULAR = "circular", _("通报")


# Each level's badge colour (a level is not a state: it never changes); the label always goes with it.
LEVEL_TONES = {
    ProjectWarningLevel.REMINDER: "info",
    ProjectWarningLevel.CAUTION: "warning",
    ProjectWarningLevel.CIRCULAR: "danger",
}


class RuleKind(models.TextChoices):
    OVERDUE_REPORT = "overdue_report", _("进展报告逾期")
    MISSED_MILESTONE = "missed_milestone", _("里程碑未按期完成")
    UNANSWERED_LETTER = "unanswered_letter", _("反馈函逾期未回复")
    FAILED_ACCEPTANCE = "failed_acceptance", _("验收不合格")


class WarningRule(TimeStampedModel):
    """Staff configure when a warning is raised: for what, after how many days, at which level."""

    organization = models.ForeignKey("orgs.Organization", verbose_name=_("主管党委"), on_delete=models.PROTECT)
    kind = models.CharField(_("情形"), max_length=32, choices=RuleKind.choices)
    days = models.PositiveSmallIntegerField(
        _("超过天数"), help_text=_("逾期（或验收不合格后）达到这么多天即发出预警；0 表示当天即发出。")
    )
    level = models.CharField(_("预警等级"), max_length=16, choices=ProjectWarningLevel.choices)
    is_active = models.BooleanField(_("是否启用"), default=True)

    class Meta:
        verbose_name = _("预警规则")
        verbose_name_plural = _("预警规则")
        ordering = ["kind", "days"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "kind", "level"], name="one_rule_per_kind_and_level")
        ]

    def __str__(self) -> str:
        return _("%(kind)s 超过 %(days)s 天：%(level)s") % {
            "kind": self.get_kind_display(),
            "days": self.days,
            "level": self.get_level_display(),
        }


class ProjectWarning(models.Model):
    """A warning raised by a rule. The same cause never gets the same level twice."""

    rule = models.ForeignKey(WarningRule, verbose_name=_("规则"), on_delete=models.PROTECT, related_name="warnings")
    level = models.CharField(_("预警等级"), max_length=16, choices=ProjectWarningLevel.choices)
    # The organization warned (the project's).
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("组织"), on_delete=models.PROTECT, related_name="supervision_warnings"
    )
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("项目"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # What the warning is about, e.g. "milestone:12": with the level, it makes a warning unique.
    cause = models.CharField(_("事由标识"), max_length=64)
    message = models.CharField(_("说明"), max_length=300)
    raised_on = models.DateField(_("预警日期"), db_index=True)

    class Meta:
        verbose_name = _("预警")
        verbose_name_plural = _("预警")
        ordering = ["-raised_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["cause", "level"], name="one_warning_per_cause_and_level")]
        indexes = [models.Index(fields=["organization", "raised_on"])]

    def __str__(self) -> str:
        return _("%(level)s：%(message)s") % {"level": self.get_level_display(), "message": self.message}

    @property
    def tone(self) -> str:
        return LEVEL_TONES.get(self.level, "secondary")  # type: ignore[call-overload]


class FollowUpKind(models.TextChoices):
    REMIND = "remind", _("催办")
    RECORD = "record", _("督办")


class FollowUp(models.Model):
    """督办 of one overdue report or milestone: a reminder sent to the project's people, or 督办 done by
    other means (a call, a visit) recorded with a note."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("项目"), on_delete=models.PROTECT, related_name="follow_ups"
    )
    # The overdue item, as `projects.selectors.OverdueItem.key` names it ("report:12", "milestone:5").
    item = models.CharField(_("逾期事项"), max_length=32)
    kind = models.CharField(_("督办方式"), max_length=16, choices=FollowUpKind.choices)
    note = models.TextField(_("督办情况"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("督办人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("督办时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("督办记录")
        verbose_name_plural = _("督办记录")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["item", "-created_at"])]

    def __str__(self) -> str:
        return _("%(kind)s：%(project)s") % {"kind": self.get_kind_display(), "project": self.project}

    @property
    def organization(self) -> Organization:
        return self.project.organization


class AccountabilityMeasure(models.TextChoices):
    TALK = "talk", _("约谈")
    CRITICISM = "criticism", _("通报批评")
    RECTIFY = "rectify", _("责令整改")
    DISQUALIFY = "disqualify", _("取消评优资格")
    OTHER = "other", _("其他")


class AccountabilityRecord(TimeStampedModel):
    """问责 recorded by staff by hand."""

    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("被问责组织"), on_delete=models.PROTECT, related_name="+"
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("相关项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("被问责人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    date = models.DateField(_("问责日期"), db_index=True)
    measure = models.CharField(_("问责方式"), max_length=16, choices=AccountabilityMeasure.choices)
    reason = models.TextField(_("问责事由"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("问责记录")
        verbose_name_plural = _("问责记录")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_measure_display()} {self.organization}"

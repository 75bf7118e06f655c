"""Residents' needs (需求征集): intake from every channel, supports, duplicates and their lifecycle.

A need belongs to the committee organization that collects it. Residents hold no account: the
tracking code is their key to the need's public page.
"""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from projectize.core.activity import need_update_text
from projectize.core.choices import StatusChoices, states
from projectize.core.models import TimeStampedModel
from projectize.needs.similarity import describe
from projectize.orgs.models import mobile_validator


class NeedCategory(models.Model):
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("所属党委"), on_delete=models.PROTECT, related_name="need_categories"
    )
    name = models.CharField(_("名称"), max_length=50)
    order = models.PositiveSmallIntegerField(_("排序"), default=0, help_text=_("数字小的排在前面。"))
    is_active = models.BooleanField(
        _("在用"), default=True, help_text=_("停用后不再出现在提交表单中，已有需求不受影响。")
    )

    class Meta:
        verbose_name = _("需求类别")
        verbose_name_plural = _("需求类别")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="unique_need_category")]

    def __str__(self) -> str:
        return self.name


class Channel(models.TextChoices):
    PORTAL = "portal", _("网上提交")
    HOTLINE = "hotline", _("热线电话")
    VISIT = "visit", _("走访")
    QUESTIONNAIRE = "questionnaire", _("问卷调查")
    FORUM = "forum", _("座谈会")
    GRASSROOTS = "grassroots", _("基层组织报送")
    UNIT_SUGGESTION = "unit_suggestion", _("单位项目目标建议")


# Channels staff record on behalf of residents (the portal is the residents' own).
STAFF_CHANNELS = [(value, label) for value, label in Channel.choices if value != Channel.PORTAL]


@states(
    tones={
        "received": "secondary",
        "accepted": "info",
        "declined": "dark",
        "planned": "primary",
        "resolved": "success",
        "merged": "light",
    },
    groups={
        # Still being handled: shown as duplicate candidates, open to supports.
        "open": ("received", "accepted", "planned"),
        # Handled apart no more: cannot be supported, linked or merged into.
        "closed": ("declined", "merged"),
        # Nothing more will be done about it (supports are no longer taken).
        "finished": ("declined", "resolved", "merged"),
        # Its own page offers the link to a target, replies and merging.
        "in_hand": ("received", "accepted", "planned", "resolved"),
    },
)
class NeedStatus(StatusChoices):
    RECEIVED = "received", _("已收到")
    ACCEPTED = "accepted", _("已受理")
    DECLINED = "declined", _("不予采纳")
    # Linked to a target; the need → target → claim trace (claims app) says what became of the target.
    PLANNED = "planned", _("已纳入标的")
    RESOLVED = "resolved", _("已解决")
    MERGED = "merged", _("已合并")


# Tracking codes avoid look-alike characters (0/O, 1/I) so they can be read out over the phone.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10


def new_tracking_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class Need(TimeStampedModel):
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("所属党委"), on_delete=models.PROTECT, related_name="needs"
    )
    code = models.CharField(_("查询码"), max_length=16, unique=True, default=new_tracking_code, editable=False)
    title = models.CharField(_("标题"), max_length=100)
    description = models.TextField(_("具体情况"), max_length=2000)
    category = models.ForeignKey(NeedCategory, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="needs")
    area = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("所在居民区"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="area_needs",
        help_text=_("需求所在的居民区或村，可不选。"),
    )
    location = models.CharField(_("具体位置"), max_length=100, blank=True, help_text=_("例如：某小区 3 号楼门口。"))
    channel = models.CharField(_("来源渠道"), max_length=20, choices=Channel.choices, db_index=True)
    submitter_name = models.CharField(_("联系人"), max_length=30, blank=True)
    submitter_mobile = models.CharField(_("手机号码"), max_length=11, blank=True, validators=[mobile_validator])
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reported_needs",
    )
    source_organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("报送单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submitted_needs",
        help_text=_("基层组织报送或单位建议时，填写报送的组织。"),
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=NeedStatus.choices, default=NeedStatus.RECEIVED, db_index=True
    )
    target = models.ForeignKey(
        "programmes.Target",
        verbose_name=_("关联标的"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="needs",
    )
    merged_into = models.ForeignKey(
        "self", verbose_name=_("合并至"), null=True, blank=True, on_delete=models.PROTECT, related_name="absorbed"
    )
    first_response_at = models.DateTimeField(_("首次答复时间"), null=True, blank=True)
    # How many people support the need (附议), kept by the services that add, remove or move supports, in
    # the same transaction: lists show it without counting the supports table.
    support_count = models.PositiveIntegerField(_("附议人数"), default=0, db_default=0, editable=False)
    # Space-separated jieba tokens of title and description, for duplicate candidates.
    tokens = models.TextField(editable=False, blank=True)

    class Meta:
        verbose_name = _("需求")
        verbose_name_plural = _("需求")
        ordering = ["-created_at", "-id"]
        # The staff list shows the newest first, by committee (a town's list) or across all (a city's), narrowed
        # by status, channel, category or area: each filter with that order has an index that reads only the
        # page. Keyword search has trigram indexes on PostgreSQL (migration 0005).
        indexes = [
            models.Index(fields=["organization", "status", "created_at"]),
            models.Index(fields=["-created_at", "-id"], name="need_newest"),
            models.Index(fields=["organization", "-created_at", "-id"], name="need_committee_newest"),
            models.Index(fields=["organization", "channel", "-created_at", "-id"], name="need_channel_newest"),
            models.Index(fields=["organization", "category", "-created_at", "-id"], name="need_category_newest"),
            models.Index(fields=["area", "-created_at", "-id"], name="need_area_newest"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("needs:detail", args=[self.pk])

    def get_tracking_url(self) -> str:
        return reverse("needs:track", args=[self.code])


class NeedUpdate(models.Model):
    """A step or reply the submitter sees on the tracking page (the staff's name is not shown)."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="updates")
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    # The need's status when the update was written (a record, not the need's state).
    need_status = models.CharField(_("状态"), max_length=16, choices=NeedStatus.choices)
    # What happened, as a code worded when read (`projectize.core.activity.NEED_UPDATES`) so each reader
    # reads their own language; rows written before codes existed hold their text in `message` only.
    verb = models.CharField(max_length=40, blank=True)
    params = models.JSONField(default=dict, blank=True)
    # Text a person typed (a reply, a reason), shown as it was typed.
    message = models.TextField(_("答复"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("需求进展")
        verbose_name_plural = _("需求进展")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.need} · {self.get_need_status_display()}"

    @property
    def text(self) -> str:
        """What happened, in the reader's language ("" when the update is only a typed message)."""
        return need_update_text(self.verb, self.params) if self.verb else ""


class Support(models.Model):
    """附议: one per person per need.

    A person is their mobile number, not a signed cookie: a cookie is gone with a new browser or a
    cleared history, while one number is one person (the same one the need form asks for). Only a
    keyed digest is stored, so supporting a need leaves no contact data behind.
    """

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="supports")
    # The need the support was given to, kept when a merge moves it, so undoing the merge gives it back.
    origin = models.ForeignKey(Need, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    supporter_key = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("附议")
        verbose_name_plural = _("附议")
        constraints = [models.UniqueConstraint(fields=["need", "supporter_key"], name="one_support_per_person")]

    def __str__(self) -> str:
        return f"{self.need} +1"


class SynonymGroup(models.Model):
    """Words residents use for one thing (卫生服务站 社区医院 …), kept by staff; duplicate detection reads them."""

    words = models.CharField(
        _("同义词"), max_length=500, help_text=_("用空格分隔，例如：卫生服务站 社区医院 卫生服务中心。")
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("需求同义词")
        verbose_name_plural = _("需求同义词")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.words


class TokenFrequency(models.Model):
    """In how many needs of a committee a word or synonym group occurs, counted on write (for IDF weights).

    The row with an empty feature counts the needs themselves.
    """

    organization = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    feature = models.CharField(max_length=60)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "feature"], name="unique_need_feature")]

    def __str__(self) -> str:
        return f"{self.feature} × {self.count}"


class DuplicatePair(models.Model):
    """Two open needs likely the same, found when the newer one was written; staff merge or dismiss it."""

    newer = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="+")
    older = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("相似度"))
    reasons = models.JSONField(default=list)
    # “不是重复”: remembered so the pair is never suggested again.
    dismissed = models.BooleanField(_("不是重复"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["newer", "older"], name="unique_duplicate_pair")]
        indexes = [models.Index(fields=["organization", "dismissed", "-score"])]

    def __str__(self) -> str:
        return f"#{self.newer_id} ≈ #{self.older_id}"

    @property
    def shown_reasons(self) -> list[str]:
        return describe(self.reasons)

"""API tokens for integrations, the log of their every use, and webhook subscriptions with their deliveries."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The events an integration may subscribe to, each raised by one code of the activity log (events.py).
EVENT_CHOICES = [
    ("need.received", _("收到需求")),
    ("target.published", _("标的发布")),
    ("project.concluded", _("项目结题")),
]


class ApiToken(models.Model):
    """A key an integration sends as `Authorization: Bearer <key>`. Only its SHA-256 is stored: the key
    itself is shown once, when it is made. The integration acts as the account of the staff member who
    made it, narrowed to an organization subtree and, unless `can_write`, to reading."""

    name = models.CharField(_("集成名称"), max_length=100)
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("组织范围"), on_delete=models.PROTECT, related_name="+"
    )
    can_write = models.BooleanField(_("允许写入"), default=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("代表账号"), on_delete=models.PROTECT, related_name="api_tokens"
    )
    # The key's first characters, shown in lists so people can tell keys apart.
    prefix = models.CharField(_("密钥前缀"), max_length=16, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class ApiRequest(models.Model):
    """One use of a token: every request made with it, whatever its answer."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="requests")
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    method = models.CharField(_("方法"), max_length=8)
    path = models.CharField(_("请求地址"), max_length=300)
    status = models.PositiveSmallIntegerField(_("状态码"))
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)

    class Meta:
        verbose_name = _("令牌使用记录")
        verbose_name_plural = _("令牌使用记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["token", "-at"])]

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.status}"


class WebhookSubscription(models.Model):
    """Where an integration wants to hear of events: a URL, the events, and the secret that signs them."""

    token = models.ForeignKey(ApiToken, verbose_name=_("集成"), on_delete=models.CASCADE, related_name="subscriptions")
    url = models.URLField(_("接收地址"), max_length=500)
    events = models.JSONField(_("事件"), default=list)
    # Shared with the receiver to check each delivery's HMAC; kept as is, since signing needs it.
    secret = models.CharField(max_length=64)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("事件订阅")
        verbose_name_plural = _("事件订阅")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.url

    def event_labels(self) -> list[str]:
        labels = dict(EVENT_CHOICES)
        return [str(labels.get(code, code)) for code in self.events]


class DeliveryResult(models.TextChoices):
    PENDING = "pending", _("待发送")
    DELIVERED = "delivered", _("已送达")
    FAILED = "failed", _("失败")


class WebhookDelivery(models.Model):
    """One event sent (or being sent) to one subscription, with the result of its last attempt."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(_("事件"), max_length=40, choices=EVENT_CHOICES)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    # Not a process of the workflow engine: the job runner's record of the last attempt.
    result = models.CharField(_("结果"), max_length=10, choices=DeliveryResult.choices, default=DeliveryResult.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    response_status = models.PositiveSmallIntegerField(_("响应状态码"), null=True, blank=True)
    error = models.CharField(_("错误"), max_length=300, blank=True)
    last_attempt_at = models.DateTimeField(_("最近尝试"), null=True, blank=True)

    class Meta:
        verbose_name = _("事件推送")
        verbose_name_plural = _("事件推送")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription.url}"

    @property
    def tone(self) -> str:
        """The colour of the result's badge (the badge also says it in words)."""
        tones: dict[str, str] = {DeliveryResult.DELIVERED: "success", DeliveryResult.FAILED: "danger"}
        return tones.get(self.result, "warning")

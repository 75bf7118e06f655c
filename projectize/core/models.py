import uuid
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _

from projectize.core.activity import label, sentence


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field: models.Field) -> Any:
        """`get_<field>_display()`: the label of the field's value. Django's own makes each choice hashable
        first, which translates every label on every call (40 µs for an organization's kind, on each row
        of a list); choice values here are plain strings and numbers, which need none of that."""
        value = getattr(self, field.attname)
        return force_str(dict(field.flatchoices).get(value, value), strings_only=True)


class AppendOnlyError(Exception):
    pass


class ActivityLog(models.Model):
    """One row per state change or significant action. Never updated, never deleted."""

    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.PROTECT
    )
    # A code worded by `projectize.core.activity` in the reader's language, with its parameters.
    action = models.CharField(_("操作"), max_length=64, db_index=True)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    # Entries written before codes and parameters carried the sentence itself; it is shown as it was.
    message = models.CharField(_("说明"), max_length=500, blank=True)
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField(_("对象"), max_length=300, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    # The organization the object belongs to, so the log can be scoped to an organization subtree.
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("组织"), null=True, blank=True, on_delete=models.PROTECT
    )
    before = models.JSONField(_("变更前"), default=dict, blank=True)
    after = models.JSONField(_("变更后"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)

    class Meta:
        verbose_name = _("操作日志")
        verbose_name_plural = _("操作日志")
        ordering = ["-created_at", "-id"]
        # The log page reads an admin's entries through the organization index (ids beside an OR: a bitmap
        # scan) or, where they are many, backwards through created_at; filters by action, actor and date
        # add their own indexes to either. See bench/results/explain-dashboard.md.
        indexes = [models.Index(fields=["target_type", "target_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.label} {self.target_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("activity log entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("activity log entries cannot be deleted")

    @property
    def label(self) -> str:
        return str(label(self.action))

    @property
    def sentence(self) -> str:
        return self.message or sentence(self.action, self.params)

    @property
    def subject(self) -> str:
        """The object as it reads now in the active language; as it read when logged, once it is gone.
        Lists prefetch `target`."""
        target = self.target
        return str(target) if target is not None else self.target_repr

    @property
    def note(self) -> str:
        """Free text the actor typed (a reason, a note), shown as typed."""
        return str(self.params.get("note", ""))


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    # Worded by `projectize.core.activity` in the reader's language, like the activity log.
    verb = models.CharField(_("类型"), max_length=64, blank=True)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    # Notifications written before codes and parameters carried their text; it is shown as it was.
    title = models.CharField(_("标题"), max_length=200, blank=True)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.text[0]

    @property
    def text(self) -> tuple[str, str]:
        """Title and body in the active language."""
        from projectize.core.activity import notice_text

        return notice_text(self.verb, self.params) if self.verb else (self.title, self.body)

    @property
    def heading(self) -> str:
        return self.text[0]

    @property
    def content(self) -> str:
        return self.text[1]


def attachment_path(instance: "Attachment", filename: str) -> str:
    # Stored under a random name: the user's file name is kept in the database only.
    return f"attachments/{instance.target_type.app_label}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file attached to any object. Served only to users who may view that object."""

    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    target_id = models.CharField(max_length=64)
    # Lets one object hold several kinds of files apart (e.g. "evidence", "photo", "receipt").
    purpose = models.CharField(_("用途"), max_length=32, blank=True)
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=300)
    name = models.CharField(_("文件名"), max_length=200)
    kind = models.CharField(_("格式"), max_length=16)
    size = models.PositiveIntegerField(_("大小"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["uploaded_at", "id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return self.kind in ("jpeg", "png")


class RateCounter(models.Model):
    """A count of events (failed logins, public submissions) in a fixed window, shared by every
    server process; used when no Redis is configured (`projectize.core.ratelimit`)."""

    key = models.CharField(max_length=255, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


def job_result_path(instance: "Job", filename: str) -> str:
    return f"jobs/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class Job(models.Model):
    """Work done outside the web request (a document, a large export, an e-mail), with its progress.

    `manage.py run_jobs` runs queued jobs in the embedded default; with REDIS_URL a Celery worker does.
    """

    kind = models.CharField(_("类型"), max_length=32)
    title = models.CharField(_("名称"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), null=True, blank=True, on_delete=models.CASCADE
    )
    # What the handler of `kind` needs to do the work, e.g. the address of the download to build.
    params = models.JSONField(default=dict, blank=True)
    language = models.CharField(max_length=16, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    # Percent done; None while the total is unknown (an export counts its rows instead).
    progress = models.PositiveSmallIntegerField(_("进度"), null=True, blank=True, default=0)
    items_done = models.PositiveIntegerField(default=0)
    result = models.FileField(upload_to=job_result_path, max_length=300, blank=True)
    result_name = models.CharField(max_length=200, blank=True)
    error = models.TextField(_("错误"), blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    run_after = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "run_after"]),
            models.Index(fields=["owner", "created_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("core:job", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    # What the job's page asks (a template compares no state to a literal).
    @property
    def is_queued(self) -> bool:
        return self.status == JobStatus.QUEUED

    @property
    def is_running(self) -> bool:
        return self.status == JobStatus.RUNNING

    @property
    def is_done(self) -> bool:
        return self.status == JobStatus.DONE

    @property
    def has_failed(self) -> bool:
        return self.status == JobStatus.FAILED

    @property
    def tone(self) -> str:
        """The badge's colour."""
        return "success" if self.is_done else "danger" if self.has_failed else "secondary"

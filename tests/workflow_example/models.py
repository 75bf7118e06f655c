"""A ticket that an organization submits and the town approves or returns: the smallest real process."""

from django.conf import settings
from django.db import models

from projectize.core.choices import StatusChoices, states


class Ticket(models.Model):
    @states(
        tones={"submitted": "info", "approved": "success", "returned": "warning"},
        groups={"open": ("draft", "returned", "submitted")},
    )
    class Status(StatusChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "已提交"
        APPROVED = "approved", "已通过"
        RETURNED = "returned", "已退回"

    title = models.CharField(max_length=100, blank=True)
    organization = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)

    # Declared so type checkers know it: the app is installed only while tests run.
    objects: "models.Manager[Ticket]" = models.Manager()

    def __str__(self) -> str:
        return self.title or f"#{self.pk}"

    def get_absolute_url(self) -> str:
        return f"/tickets/{self.pk}/"

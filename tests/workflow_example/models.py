"""A ticket that an organization submits and the town approves or returns: the smallest real process."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy

from projectize.core.workflow import Transition, Workflow
from projectize.orgs.models import Role
from projectize.orgs.permissions import role_over

is_member = role_over(Role.SECRETARY, Role.ORG_STAFF)
is_admin = role_over(Role.TOWN_ADMIN)


def _step(label: str) -> Any:
    # The steps are listed with every other action on the activity log, so they are translated too;
    # their own context keeps other apps' "通过" (Passed) from standing in for this step's name.
    return pgettext_lazy("工作流示例", label)


def has_title(ticket: "Ticket") -> str | None:
    return None if ticket.title.strip() else "请先填写标题。"


def the_author(ticket: "Ticket") -> list[Any]:
    return [ticket.author]


def stamp(ticket: "Ticket", actor: Any, note: str) -> None:
    ticket.decided_by = actor


class Ticket(models.Model):
    class Status(models.TextChoices):
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

    workflow = Workflow(
        [
            Transition(
                "submit", _step("提交"), (Status.DRAFT, Status.RETURNED), Status.SUBMITTED, is_member, guard=has_title
            ),
            Transition(
                "approve",
                _step("通过"),
                (Status.SUBMITTED,),
                Status.APPROVED,
                is_admin,
                notify=the_author,
                effect=stamp,
            ),
            Transition(
                "send_back",
                _step("退回"),
                (Status.SUBMITTED,),
                Status.RETURNED,
                is_admin,
                notify=the_author,
                requires_note=True,
            ),
        ]
    )

    def __str__(self) -> str:
        return self.title or f"#{self.pk}"

    def get_absolute_url(self) -> str:
        return f"/tickets/{self.pk}/"

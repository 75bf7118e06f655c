"""The ticket's one transition table: the whole process in one place."""

from typing import Any

from django.utils.translation import pgettext_lazy

from projectize.core.workflow import Transition, Workflow
from projectize.orgs.models import Role
from projectize.orgs.permissions import role_over, scope_q
from tests.workflow_example.models import Ticket

is_member = role_over(Role.SECRETARY, Role.ORG_STAFF)
is_admin = role_over(Role.TOWN_ADMIN)
Status = Ticket.Status


def _step(label: str) -> Any:
    # The steps are listed with every other action on the activity log, so they are translated too;
    # their own context keeps other apps' "通过" (Passed) from standing in for this step's name.
    return pgettext_lazy("工作流示例", label)


def has_title(ticket: Ticket) -> str | None:
    return None if ticket.title.strip() else "请先填写标题。"


def the_author(ticket: Ticket) -> list[Any]:
    return [ticket.author]


def stamp(ticket: Ticket, actor: Any, note: str) -> None:
    ticket.decided_by = actor


TICKET = Workflow(
    Ticket,
    Ticket.Status,
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
    ],
    scope=lambda user: Ticket.objects.filter(scope_q(user, [Role.TOWN_ADMIN, Role.SECRETARY, Role.ORG_STAFF])),
    waiting={Status.SUBMITTED: "等待镇党委审核。"},
)

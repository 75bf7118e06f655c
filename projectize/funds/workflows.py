"""The disbursement's one transition table: requested, then approved or rejected by another officer."""

from django.utils.translation import gettext_lazy as _

from projectize.core.workflow import NextStep, Transition, Workflow
from projectize.funds import selectors, steps
from projectize.funds.models import Disbursement, DisbursementStatus
from projectize.orgs.models import User

Status = DisbursementStatus


def _waiting_for_approval(user: User, disbursement: Disbursement) -> NextStep:
    if disbursement.requested_by_id == user.pk:
        return NextStep(str(_("已提交，等待另一位经费管理人员审批（申请人不能审批自己的申请）。")), tone="info")
    return NextStep(str(_("等待经费管理人员审批。")), tone="info")


DISBURSEMENT = Workflow(
    Disbursement,
    DisbursementStatus,
    [
        Transition(
            name="approve",
            label=_("批准支出"),
            sources=(Status.REQUESTED,),
            target=Status.APPROVED,
            allowed=steps.may_decide,
            effect=steps.approve,
            notify=steps.requester,
            confirm=_("批准后这笔支出记为已支出，不能撤销，差错只能另行冲销；申请人将收到通知。"),
            hint=_("请核对用途和票据后审批。"),
        ),
        Transition(
            name="reject",
            label=_("驳回"),
            sources=(Status.REQUESTED,),
            target=Status.REJECTED,
            allowed=steps.may_decide,
            effect=steps.reject,
            notify=steps.requester,
            requires_note=True,
            style="danger",
            confirm=_("驳回后这笔支出预留的金额退回经费分配，申请人将收到通知和理由。"),
        ),
    ],
    scope=selectors.disbursements_visible_to,
    waiting={Status.REQUESTED: _waiting_for_approval},
)

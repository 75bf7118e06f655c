"""What the disbursement steps check, change and tell (the table is in workflows.py)."""

from django.db.models import F
from django.utils import timezone

from projectize.funds.models import Allocation, Disbursement
from projectize.funds.rules import is_fund_officer
from projectize.orgs.models import User


def may_decide(user: User, disbursement: Disbursement) -> bool:
    """A fund officer of the committee, other than whoever asked for the money (four eyes)."""
    return bool(is_fund_officer(user, disbursement)) and disbursement.requested_by_id != user.pk


def approve(disbursement: Disbursement, actor: User, note: str) -> None:
    disbursement.approved_by = actor
    disbursement.decided_at = timezone.now()


def reject(disbursement: Disbursement, actor: User, note: str) -> None:
    # The reserved money goes back to the allocation; a plain UPDATE keeps the lock order.
    Allocation.objects.filter(pk=disbursement.allocation_id).update(drawn=F("drawn") - disbursement.amount)
    disbursement.decided_at = timezone.now()


def requester(disbursement: Disbursement) -> list[User]:
    return [disbursement.requested_by]

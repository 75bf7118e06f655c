import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from projectize.core.workflow import TransitionError
from projectize.funds.models import Allocation, Budget, Disbursement, DisbursementStatus
from projectize.funds.selectors import fund_balances, project_balances
from projectize.funds.services import (
    allocation_create,
    allocation_reverse,
    disbursement_approve,
    disbursement_request,
    disbursement_reverse,
    reward_award_create,
)
from tests.funds.factories import assess, fund_world, funded

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 3, 1)


@pytest.fixture
def world():
    world = fund_world()
    funded(world)
    assess(world, world.project)
    return world


def test_it_allocates_within_the_tier_the_assessment_earned(world):
    allocation = allocation_create(
        project=world.project, year=2026, amount=Decimal("20000"), reason="启动经费", actor=world.admin
    )
    assert allocation.tier is not None
    assert (allocation.grade, allocation.tier.name) == ("优秀", "重点支持")
    assert Budget.objects.get(kind="management").committed == Decimal("20000")
    with pytest.raises(ValidationError) as refused:
        allocation_create(project=world.project, year=2026, amount=Decimal("10001"), reason="追加", actor=world.admin)
    assert "重点支持" in str(refused.value.message_dict["amount"])


def test_it_refuses_an_allocation_without_an_initial_assessment(world):
    from tests.projects.factories import make_project

    other = make_project(world.branch, title="无评估项目")
    with pytest.raises(ValidationError, match="初期评估"):
        allocation_create(project=other, year=2026, amount=Decimal("100"), reason="x", actor=world.admin)
    assert not Allocation.objects.exists()


def test_it_refuses_awards_beyond_the_budget(world):
    reward_award_create(year=2026, amount=Decimal("45000"), project=world.project, reason="一等奖", actor=world.admin)
    with pytest.raises(ValidationError) as refused:
        reward_award_create(
            year=2026,
            amount=Decimal("5000.01"),
            person=world.finance,
            project=world.project,
            reason="优秀项目负责人",
            actor=world.admin,
        )
    assert "超出预算余额" in refused.value.message_dict["amount"][0]
    assert Budget.objects.get(kind="reward").committed == Decimal("45000")


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-5"), Decimal("1.234"), "abc", Decimal("NaN")])
def test_it_refuses_bad_amounts_beside_the_field(world, amount):
    with pytest.raises(ValidationError) as refused:
        reward_award_create(year=2026, amount=amount, project=world.project, reason="奖励", actor=world.admin)
    assert "amount" in refused.value.message_dict


def test_the_database_refuses_an_overcommitted_budget(world):
    budget = Budget.objects.get(kind="reward")
    with pytest.raises(IntegrityError), transaction.atomic():
        Budget.objects.filter(pk=budget.pk).update(committed=budget.amount + 1)


def test_the_database_refuses_self_approval_and_non_positive_amounts(world):
    allocation = allocation_create(
        project=world.project, year=2026, amount=Decimal("1000"), reason="x", actor=world.admin
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Disbursement.objects.create(
            allocation=allocation, amount=Decimal("0"), purpose="x", paid_on=TODAY, requested_by=world.admin
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Disbursement.objects.create(
            allocation=allocation,
            amount=Decimal("1"),
            purpose="x",
            paid_on=TODAY,
            requested_by=world.admin,
            approved_by=world.admin,
            status="approved",
        )


def test_a_disbursement_needs_a_second_person_and_stays_within_the_allocation(world):
    allocation = allocation_create(
        project=world.project, year=2026, amount=Decimal("1000"), reason="x", actor=world.admin
    )
    request = disbursement_request(
        allocation=allocation, amount=Decimal("600"), purpose="宣传册印制", paid_on=TODAY, actor=world.finance
    )
    with pytest.raises(PermissionDenied):
        disbursement_approve(disbursement=request, actor=world.finance)
    approved = disbursement_approve(disbursement=request, actor=world.admin)
    assert approved.status == DisbursementStatus.APPROVED and approved.approved_by == world.admin
    with pytest.raises(ValidationError) as refused:
        disbursement_request(
            allocation=allocation, amount=Decimal("400.01"), purpose="场地", paid_on=TODAY, actor=world.finance
        )
    assert "仅余 ¥400.00" in refused.value.message_dict["amount"][0]
    with pytest.raises(TransitionError):
        disbursement_approve(disbursement=approved, actor=world.admin)


def test_corrections_are_reversing_entries_and_history_stays(world):
    allocation = allocation_create(
        project=world.project, year=2026, amount=Decimal("1000"), reason="x", actor=world.admin
    )
    paid = disbursement_approve(
        disbursement=disbursement_request(
            allocation=allocation, amount=Decimal("300"), purpose="物料", paid_on=TODAY, actor=world.finance
        ),
        actor=world.admin,
    )
    with pytest.raises(ValidationError, match="先冲销"):
        allocation_reverse(allocation=allocation, reason="项目终止", actor=world.admin)
    with pytest.raises(ValidationError):
        disbursement_reverse(disbursement=paid, reason=" ", actor=world.admin)
    disbursement_reverse(disbursement=paid, reason="发票作废", actor=world.admin)
    allocation_reverse(allocation=allocation, reason="项目终止", actor=world.admin)
    assert Disbursement.objects.count() == 2 and Allocation.objects.count() == 2
    with pytest.raises(ValidationError, match="已经冲销"):
        allocation_reverse(allocation=allocation, reason="再次", actor=world.admin)
    row: Any
    [row] = fund_balances(world.committee).filter(kind="management")
    assert (row.committed, row.paid) == (Decimal("0"), Decimal("0"))
    [balance] = project_balances(world.committee, 2026)
    assert balance["allocated"] == Decimal("0") and balance["paid"] == Decimal("0")

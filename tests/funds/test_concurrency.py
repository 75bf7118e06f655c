"""Writers racing for the same budget, on real threads: nothing is overspent, each loser gets a clear refusal.

Runs on SQLite (the embedded default) and on PostgreSQL (DATABASE_URL=postgres://...).
"""

import datetime
import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from projectize.funds.models import Allocation, Budget, Disbursement
from projectize.funds.services import allocation_create, disbursement_request, reward_award_create
from tests.funds.factories import assess, fund_world, funded

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 8
TODAY = datetime.date(2026, 3, 1)


def race(work: Callable[[int], Any]) -> tuple[list[Any], list[str]]:
    """Run `work(n)` on THREADS threads released together; return successes and refusal messages."""
    start = threading.Barrier(THREADS)
    done: list[Any] = []
    refused: list[str] = []
    crashed: list[BaseException] = []

    def run(n: int) -> None:
        try:
            start.wait()
            done.append(work(n))
        except ValidationError as error:
            refused.extend(error.messages)
        except BaseException as error:
            crashed.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not crashed, crashed
    return done, refused


def test_racing_awards_never_overspend_the_budget():
    world = fund_world()
    funded(world, reward="1000")

    def award(n: int) -> Allocation:
        return reward_award_create(
            year=2026, amount=Decimal("300"), project=world.project, reason=f"奖励{n}", actor=world.admin
        )

    done, refused = race(award)
    assert len(done) == 3 and len(refused) == THREADS - 3
    assert all("超出预算余额" in message for message in refused)
    assert Budget.objects.get(kind="reward").committed == Decimal("900")
    assert Allocation.objects.count() == 3


def test_racing_allocations_and_disbursements_keep_both_invariants():
    world = fund_world()
    funded(world, management="1000")
    assess(world, world.project)
    first = allocation_create(project=world.project, year=2026, amount=Decimal("500"), reason="首笔", actor=world.admin)

    def allocate_or_pay(n: int) -> Any:
        if n % 2:
            return allocation_create(
                project=world.project, year=2026, amount=Decimal("200"), reason=f"追加{n}", actor=world.admin
            )
        return disbursement_request(
            allocation=first, amount=Decimal("200"), purpose=f"支出{n}", paid_on=TODAY, actor=world.finance
        )

    done, refused = race(allocate_or_pay)
    budget = Budget.objects.get(kind="management")
    first.refresh_from_db()
    allocations = Allocation.objects.exclude(pk=first.pk).count()
    payments = Disbursement.objects.count()
    assert (allocations, payments) == (2, 2)  # 500 + 2 × 200 of 1000; 2 × 200 of the first 500
    assert len(done) + len(refused) == THREADS
    assert budget.committed == Decimal("900") and first.drawn == Decimal("400")

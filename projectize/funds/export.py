"""The funds in Excel: the whole ledger (budgets, allocations and awards, disbursements) and the list pages'
exports, which write the same allocation and disbursement sheets for the rows their filters select.
Rows stream from the database; a reversing entry counts negative.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from projectize.funds import selectors
from projectize.funds.models import Allocation, Disbursement, FundKind
from projectize.orgs.models import Organization

Sheet = tuple[str, Sequence[Any], Iterable[Sequence[Any]]]


def ledger_sheets(committee: Organization, year: int | None = None) -> list[Sheet]:
    """The committee's ledger, of one year or all, oldest entries first."""
    allocations = selectors.allocation_list(committee, year=year).order_by("created_at", "id")
    disbursements = selectors.disbursement_list(committee, year=year).order_by("requested_at", "id")
    return [budgets_sheet(committee, year), allocations_sheet(allocations), disbursements_sheet(disbursements)]


def budgets_sheet(committee: Organization, year: int | None = None) -> Sheet:
    headers = [_("年度"), _("经费类别"), _("预算金额"), _("已分配"), _("已支出"), _("可分配余额")]
    budgets: Any = selectors.fund_balances(committee)  # annotated with `paid`
    rows = (
        (b.year, b.get_kind_display(), b.amount, b.committed, b.paid, b.available)
        for b in budgets
        if year is None or b.year == year
    )
    return _("预算"), headers, rows


def allocations_sheet(allocations: QuerySet[Allocation]) -> Sheet:
    headers = [
        _("编号"),
        _("登记时间"),
        _("年度"),
        _("经费类别"),
        _("项目"),
        _("获奖个人"),
        _("评估等级"),
        _("金额"),
        _("已支用"),
        _("事由"),
        _("冲销的记录"),
        _("登记人"),
    ]
    rows = (
        (
            a.pk,
            a.created_at,
            a.budget.year,
            a.budget.get_kind_display(),
            a.project,
            a.person,
            a.grade,
            -a.amount if a.is_reversal else a.amount,
            a.drawn,
            a.reason,
            a.reverses_id,
            a.created_by,
        )
        for a in allocations.select_related("budget", "project", "person", "created_by").iterator(chunk_size=2000)
    )
    return _("分配与奖励"), headers, rows


def disbursements_sheet(disbursements: QuerySet[Disbursement]) -> Sheet:
    headers = [
        _("编号"),
        _("支出日期"),
        _("分配编号"),
        _("项目或个人"),
        _("金额"),
        _("用途"),
        _("状态"),
        _("冲销的记录"),
        _("申请人"),
        _("审批人"),
    ]
    related = ("allocation__project", "allocation__person", "requested_by", "approved_by")
    rows = (
        (
            d.pk,
            d.paid_on,
            d.allocation_id,
            d.allocation.project or d.allocation.person,
            -d.amount if d.is_reversal else d.amount,
            d.purpose,
            d.get_status_display(),
            d.reverses_id,
            d.requested_by,
            d.approved_by,
        )
        for d in disbursements.select_related(*related).iterator(chunk_size=2000)
    )
    return _("支出"), headers, rows


def balances_sheet(balances: Iterable[dict[str, Any]]) -> Sheet:
    """The rows of `selectors.project_balances`: per project and fund, money allocated, paid, awaiting, left."""
    headers = [_("项目"), _("经费类别"), _("已分配"), _("已支出"), _("待审批"), _("可支出余额")]
    rows = (
        (r["project"], FundKind(r["kind"]).label, r["allocated"], r["paid"], r["pending"], r["available"])
        for r in balances
    )
    return _("项目经费余额"), headers, rows

"""The ledger as an Excel workbook: budgets, allocations and awards, disbursements. Rows stream from the database."""

from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from projectize.funds import selectors
from projectize.orgs.models import Organization


def ledger_workbook(committee: Organization, year: int | None = None) -> Workbook:
    book = Workbook(write_only=True)
    budgets = book.create_sheet(_("预算"))
    budgets.append([_("年度"), _("经费类别"), _("预算金额"), _("已分配"), _("已支出"), _("可分配余额")])
    budget: Any
    for budget in selectors.fund_balances(committee):
        if year is None or budget.year == year:
            budgets.append(
                [
                    budget.year,
                    str(budget.get_kind_display()),
                    budget.amount,
                    budget.committed,
                    budget.paid,
                    budget.available,
                ]
            )
    allocations = book.create_sheet(_("分配与奖励"))
    allocations.append(
        [
            _("编号"),
            _("登记时间"),
            _("年度"),
            _("经费类别"),
            _("项目"),
            _("获奖个人"),
            _("评估等级"),
            _("金额"),
            _("事由"),
            _("冲销的记录"),
            _("登记人"),
        ]
    )
    for row in selectors.allocation_list(committee, year=year).order_by("created_at", "id").iterator(chunk_size=2000):
        allocations.append(
            [
                row.pk,
                row.created_at.replace(tzinfo=None),
                row.budget.year,
                str(row.budget.get_kind_display()),
                str(row.project or ""),
                str(row.person or ""),
                row.grade,
                -row.amount if row.is_reversal else row.amount,
                row.reason,
                row.reverses_id or "",
                str(row.created_by),
            ]
        )
    payments = book.create_sheet(_("支出"))
    payments.append(
        [
            _("编号"),
            _("支出日期"),
            _("分配编号"),
            _("项目"),
            _("金额"),
            _("用途"),
            _("状态"),
            _("冲销的记录"),
            _("申请人"),
            _("审批人"),
        ]
    )
    for payment in (
        selectors.disbursement_list(committee, year=year).order_by("requested_at", "id").iterator(chunk_size=2000)
    ):
        payments.append(
            [
                payment.pk,
                payment.paid_on,
                payment.allocation_id,
                str(payment.allocation.project or payment.allocation.person or ""),
                -payment.amount if payment.is_reversal else payment.amount,
                payment.purpose,
                str(payment.get_status_display()),
                payment.reverses_id or "",
                str(payment.requested_by),
                str(payment.approved_by or ""),
            ]
        )
    return book

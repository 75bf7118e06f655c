import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from projectize.funds.models import Allocation, Budget, Disbursement, DisbursementStatus
from projectize.funds.services import allocation_create, disbursement_request, reward_award_create
from projectize.orgs.models import Role
from tests.factories import PASSWORD, user_with_role
from tests.funds.factories import assess, fund_world, funded

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = fund_world()
    funded(world)
    assess(world, world.project)
    return world


def login(client, username):
    assert client.login(username=username, password=PASSWORD)


@pytest.mark.parametrize(
    ("amount", "message"),
    [("12.345", "最多保留两位小数"), ("-5", "金额必须大于 0"), ("0", "金额必须大于 0"), ("一百", "请输入金额数字")],
)
def test_bad_amounts_are_refused_beside_the_field(client, world, amount, message):
    login(client, "admin")
    response = client.post(
        "/funds/allocations/new/", {"project": world.project.pk, "year": 2026, "amount": amount, "reason": "启动"}
    )
    page = response.content.decode()
    assert 'data-testid="error-amount"' in page and message in page
    assert not Allocation.objects.exists()


def test_an_overspend_is_refused_beside_the_amount(client, world):
    login(client, "admin")
    response = client.post(
        "/funds/allocations/new/", {"project": world.project.pk, "year": 2026, "amount": "30000.01", "reason": "启动"}
    )
    assert "超出“重点支持”档次上限" in response.content.decode()
    assert Budget.objects.get(kind="management").committed == 0


def test_the_requester_sees_no_approve_button_and_cannot_approve(client, world):
    allocation = allocation_create(
        project=world.project, year=2026, amount=Decimal("900"), reason="x", actor=world.admin
    )
    request = disbursement_request(
        allocation=allocation,
        amount=Decimal("100"),
        purpose="物料",
        paid_on=datetime.date(2026, 3, 1),
        actor=world.finance,
    )
    login(client, "finance")
    page = client.get(request.get_absolute_url()).content.decode()
    assert "批准支出" not in page and "申请人不能审批自己的申请" in page
    assert client.post(f"/workflow/funds.disbursement/{request.pk}/approve/").status_code == 403
    login(client, "admin")
    page = client.get(request.get_absolute_url()).content.decode()
    assert "请核对用途和票据后审批" in page and "批准支出" in page and 'data-status="requested"' in page
    client.post(f"/workflow/funds.disbursement/{request.pk}/approve/", {"next": request.get_absolute_url()})
    assert Disbursement.objects.get().status == DisbursementStatus.APPROVED


def test_a_disbursement_outside_the_officers_committee_cannot_be_decided(client, world):
    allocation = allocation_create(
        project=world.project, year=2026, amount=Decimal("900"), reason="x", actor=world.admin
    )
    request = disbursement_request(
        allocation=allocation,
        amount=Decimal("100"),
        purpose="物料",
        paid_on=datetime.date(2026, 3, 1),
        actor=world.finance,
    )
    # Finance staff of a branch keep no committee's ledger: the step endpoint answers as if nothing were there.
    user_with_role(Role.FINANCE, world.branch, username="branch-finance")
    login(client, "branch-finance")
    assert client.post(f"/workflow/funds.disbursement/{request.pk}/approve/").status_code == 404
    assert Disbursement.objects.get().status == DisbursementStatus.REQUESTED


def test_other_committees_and_organizations_see_no_funds(client, world):
    user_with_role(Role.SECRETARY, world.branch, username="sec")
    award = reward_award_create(year=2026, amount=Decimal("100"), project=world.project, reason="x", actor=world.admin)
    login(client, "sec")
    assert client.get("/funds/").status_code == 404
    assert client.get(award.get_absolute_url()).status_code == 404


def test_the_ledger_exports_to_excel(client, world):
    allocation = allocation_create(
        project=world.project, year=2026, amount=Decimal("900"), reason="启动", actor=world.admin
    )
    disbursement_request(
        allocation=allocation,
        amount=Decimal("100.50"),
        purpose="物料",
        paid_on=datetime.date(2026, 3, 1),
        actor=world.finance,
    )
    login(client, "finance")
    response = client.get("/funds/ledger.xlsx?year=2026")
    book = load_workbook(io.BytesIO(response.content))
    budgets = list(book["预算"].iter_rows(values_only=True))
    assert budgets[0][0] == "年度" and {row[1] for row in budgets[1:]} == {"专项管理经费", "专项奖励经费"}
    [_, allocated] = list(book["分配与奖励"].iter_rows(values_only=True))
    assert allocated[7] == 900 and allocated[6] == "优秀"
    [_, paid] = list(book["支出"].iter_rows(values_only=True))
    assert paid[4] == 100.5 and paid[5] == "物料"


def test_budgets_show_growth_year_over_year(client, world):
    funded(world, year=2025, management="80000", reward="40000")
    login(client, "admin")
    page = client.get("/funds/").content.decode()
    assert "+25.0%" in page


def _rows(world, n):
    for _ in range(n):
        allocation = Allocation.objects.create(
            budget=Budget.objects.get(kind="reward"),
            project=world.project,
            amount=Decimal(1),
            reason="r",
            created_by=world.admin,
        )
        Disbursement.objects.create(
            allocation=allocation, amount=Decimal(1), purpose="p", paid_on="2026-03-01", requested_by=world.finance
        )


@pytest.mark.parametrize("url", ["/funds/allocations/", "/funds/disbursements/", "/funds/projects/", "/funds/"])
def test_list_queries_stay_flat_as_rows_grow(client, django_assert_max_num_queries, world, url):
    login(client, "admin")
    _rows(world, 10)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _rows(world, 990)
    with django_assert_max_num_queries(len(small)):
        assert client.get(url).status_code == 200


def test_a_budget_cannot_be_revised_below_what_is_allocated(client, world):
    allocation_create(project=world.project, year=2026, amount=Decimal("20000"), reason="启动", actor=world.admin)
    budget = Budget.objects.get(kind="management")
    login(client, "admin")
    response = client.post(budget.get_absolute_url(), {"amount": "19999.99", "reason": "调减"})
    assert "预算不能少于已分配的 ¥20,000.00" in response.content.decode()
    client.post(budget.get_absolute_url(), {"amount": "120000", "reason": "党委会议决定追加"})
    budget.refresh_from_db()
    assert budget.amount == Decimal("120000")


def test_an_award_to_a_person_and_its_reversal_through_the_pages(client, world):
    world.project.responsible = world.finance
    world.project.save()
    login(client, "admin")
    response = client.post(
        "/funds/awards/new/", {"year": 2026, "person": world.finance.pk, "amount": "5000", "reason": "优秀项目负责人"}
    )
    award = Allocation.objects.get()
    assert response.status_code == 302 and award.person == world.finance and award.budget.kind == "reward"
    response = client.post(f"/funds/allocations/{award.pk}/reverse/", {"reason": "重复登记"})
    assert response.status_code == 302
    reversal = Allocation.objects.get(reverses=award)
    assert reversal.amount == award.amount and Budget.objects.get(kind="reward").committed == 0
    assert "冲销记录" in client.get(reversal.get_absolute_url()).content.decode()


def test_finance_sees_requests_waiting_for_them_on_the_home_page(client, world):
    allocation = allocation_create(
        project=world.project, year=2026, amount=Decimal("900"), reason="x", actor=world.admin
    )
    disbursement_request(
        allocation=allocation,
        amount=Decimal("100"),
        purpose="物料",
        paid_on=datetime.date(2026, 3, 1),
        actor=world.admin,
    )
    login(client, "finance")
    assert "待审批的经费支出" in client.get("/").content.decode()
    login(client, "admin")
    assert "待审批的经费支出" not in client.get("/").content.decode()

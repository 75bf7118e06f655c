"""The funds lists export what their filters select, every row of it, and only the committee's own money."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projectize.funds import selectors
from projectize.funds.export import balances_sheet
from projectize.funds.models import Allocation, Budget, DisbursementStatus
from projectize.funds.services import (
    allocation_create,
    allocation_reverse,
    budget_create,
    disbursement_request,
    reward_award_create,
)
from projectize.funds.workflows import DISBURSEMENT
from projectize.orgs.models import Role
from projectize.projects.models import ProjectStatus
from tests.core.test_list_exports import rows_of
from tests.factories import make_org, make_root, user_with_role
from tests.funds import test_pages
from tests.funds.factories import funded
from tests.funds.test_pages import _rows, login
from tests.projects.factories import make_project

pytestmark = pytest.mark.django_db
world = test_pages.world  # the fixture: a funded committee and its project with an initial assessment

DISBURSEMENT_HEADERS = (
    "编号",
    "支出日期",
    "分配编号",
    "项目或个人",
    "金额",
    "用途",
    "状态",
    "冲销的记录",
    "申请人",
    "审批人",
)

ALLOCATION_HEADERS = (
    "编号",
    "登记时间",
    "年度",
    "经费类别",
    "项目",
    "获奖个人",
    "评估等级",
    "金额",
    "已支用",
    "事由",
    "冲销的记录",
    "登记人",
)


@pytest.fixture
def elsewhere():
    """Another town's committee with money of its own, given to its own project."""
    committee = make_root("泗泾镇党委")
    admin = user_with_role(Role.TOWN_ADMIN, committee, username="sijing")
    project = make_project(
        make_org(committee, "泗泾居民区党总支"), status=ProjectStatus.IN_PROGRESS, code="2026-SJ-001", title="别处项目"
    )
    budget_create(organization=committee, year=2026, kind="reward", amount=Decimal("9000"), actor=admin)
    award = reward_award_create(year=2026, amount=Decimal("777"), project=project, reason="别处奖励", actor=admin)
    disbursement_request(
        allocation=award, amount=Decimal("77"), purpose="别处支出", paid_on=datetime.date(2026, 3, 2), actor=admin
    )
    return committee


def _ledger(world):
    """A management allocation, a reward award and its reversal, and two payments from the allocation."""
    allocation = allocation_create(
        project=world.project, year=2026, amount=Decimal("900"), reason="启动", actor=world.admin
    )
    award = reward_award_create(
        year=2026, amount=Decimal("5000"), project=world.project, reason="优秀项目", actor=world.admin
    )
    allocation_reverse(allocation=award, reason="重复登记", actor=world.admin)
    paid = disbursement_request(
        allocation=allocation,
        amount=Decimal("100.50"),
        purpose="物料",
        paid_on=datetime.date(2026, 3, 1),
        actor=world.finance,
    )
    DISBURSEMENT.apply(paid, "approve", actor=world.admin)
    disbursement_request(
        allocation=allocation,
        amount=Decimal("20"),
        purpose="茶歇",
        paid_on=datetime.date(2026, 4, 1),
        actor=world.finance,
    )


def test_the_allocation_export_follows_the_fund_filter_and_stays_in_the_committee(client, world, elsewhere):
    _ledger(world)
    login(client, "admin")
    rows = rows_of(client.get("/funds/allocations/", {"kind": "reward", "year": "2026", "export": "xlsx"}))
    assert rows[0] == ALLOCATION_HEADERS
    # Newest first, as on the page; the reversal counts negative. Neither the management allocation
    # nor the other committee's award is there.
    assert [(row[3], row[4], row[7], row[9]) for row in rows[1:]] == [
        ("专项奖励经费", "2026-SF-001 楼组自治“微议事”", -5000, "重复登记"),
        ("专项奖励经费", "2026-SF-001 楼组自治“微议事”", 5000, "优秀项目"),
    ]
    assert isinstance(rows[1][1], datetime.datetime) and rows[1][2] == 2026
    assert rows[1][10] == rows[2][0] and rows[1][11] == str(world.admin)


def test_the_allocation_export_holds_every_row_not_one_page(client, world):
    budget = Budget.objects.get(kind="reward")
    Allocation.objects.bulk_create(
        Allocation(budget=budget, project=world.project, amount=Decimal(1), reason=f"r{n}", created_by=world.admin)
        for n in range(35)
    )
    login(client, "finance")
    rows = rows_of(client.get("/funds/allocations/", {"page": "2", "export": "xlsx"}))
    assert len(rows) == 1 + 35


def test_another_committees_funds_do_not_export(client, world, elsewhere):
    user_with_role(Role.SECRETARY, world.branch, username="sec")
    budget = Budget.objects.get(organization=elsewhere)
    login(client, "admin")
    for url in ("/funds/allocations/", "/funds/disbursements/", "/funds/projects/"):
        assert client.get(url, {"org": elsewhere.pk, "export": "xlsx"}).status_code == 404, url
    assert client.get(budget.get_absolute_url(), {"export": "xlsx"}).status_code == 404
    login(client, "sec")
    for url in ("/funds/allocations/", "/funds/disbursements/", "/funds/projects/"):
        assert client.get(url, {"export": "xlsx"}).status_code == 404, url
    own = Budget.objects.get(organization=world.committee, kind="reward")
    assert client.get(own.get_absolute_url(), {"export": "xlsx"}).status_code == 404


def test_the_budget_export_lists_what_that_budget_pays_for(client, world, elsewhere):
    _ledger(world)
    budget = Budget.objects.get(organization=world.committee, kind="management")
    login(client, "finance")
    rows = rows_of(client.get(budget.get_absolute_url(), {"export": "xlsx"}))
    assert rows[0] == ALLOCATION_HEADERS
    assert [(row[3], row[6], row[7], row[8], row[9]) for row in rows[1:]] == [
        ("专项管理经费", "优秀", 900, 120.5, "启动")
    ]


def test_the_disbursement_export_follows_the_status_filter(client, world, elsewhere):
    _ledger(world)
    login(client, "admin")
    rows = rows_of(client.get("/funds/disbursements/", {"status": DisbursementStatus.APPROVED, "export": "xlsx"}))
    assert rows[0] == DISBURSEMENT_HEADERS
    [(_, paid_on, _, project, amount, purpose, status, _, requester, approver)] = rows[1:]
    assert paid_on == datetime.datetime(2026, 3, 1)
    assert (project, purpose, amount, status) == ("2026-SF-001 楼组自治“微议事”", "物料", 100.5, "已批准")
    assert (requester, approver) == (str(world.finance), str(world.admin))
    rows = rows_of(client.get("/funds/disbursements/", {"export": "xlsx"}))
    assert [row[5] for row in rows[1:]] == ["茶歇", "物料"]
    # The page offers the year the list is narrowed to, and another year lists nothing.
    page = client.get("/funds/disbursements/", {"year": 2025})
    assert 'name="year" type="number" value="2025"' in page.content.decode()
    assert page.context["page"].paginator.count == 0


def test_the_balance_export_follows_the_year_filter(client, world, elsewhere):
    _ledger(world)
    funded(world, year=2025)
    reward_award_create(year=2025, amount=Decimal("300"), project=world.project, reason="上年奖励", actor=world.admin)
    login(client, "admin")
    rows = rows_of(client.get("/funds/projects/", {"year": "2026", "export": "xlsx"}))
    assert rows[0] == ("项目", "经费类别", "已分配", "已支出", "待审批", "可支出余额")
    assert rows[1:] == [
        ("2026-SF-001 楼组自治“微议事”", "专项管理经费", 900, 100.5, 20, 779.5),
        ("2026-SF-001 楼组自治“微议事”", "专项奖励经费", 0, 0, 0, 0),
    ]
    # Money goes into the workbook as Decimal, never float.
    _, _, money = balances_sheet(selectors.project_balances(world.committee, 2026))
    assert all(isinstance(value, Decimal) for row in money for value in row[2:])


@pytest.mark.parametrize("url", ["/funds/allocations/", "/funds/disbursements/", "/funds/projects/", "budget"])
def test_export_queries_stay_flat_as_rows_grow(client, world, url):
    if url == "budget":
        url = Budget.objects.get(kind="reward").get_absolute_url()
    login(client, "admin")
    _rows(world, 5)
    with CaptureQueriesContext(connection) as small:
        rows_of(client.get(url, {"export": "xlsx"}))
    _rows(world, 100)
    with CaptureQueriesContext(connection) as large:
        rows_of(client.get(url, {"export": "xlsx"}))
    assert len(large) == len(small)


def test_each_funds_list_links_to_its_export_with_the_current_filters(client, world):
    login(client, "admin")
    budget = Budget.objects.get(kind="reward")
    for url, query, link in (
        ("/funds/allocations/", {"kind": "reward", "page": "2"}, "?kind=reward&amp;export=xlsx"),
        ("/funds/disbursements/", {"status": "approved"}, "?status=approved&amp;export=xlsx"),
        ("/funds/projects/", {"year": "2026"}, "?year=2026&amp;export=xlsx"),
        (budget.get_absolute_url(), {}, "?export=xlsx"),
    ):
        assert f'href="{link}"' in client.get(url, query).content.decode(), url

"""Reads of the two funds: balances per fund, per project and per year, all summed in SQL."""

from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, F, OuterRef, Q, QuerySet, Subquery, Sum, Value, Window
from django.db.models.functions import Coalesce, Lag

from projectize.funds.models import Allocation, Budget, Disbursement, DisbursementStatus, signed_amount
from projectize.orgs.models import COMMITTEE_KINDS, Organization, Role, User
from projectize.orgs.permissions import scope_q
from projectize.projects import selectors as projects
from projectize.projects.models import Project

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=14, decimal_places=2))
READER_ROLES = (Role.FINANCE, Role.TOWN_ADMIN, Role.LEADER)
OFFICER_ROLES = (Role.FINANCE, Role.TOWN_ADMIN)
PAID = DisbursementStatus.group("paid")
PENDING = DisbursementStatus.group("pending")


def committees_of(user: User) -> QuerySet[Organization]:
    """Committees whose funds the user may read."""
    return Organization.objects.filter(scope_q(user, READER_ROLES, field=""), kind__in=COMMITTEE_KINDS)


def _paid_per_budget() -> Subquery:
    paid = (
        Disbursement.objects.filter(allocation__budget=OuterRef("pk"), status__in=PAID)
        .values("allocation__budget")
        .annotate(total=Sum(signed_amount()))
        .values("total")
    )
    return Subquery(paid, output_field=DecimalField(max_digits=14, decimal_places=2))


def fund_balances(committee: Organization) -> QuerySet[Budget]:
    """Each year's budget of each fund with what is allocated (`committed`), paid out (`paid`), what is
    left to allocate, and last year's amount of the same fund (`previous`) for the growth."""
    return (
        Budget.objects.filter(organization=committee)
        .annotate(
            paid=Coalesce(_paid_per_budget(), ZERO),
            previous=Window(Lag("amount"), partition_by=[F("kind")], order_by=F("year").asc()),
        )
        .order_by("-year", "kind")
    )


def growth_percent(amount: Decimal, previous: Decimal | None) -> Decimal | None:
    if not previous:
        return None
    return ((amount - previous) / previous * 100).quantize(Decimal("0.1"))


def year_totals(committee: Organization) -> Any:
    """Both funds together per year."""
    return (
        Budget.objects.filter(organization=committee)
        .values("year")
        .annotate(amount=Sum("amount"), committed=Sum("committed"))
        .order_by("-year")
    )


def project_balances(
    committee: Organization, year: int | None = None, project: Project | None = None
) -> list[dict[str, Any]]:
    """Per project (and fund): allocated net of reversals, paid, awaiting approval, and left to spend."""
    allocations = Allocation.objects.filter(budget__organization=committee, project__isnull=False)
    disbursements = Disbursement.objects.filter(
        allocation__budget__organization=committee, allocation__project__isnull=False
    )
    if year is not None:
        allocations = allocations.filter(budget__year=year)
        disbursements = disbursements.filter(allocation__budget__year=year)
    if project is not None:
        allocations = allocations.filter(project=project)
        disbursements = disbursements.filter(allocation__project=project)
    given = allocations.values("project", "budget__kind").annotate(allocated=Sum(signed_amount()), drawn=Sum("drawn"))
    spent = {
        (row["allocation__project"], row["allocation__budget__kind"]): row
        for row in disbursements.values("allocation__project", "allocation__budget__kind").annotate(
            paid=Coalesce(Sum(signed_amount(), filter=Q(status__in=PAID)), ZERO),
            pending=Coalesce(Sum("amount", filter=Q(status__in=PENDING)), ZERO),
        )
    }
    titles = projects.projects_by_pk({row["project"] for row in given})
    rows = []
    for row in given:
        money: Any = spent.get((row["project"], row["budget__kind"]), {})
        rows.append(
            {
                "project": titles[row["project"]],
                "kind": row["budget__kind"],
                "allocated": row["allocated"],
                "paid": money.get("paid", Decimal(0)),
                "pending": money.get("pending", Decimal(0)),
                "available": row["allocated"] - row["drawn"],
            }
        )
    return sorted(rows, key=lambda r: (r["project"].code or "", r["kind"]))


def allocation_list(committee: Organization, *, year: int | None = None, kind: str = "") -> QuerySet[Allocation]:
    allocations = Allocation.objects.filter(budget__organization=committee)
    if year:
        allocations = allocations.filter(budget__year=year)
    if kind:
        allocations = allocations.filter(budget__kind=kind)
    return allocations.select_related("budget", "project", "person", "tier", "reverses", "created_by", "reversal")


def disbursement_list(committee: Organization, *, year: int | None = None, status: str = "") -> QuerySet[Disbursement]:
    disbursements = Disbursement.objects.filter(allocation__budget__organization=committee)
    if year:
        disbursements = disbursements.filter(allocation__budget__year=year)
    if status:
        disbursements = disbursements.filter(status=status)
    return disbursements.select_related(
        "allocation__budget", "allocation__project", "allocation__person", "requested_by", "approved_by", "reverses"
    )


def disbursements_visible_to(user: User) -> QuerySet[Disbursement]:
    """Disbursements of the committees whose funds the user may read (as the `funds.view_disbursement` rule)."""
    return Disbursement.objects.filter(scope_q(user, READER_ROLES, field="allocation__budget__organization"))


def awaiting_approval(user: User) -> QuerySet[Disbursement]:
    """Requests the user may approve: in their committees, asked for by someone else."""
    return Disbursement.objects.filter(
        scope_q(user, OFFICER_ROLES, field="allocation__budget__organization"), status__in=PENDING
    ).exclude(requested_by=user)


# Read by the reports ---------------------------------------------------------------------------


def budgets_in_subtree(path: str) -> QuerySet[Budget]:
    """Budgets of the organization at `path` and of every organization under it."""
    return Budget.objects.filter(organization__path__startswith=path)


def allocations_in_subtree(path: str) -> QuerySet[Allocation]:
    """Allocations from the budgets of the organization at `path` and of every organization under it."""
    return Allocation.objects.filter(budget__organization__path__startswith=path)


def allocations_to_projects_in(path: str, year: int) -> QuerySet[Allocation]:
    """Allocations from `year`'s budgets to projects of the organization at `path` and those under it."""
    return Allocation.objects.filter(project__organization__path__startswith=path, budget__year=year)


def approved_disbursements() -> QuerySet[Disbursement]:
    return Disbursement.objects.filter(status=DisbursementStatus.APPROVED)

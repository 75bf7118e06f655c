"""Every dashboard figure counted straight from the source tables, for one scope: what the roll-up must hold.

Written the plain way (one aggregate over the scope's subtree per figure, as the dashboard once did), so a
difference points at the roll-up. The figures tied to a committee (calls, programmes, budgets, showcases)
are those of the organization's nearest committee (a town), or above the towns of its own subtree, where
calls, programmes and showcases are added up per year and need categories per name.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, cast

from django.db.models import Count, Q, Sum

from projectize.claims.models import Claim, ClaimStatus
from projectize.funds.models import Allocation, Budget, Disbursement, DisbursementStatus, signed_amount
from projectize.needs.models import Need
from projectize.orgs.models import TOWN_KINDS, Organization
from projectize.programmes.models import Programme, Target, TargetStatus, offered
from projectize.projects.models import NOT_YET_PROJECTS, Call, Project, ProjectStatus
from projectize.showcase.models import LEVEL_ORDER, Nomination, Showcase
from projectize.supervision.models import ProjectWarning

OUTCOMES = ("rules_established", "problems_solved", "service_brands", "beneficiaries")


def committee_of(organization: Organization) -> Organization | None:
    paths = [organization.path[:end] for end in range(4, len(organization.path) + 1, 4)]
    return Organization.objects.filter(path__in=paths, kind__in=TOWN_KINDS).order_by("-depth").first()


def figures(organization: Organization, year: int | None) -> dict[str, Any]:
    town = committee_of(organization)
    committee = town or organization
    under = organization.path
    projects = Project.objects.filter(organization__path__startswith=under)
    projects_in = projects.exclude(status__in=NOT_YET_PROJECTS)
    if year:
        projects_in = projects_in.filter(year=year)
    found: dict[str, Any] = {}
    found["by_type"] = _counts(projects_in, "type")
    found["by_status"] = _counts(projects_in, "status")
    found["by_year"] = {
        (y, t): n
        for y, t, n in projects.exclude(status__in=NOT_YET_PROJECTS)
        .values_list("year", "type")
        .annotate(n=Count("id"))
        .values_list("year", "type", "n")
    }
    cumulative = projects.filter(year__lte=year) if year else projects
    totals = cumulative.aggregate(**{name: Sum(name) for name in OUTCOMES})
    found["outcomes"] = {name: totals[name] or 0 for name in OUTCOMES}
    found["outcomes_by_year"] = {
        row["year"]: tuple(row[name] or 0 for name in OUTCOMES)
        for row in cast(Iterable[Mapping[str, Any]], projects.values("year").annotate(**{n: Sum(n) for n in OUTCOMES}))
        if any(row[name] for name in OUTCOMES)
    }

    in_scope = Q(projects__organization__path__startswith=under) & ~Q(projects__status__in=NOT_YET_PROJECTS)
    calls = Call.objects.filter(organization__path__startswith=committee.path)
    if year:
        calls = calls.filter(year=year)
    if town:
        found["calls"] = [
            (c.year, c.organizations, c.total)
            for c in calls.annotate(
                organizations=Count("projects__organization", filter=in_scope, distinct=True),
                total=Count("projects", filter=in_scope, distinct=True),
            ).order_by("-year", "id")
        ]
    else:
        found["calls"] = [
            (row["year"], row["organizations"], row["total"])
            for row in calls.values("year")
            .annotate(
                organizations=Count("projects__organization", filter=in_scope, distinct=True),
                total=Count("projects", filter=in_scope, distinct=True),
            )
            .order_by("-year")
            if row["total"]
        ]

    needs = Need.objects.filter(Q(organization__path__startswith=under) | Q(area__path__startswith=under))
    if year:
        needs = needs.filter(created_at__year=year)
    category = ("category__name",) if town is None else ("category_id", "category__name")
    found["needs_by_category"] = {
        row[-2]: row[-1] for row in needs.values_list(*category).annotate(n=Count("id")).values_list(*category, "n")
    }
    found["needs_by_channel"] = _counts(needs, "channel")
    found["needs_by_status"] = _counts(needs, "status")

    programmes = Programme.objects.filter(organization__path__startswith=committee.path)
    if year:
        programmes = programmes.filter(year=year)
    figures_of = programmes.values("year", *(("id",) if town else ()))
    units = Q(targets__claims__status=ClaimStatus.AWARDED) & Q(
        targets__claims__organization__path__startswith=committee.path
    )
    made = Q(targets__claims__status__in=ClaimStatus.group("made"))
    rows: dict[Any, list[int]] = defaultdict(lambda: [0] * 5)
    for row in figures_of.annotate(n=Count("sections")):
        rows[tuple(row.values())[:-1]][0] = row["n"]
    for row in figures_of.annotate(n=Count("targets"), published=Count("targets", filter=offered("targets__"))):
        rows[tuple(row.values())[:-2]][1:3] = [row["n"], row["published"]]
    for row in figures_of.annotate(
        claimed=Count("targets", filter=made, distinct=True),
        units=Count("targets__claims__organization", filter=units, distinct=True),
    ):
        rows[tuple(row.values())[:-2]][3:5] = [row["claimed"], row["units"]]
    found["programmes"] = dict(rows)

    targets = Target.objects.filter(programme__organization__path__startswith=committee.path)
    if year:
        targets = targets.filter(programme__year=year)
    found["claim_rate"] = targets.aggregate(
        published=Count("id", filter=offered(), distinct=True),
        claimed=Count("id", filter=Q(claims__status__in=ClaimStatus.group("made")), distinct=True),
        awarded=Count("id", filter=Q(status=TargetStatus.AWARDED), distinct=True),
    )
    claims = Claim.objects.filter(
        organization__path__startswith=under,
        status=ClaimStatus.AWARDED,
        target__programme__organization__path__startswith=committee.path,
    )
    if year:
        claims = claims.filter(target__programme__year=year)
    found["units_by_kind"] = dict(
        claims.values_list("organization__kind")
        .annotate(n=Count("organization", distinct=True))
        .values_list("organization__kind", "n")
    )

    root = committee.path
    budgets = _money(Budget.objects.filter(organization__path__startswith=root), "year", Sum("amount"))
    allocated = _money(
        Allocation.objects.filter(budget__organization__path__startswith=root).filter(
            Q(project__isnull=True) | Q(project__organization__path__startswith=under)
        ),
        "budget__year",
        Sum(signed_amount()),
    )
    paid = _money(
        Disbursement.objects.filter(
            status=DisbursementStatus.APPROVED, allocation__budget__organization__path__startswith=root
        ).filter(Q(allocation__project__isnull=True) | Q(allocation__project__organization__path__startswith=under)),
        "allocation__budget__year",
        Sum(signed_amount()),
    )
    years = sorted(set(budgets) | set(allocated) | set(paid))
    found["funds"] = {
        y: (budgets.get(y, Decimal(0)), allocated.get(y, Decimal(0)), paid.get(y, Decimal(0)))
        for y in years
        if not year or y == year
    }

    warnings = ProjectWarning.objects.filter(organization__path__startswith=under)
    if year:
        warnings = warnings.filter(raised_on__year=year)
    found["warnings"] = _counts(warnings, "level")

    showcases = Showcase.objects.filter(organization__path__startswith=committee.path)
    if year:
        showcases = showcases.filter(year=year)
    nominated = Q(nominations__organization__path__startswith=under)
    per_showcase = showcases.annotate(
        n=Count("nominations", filter=nominated, distinct=True),
        votes=Sum("nominations__vote_count", filter=nominated),
        **{
            f"a_{kind}": Count(
                "nominations__award", filter=nominated & Q(nominations__award__level=kind), distinct=True
            )
            for kind in LEVEL_ORDER
        },
    )
    if town:
        found["showcases"] = [
            (s.year, s.n, s.votes or 0, [getattr(s, f"a_{kind}") for kind in LEVEL_ORDER])
            for s in per_showcase.order_by("-year", "id")
        ]
    else:
        by_year: dict[int, list[Any]] = {}
        nominations = Nomination.objects.filter(
            organization__path__startswith=under, showcase__organization__path__startswith=committee.path
        )
        if year:
            nominations = nominations.filter(showcase__year=year)
        for row in nominations.values("showcase__year").annotate(n=Count("id"), vote_total=Sum("vote_count")):
            by_year[row["showcase__year"]] = [
                row["showcase__year"],
                row["n"],
                row["vote_total"] or 0,
                [0] * len(LEVEL_ORDER),
            ]
        for row in (
            nominations.filter(award__isnull=False).values("showcase__year", "award__level").annotate(n=Count("id"))
        ):
            by_year[row["showcase__year"]][3][LEVEL_ORDER.index(cast(Any, row["award__level"]))] = row["n"]
        found["showcases"] = [tuple(by_year[y]) for y in sorted(by_year, reverse=True)]

    ranking = (
        projects_in.values("organization_id", "organization__name")
        .annotate(
            n=Count("id"),
            concluded=Count("id", filter=Q(status=ProjectStatus.CONCLUDED)),
            problems=Sum("problems_solved"),
            people=Sum("beneficiaries"),
        )
        .order_by("-problems", "-people", "-concluded", "organization__name", "organization_id")[:10]
    )
    found["ranking"] = [
        (r["organization__name"], r["n"], r["concluded"], r["problems"] or 0, r["people"] or 0) for r in ranking
    ]
    return found


def _counts(rows: Any, field: str) -> dict[str, int]:
    return {key: n for key, n in rows.values_list(field).annotate(n=Count("id")).values_list(field, "n") if n}


def _money(rows: Any, year: str, total: Any) -> dict[int, Decimal]:
    return {y: amount or Decimal(0) for y, amount in rows.values_list(year).annotate(t=total).values_list(year, "t")}

"""The figures of the dashboard (成效统计) and the reports, every one aggregated in SQL.

Each figure is one GROUP BY query over an organization subtree (and a year, when chosen), so
the number of queries stays the same however many projects, needs or claims there are.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from projectize.claims import selectors as claims_selectors
from projectize.claims.models import ClaimStatus
from projectize.funds import selectors as funds_selectors
from projectize.funds.models import FundKind
from projectize.needs import selectors as needs_selectors
from projectize.needs.models import Channel, Need, NeedStatus
from projectize.orgs.models import Organization, OrgKind
from projectize.programmes import selectors as programmes_selectors
from projectize.programmes.models import Programme, TargetStatus, offered
from projectize.programmes.selectors import STAGE_CLAIMED, STAGE_OFFERED
from projectize.projects import selectors as projects_selectors
from projectize.projects.filters import APPLIED
from projectize.projects.models import NOT_YET_PROJECTS, Call, Project, ProjectStatus, ProjectType
from projectize.showcase import selectors as showcase_selectors
from projectize.showcase.models import LEVEL_ORDER, Award, AwardLevelKind, Showcase
from projectize.supervision import selectors as supervision_selectors
from projectize.supervision.models import ProjectWarning, ProjectWarningLevel

OUTCOMES = (
    ("rules_established", gettext_lazy("规章制度")),
    ("problems_solved", gettext_lazy("破解难题")),
    ("service_brands", gettext_lazy("服务品牌")),
    ("beneficiaries", gettext_lazy("惠及人次")),
)
THREE_TYPES = (ProjectType.INNOVATION, ProjectType.DEMONSTRATION, ProjectType.INSTITUTIONAL)


@dataclass(frozen=True)
class Scope:
    """What the figures cover: an organization's subtree, and one year or all years."""

    organization: Organization
    year: int | None = None

    @property
    def committee_path(self) -> str:
        """Calls, programmes, budgets and showcases belong to the committee at the top of the tree."""
        return self.organization.path[: Organization.steplen]

    def under(self, field: str) -> Q:
        return Q(**{f"{field}__path__startswith": self.organization.path})

    def params(self, **extra: Any) -> dict[str, Any]:
        """Query parameters that carry this scope to another list."""
        params: dict[str, Any] = {"organization": self.organization.pk}
        if self.year:
            params["year"] = self.year
        params.update(extra)
        return params


@dataclass
class Chart:
    """One chart: categories along one axis, one or more series of numbers, and for each category
    the list it opens when clicked."""

    key: str
    title: str
    kind: str  # "bar", "pie" or "line"
    categories: list[str]
    series: list[tuple[str, list[Any]]]
    links: list[str] = field(default_factory=list)
    unit: str = ""

    @property
    def rows(self) -> list[list[Any]]:
        return [
            [category, *(values[index] for _name, values in self.series)]
            for index, category in enumerate(self.categories)
        ]

    @property
    def table(self) -> list[tuple[str, str, list[Any]]]:
        """(category, link, numbers) rows for the table view."""
        links = self.links or [""] * len(self.categories)
        return [(row[0], link, row[1:]) for row, link in zip(self.rows, links, strict=True)]

    @property
    def headers(self) -> list[str]:
        return [_("类别"), *(name for name, _values in self.series)]

    def option(self) -> dict[str, Any]:
        """What the page's script hands to ECharts."""
        return {
            "kind": self.kind,
            "categories": self.categories,
            "series": [{"name": name, "data": [float(v) for v in values]} for name, values in self.series],
            "links": self.links,
        }


def list_url(name: str, **params: Any) -> str:
    """The filtered list a chart element opens; "" while that list does not exist."""
    try:
        return f"{reverse(name)}?{urlencode({k: v for k, v in params.items() if v not in (None, '')})}"
    except NoReverseMatch:
        return ""


def _labelled(choices: Any, counts: dict[str, Any], order: list[str] | None = None) -> list[tuple[str, str, Any]]:
    """(value, label, count) for every choice, zero where nothing was counted."""
    labels = dict(choices)
    return [(value, str(labels[value]), counts.get(value, 0)) for value in (order or list(labels))]


# Projects ------------------------------------------------------------------------------------


def projects_in(scope: Scope) -> QuerySet[Project]:
    projects = projects_selectors.projects_in_subtree(scope.organization.path).exclude(status__in=NOT_YET_PROJECTS)
    return projects.filter(year=scope.year) if scope.year else projects


def projects_by_type(scope: Scope) -> Chart:
    counts = dict(projects_in(scope).values_list("type").annotate(n=Count("id")).values_list("type", "n"))
    rows = [row for row in _labelled(ProjectType.choices, counts) if row[2] or row[0] in THREE_TYPES]
    return Chart(
        "projects_by_type",
        _("项目类型"),
        "pie",
        [label for _v, label, _n in rows],
        [(_("项目数"), [n for _v, _l, n in rows])],
        [list_url("projects:list", **scope.params(type=value, status=APPLIED)) for value, _l, _n in rows],
        _("个"),
    )


def projects_by_status(scope: Scope) -> Chart:
    counts = dict(projects_in(scope).values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    rows = [row for row in _labelled(ProjectStatus.choices, counts) if row[2]]
    return Chart(
        "projects_by_status",
        _("项目状态"),
        "bar",
        [label for _v, label, _n in rows],
        [(_("项目数"), [n for _v, _l, n in rows])],
        [list_url("projects:list", **scope.params(status=value)) for value, _l, _n in rows],
        _("个"),
    )


def projects_by_year(scope: Scope) -> Chart:
    """Projects per year and type (all years: the year filter does not narrow this one)."""
    everywhere = Scope(scope.organization)
    counts = {
        (year, kind): n
        for year, kind, n in projects_in(everywhere)
        .values_list("year", "type")
        .annotate(n=Count("id"))
        .values_list("year", "type", "n")
    }
    years = sorted({year for year, _kind in counts})
    kinds = [kind for kind in ProjectType.values if any(k == kind for _y, k in counts)]
    labels = dict(ProjectType.choices)
    return Chart(
        "projects_by_year",
        _("各年度项目数"),
        "bar",
        [str(year) for year in years],
        [(str(labels[kind]), [counts.get((year, kind), 0) for year in years]) for kind in kinds],
        [list_url("projects:list", **everywhere.params(year=year, status=APPLIED)) for year in years],
        _("个"),
    )


@dataclass(frozen=True)
class CallFigures:
    call: Call
    organizations: int
    projects: int
    by_type: list[tuple[str, int]]


def call_figures(scope: Scope) -> list[CallFigures]:
    """For each annual call: how many organizations applied with how many projects, by type."""
    in_scope = scope.under("projects__organization") & ~Q(projects__status__in=NOT_YET_PROJECTS)
    calls = projects_selectors.calls_in_subtree(scope.committee_path).annotate(
        organizations=Count("projects__organization", filter=in_scope, distinct=True),
        total=Count("projects", filter=in_scope, distinct=True),
        **{
            f"n_{kind}": Count("projects", filter=in_scope & Q(projects__type=kind), distinct=True)
            for kind in THREE_TYPES
        },
    )
    if scope.year:
        calls = calls.filter(year=scope.year)
    labels = dict(ProjectType.choices)
    return [
        CallFigures(
            call,
            call.organizations,
            call.total,
            [(str(labels[kind]), getattr(call, f"n_{kind}")) for kind in THREE_TYPES],
        )
        for call in calls.order_by("-year")
    ]


# Outcomes ------------------------------------------------------------------------------------


def outcome_totals(scope: Scope) -> dict[str, int]:
    """The four outcome counters, cumulative to the chosen year (or to date)."""
    projects = projects_selectors.projects_in_subtree(scope.organization.path)
    if scope.year:
        projects = projects.filter(year__lte=scope.year)
    totals = projects.aggregate(**{name: Sum(name) for name, _label in OUTCOMES})
    return {name: totals[name] or 0 for name, _label in OUTCOMES}


def outcomes_by_year(scope: Scope) -> Chart:
    sums: dict[str, Any] = {name: Sum(name) for name, _label in OUTCOMES}
    rows: list[dict[str, Any]] = [
        dict(row)
        for row in projects_selectors.projects_in_subtree(scope.organization.path).values("year").annotate(**sums)
    ]
    rows.sort(key=lambda row: row["year"])
    years = [row for row in rows if any(row[name] for name, _label in OUTCOMES)]
    return Chart(
        "outcomes_by_year",
        _("成效逐年对比"),
        "bar",
        [str(row["year"]) for row in years],
        [(str(label), [row[name] or 0 for row in years]) for name, label in OUTCOMES if name != "beneficiaries"],
        [list_url("projects:list", **scope.params(year=row["year"], status=ProjectStatus.CONCLUDED)) for row in years],
        _("项/个"),
    )


def beneficiaries_by_year(scope: Scope) -> Chart:
    """惠及人次 is in the tens of thousands: it gets its own chart, per year and cumulative."""
    rows = list(
        projects_selectors.projects_in_subtree(scope.organization.path)
        .values("year")
        .annotate(n=Sum("beneficiaries"))
        .filter(n__gt=0)
        .order_by("year")
    )
    running, cumulative = 0, []
    for row in rows:
        running += row["n"]
        cumulative.append(running)
    return Chart(
        "beneficiaries_by_year",
        _("惠及人次（当年与累计）"),
        "line",
        [str(row["year"]) for row in rows],
        [(_("当年"), [row["n"] for row in rows]), (_("累计"), cumulative)],
        [list_url("projects:list", **scope.params(year=row["year"])) for row in rows],
        _("人次"),
    )


@dataclass(frozen=True)
class OrganizationRow:
    organization_id: int
    name: str
    projects: int
    concluded: int
    awards: int
    problems_solved: int
    beneficiaries: int


def organization_ranking(scope: Scope, limit: int = 10) -> list[OrganizationRow]:
    """Organizations ranked by problems solved, then people benefited, then projects concluded."""
    rows = list(
        projects_in(scope)
        .values("organization_id", "organization__name")
        .annotate(
            projects=Count("id"),
            concluded=Count("id", filter=Q(status=ProjectStatus.CONCLUDED)),
            problems=Sum("problems_solved"),
            people=Sum("beneficiaries"),
        )
        .order_by("-problems", "-people", "-concluded", "organization__name")[:limit]
    )
    awards = dict(
        awards_of(scope)
        .filter(nomination__organization_id__in=[row["organization_id"] for row in rows])
        .values_list("nomination__organization_id")
        .annotate(n=Count("id"))
        .values_list("nomination__organization_id", "n")
        .order_by()
    )
    return [
        OrganizationRow(
            row["organization_id"],
            row["organization__name"],
            row["projects"],
            row["concluded"],
            awards.get(row["organization_id"], 0),
            row["problems"] or 0,
            row["people"] or 0,
        )
        for row in rows
    ]


# Needs, programmes and claims ------------------------------------------------------------------


def needs_in(scope: Scope) -> QuerySet[Need]:
    needs = needs_selectors.needs_in_subtree(scope.organization)
    return needs.filter(created_at__year=scope.year) if scope.year else needs


def needs_by_category(scope: Scope) -> Chart:
    rows = list(
        needs_in(scope).values("category_id", "category__name").annotate(n=Count("id")).order_by("-n", "category__name")
    )
    return Chart(
        "needs_by_category",
        _("需求类别"),
        "pie",
        [row["category__name"] for row in rows],
        [(_("需求数"), [row["n"] for row in rows])],
        [list_url("needs:list", **scope.params(category=row["category_id"])) for row in rows],
        _("条"),
    )


def needs_by_channel(scope: Scope) -> Chart:
    counts = dict(needs_in(scope).values_list("channel").annotate(n=Count("id")).values_list("channel", "n"))
    rows = _labelled(Channel.choices, counts)
    return Chart(
        "needs_by_channel",
        _("需求来源渠道"),
        "bar",
        [label for _v, label, _n in rows],
        [(_("需求数"), [n for _v, _l, n in rows])],
        [list_url("needs:list", **scope.params(channel=value)) for value, _l, _n in rows],
        _("条"),
    )


def needs_by_status(scope: Scope) -> Chart:
    counts = dict(needs_in(scope).values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    rows = _labelled(NeedStatus.choices, counts)
    return Chart(
        "needs_by_status",
        _("需求办理状态"),
        "bar",
        [label for _v, label, _n in rows],
        [(_("需求数"), [n for _v, _l, n in rows])],
        [list_url("needs:list", **scope.params(status=value)) for value, _l, _n in rows],
        _("条"),
    )


@dataclass(frozen=True)
class ProgrammeFigures:
    programme: Programme
    sections: int
    targets: int
    published: int
    claimed: int
    units: int

    @property
    def claim_rate(self) -> int:
        return round(100 * self.claimed / self.published) if self.published else 0


def programme_figures(scope: Scope) -> list[ProgrammeFigures]:
    """For each brand programme: sections, targets, how many were claimed, and the units that took them."""
    programmes = programmes_selectors.programmes_in_subtree(scope.committee_path)
    if scope.year:
        programmes = programmes.filter(year=scope.year)
    sections = dict(programmes.annotate(n=Count("sections", distinct=True)).values_list("pk", "n"))
    figures = programmes.annotate(
        n_targets=Count("targets", distinct=True),
        published=Count("targets", filter=offered("targets__"), distinct=True),
        claimed=Count("targets", filter=Q(targets__claims__status__in=ClaimStatus.group("made")), distinct=True),
        units=Count(
            "targets__claims__organization",
            filter=Q(targets__claims__status=ClaimStatus.AWARDED)
            & Q(targets__claims__organization__path__startswith=scope.committee_path),
            distinct=True,
        ),
    ).order_by("-year", "id")
    return [ProgrammeFigures(p, sections.get(p.pk, 0), p.n_targets, p.published, p.claimed, p.units) for p in figures]


def claim_rate(scope: Scope) -> Chart:
    targets = programmes_selectors.targets_in_subtree(scope.committee_path)
    if scope.year:
        targets = targets.filter(programme__year=scope.year)
    counts = targets.aggregate(
        published=Count("id", filter=offered(), distinct=True),
        claimed=Count("id", filter=Q(claims__status__in=ClaimStatus.group("made")), distinct=True),
        awarded=Count("id", filter=Q(status=TargetStatus.AWARDED), distinct=True),
    )
    categories = [_("已发布标的"), _("有单位认领"), _("已授予")]
    queries: list[dict[str, str]] = [
        {"stage": STAGE_OFFERED},
        {"stage": STAGE_CLAIMED},
        {"status": TargetStatus.AWARDED},
    ]
    return Chart(
        "claim_rate",
        _("标的认领情况"),
        "bar",
        [str(c) for c in categories],
        [(_("标的数"), [counts["published"], counts["claimed"], counts["awarded"]])],
        [list_url("programmes:target_list", **scope.params(**query)) for query in queries],
        _("个"),
    )


def units_by_kind(scope: Scope) -> Chart:
    claims = claims_selectors.awarded_claims_in_subtree(scope.organization.path).filter(
        target__programme__organization__path__startswith=scope.committee_path
    )
    if scope.year:
        claims = claims.filter(target__programme__year=scope.year)
    counts = dict(
        claims.values_list("organization__kind")
        .annotate(n=Count("organization", distinct=True))
        .values_list("organization__kind", "n")
    )
    rows = [row for row in _labelled(OrgKind.choices, counts) if row[2]]
    return Chart(
        "units_by_kind",
        _("认领单位类型"),
        "pie",
        [label for _v, label, _n in rows],
        [(_("单位数"), [n for _v, _l, n in rows])],
        [list_url("claims:list", **scope.params(kind=value, status=ClaimStatus.AWARDED)) for value, _l, _n in rows],
        _("家"),
    )


# Funds and warnings ----------------------------------------------------------------------------


def funds_by_year(scope: Scope) -> Chart:
    """Budget against money allocated and money paid out, per year (both funds together)."""
    root = scope.committee_path
    budgets = dict(
        funds_selectors.budgets_in_subtree(root)
        .values_list("year")
        .annotate(total=Sum("amount"))
        .values_list("year", "total")
    )
    allocated = dict(
        funds_selectors.allocations_in_subtree(root)
        .filter(Q(project__isnull=True) | scope.under("project__organization"))
        .values_list("budget__year")
        .annotate(
            total=Sum("amount", filter=Q(reverses__isnull=True))
            - Sum("amount", filter=Q(reverses__isnull=False), default=0)
        )
        .values_list("budget__year", "total")
    )
    paid = dict(
        funds_selectors.approved_disbursements()
        .filter(allocation__budget__organization__path__startswith=root)
        .filter(Q(allocation__project__isnull=True) | scope.under("allocation__project__organization"))
        .values_list("allocation__budget__year")
        .annotate(
            total=Sum("amount", filter=Q(reverses__isnull=True))
            - Sum("amount", filter=Q(reverses__isnull=False), default=0)
        )
        .values_list("allocation__budget__year", "total")
    )
    years = sorted(set(budgets) | set(allocated) | set(paid))
    if scope.year:
        years = [year for year in years if year == scope.year]
    return Chart(
        "funds_by_year",
        _("经费预算与使用"),
        "bar",
        [str(year) for year in years],
        [
            (_("预算"), [budgets.get(year) or Decimal(0) for year in years]),
            (_("已分配"), [allocated.get(year) or Decimal(0) for year in years]),
            (_("已支出"), [paid.get(year) or Decimal(0) for year in years]),
        ],
        [list_url("funds:allocation_list", year=year) for year in years],
        _("元"),
    )


def fund_kinds_by_year(scope: Scope) -> list[tuple[int, str, Decimal]]:
    """(year, fund, budget) rows for the report's table."""
    rows = (
        funds_selectors.budgets_in_subtree(scope.committee_path)
        .values_list("year", "kind")
        .annotate(total=Sum("amount"))
        .order_by("year", "kind")
    )
    labels = dict(FundKind.choices)
    return [(year, str(labels[kind]), total) for year, kind, total in rows]


def warnings_in(scope: Scope) -> QuerySet[ProjectWarning]:
    warnings = supervision_selectors.warnings_in_subtree(scope.organization.path)
    return warnings.filter(raised_on__year=scope.year) if scope.year else warnings


def warnings_by_level(scope: Scope) -> Chart:
    counts = dict(warnings_in(scope).values_list("level").annotate(n=Count("id")).values_list("level", "n"))
    rows = _labelled(ProjectWarningLevel.choices, counts)
    return Chart(
        "warnings_by_level",
        _("预警"),
        "bar",
        [label for _v, label, _n in rows],
        [(_("预警数"), [n for _v, _l, n in rows])],
        [list_url("supervision:warning_list", **scope.params(level=value)) for value, _l, _n in rows],
        _("条"),
    )


def latest_warnings(scope: Scope, limit: int = 8) -> QuerySet[ProjectWarning]:
    return warnings_in(scope).select_related("organization", "project")[:limit]


# Showcase --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShowcaseFigures:
    showcase: Showcase
    nominations: int
    votes: int
    awards: list[tuple[str, int]]


def showcase_figures(scope: Scope) -> list[ShowcaseFigures]:
    showcases = showcase_selectors.showcases_in_subtree(scope.committee_path)
    if scope.year:
        showcases = showcases.filter(year=scope.year)
    in_scope = scope.under("nominations__organization")
    annotated = showcases.annotate(
        n_nominations=Count("nominations", filter=in_scope, distinct=True),
        n_votes=Sum("nominations__vote_count", filter=in_scope),
        **{
            f"n_{kind}": Count("nominations__award", filter=in_scope & Q(nominations__award__level=kind), distinct=True)
            for kind in LEVEL_ORDER
        },
    ).order_by("-year")
    labels = dict(AwardLevelKind.choices)
    return [
        ShowcaseFigures(
            s,
            s.n_nominations,
            s.n_votes or 0,
            [(str(labels[kind]), getattr(s, f"n_{kind}")) for kind in LEVEL_ORDER],
        )
        for s in annotated
    ]


def awards_of(scope: Scope) -> QuerySet[Award]:
    awards = showcase_selectors.awards_in_subtree(scope.organization.path).select_related(
        "nomination__project", "nomination__organization", "nomination__showcase"
    )
    if scope.year:
        awards = awards.filter(nomination__showcase__year=scope.year)
    return awards.order_by("-nomination__showcase__year", "nomination__rank")


CHARTS: list[Callable[[Scope], Chart]] = [
    projects_by_type,
    projects_by_status,
    projects_by_year,
    outcomes_by_year,
    beneficiaries_by_year,
    needs_by_category,
    needs_by_channel,
    needs_by_status,
    claim_rate,
    units_by_kind,
    funds_by_year,
    warnings_by_level,
]
CHART_BY_KEY = {chart.__name__: chart for chart in CHARTS}

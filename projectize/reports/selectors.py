"""The figures of the dashboard (成效统计) and the reports, read from the roll-up (projectize.reports.rollup).

A scope (an organization's subtree, one year or all) reads its organization's tallies, and its committee's
for what the committee runs, in one query, with the names of the committee's calls, programmes, showcases
and need categories, the ranking and the latest warnings: about ten small indexed queries, whatever the
size of the tree; above the towns, two more compare the towns side by side (`town_comparison`), however
many they are. What was read is kept for FIGURES_CACHE_SECONDS (the figures cache) under the time its
part of the tree was counted, so a new count is shown at once; each figure says when it was counted.
"""

import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db.models import OuterRef, Q, QuerySet, Subquery, Sum
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from projectize.claims.models import ClaimStatus
from projectize.core.totals import Totals
from projectize.needs.models import Channel, NeedStatus
from projectize.orgs.models import ABOVE_TOWN_KINDS, TOWN_KINDS, Organization, OrgKind
from projectize.orgs.selectors import towns_below
from projectize.programmes.models import TargetStatus
from projectize.programmes.selectors import STAGE_CLAIMED, STAGE_OFFERED
from projectize.projects.filters import APPLIED
from projectize.projects.models import NOT_YET_PROJECTS, ProjectStatus, ProjectType
from projectize.reports.models import ALL_YEARS, OrganizationFigure, Refresh, Tally
from projectize.reports.rollup import committee_part, count_first, count_part, prefixes
from projectize.showcase import selectors as showcase_selectors
from projectize.showcase.models import LEVEL_ORDER, Award, AwardLevelKind
from projectize.supervision import selectors as supervision_selectors
from projectize.supervision.models import ProjectWarning, ProjectWarningLevel

OUTCOMES = (
    ("rules_established", gettext_lazy("规章制度")),
    ("problems_solved", gettext_lazy("破解难题")),
    ("service_brands", gettext_lazy("服务品牌")),
    ("beneficiaries", gettext_lazy("惠及人次")),
)
THREE_TYPES = (ProjectType.INNOVATION, ProjectType.DEMONSTRATION, ProjectType.INSTITUTIONAL)
RANKING_SIZE = 10
# Above the towns the tables of calls, programmes and showcases have a row per year; a town's list each one.
LATEST_WARNINGS = 8

Numbers = dict[tuple[str, int, str], tuple[int, Decimal]]


@dataclass(frozen=True)
class Scope:
    """What the figures cover: an organization's subtree, and one year or all years."""

    organization: Organization
    year: int | None = None

    @cached_property
    def refresh(self) -> Refresh:
        """The count that holds this subtree's figures: its town's, or that of the levels above the towns.
        A part never counted yet (a new installation, a new town) is counted now."""
        # The town committees above first (through the path index): joined beside the OR, the planner
        # reads every organization.
        committees = {
            town.pk: town
            for town in Organization.objects.filter(path__in=prefixes(self.organization.path), kind__in=TOWN_KINDS)
        }
        rows = list(Refresh.objects.filter(Q(organization_id__in=committees) | Q(organization__isnull=True)))
        towns = [refresh for refresh in rows if refresh.organization_id is not None]
        upper = [refresh for refresh in rows if refresh.organization_id is None]
        found: Refresh | None = None
        if towns:
            found = max(towns, key=lambda refresh: committees[refresh.organization_id].depth)
            found.organization = committees[found.organization_id]
        elif upper and self._above_towns:
            found = upper[0]
        if found is None or found.counted_at is None:
            found = count_first(self.organization)
        return found

    @cached_property
    def _above_towns(self) -> bool:
        if self.organization.kind in ABOVE_TOWN_KINDS:
            return True
        return not Organization.objects.filter(path__in=prefixes(self.organization.path), kind__in=TOWN_KINDS).exists()

    @property
    def committee(self) -> Organization:
        """Calls, programmes, budgets and showcases are those of the town committee of the organization
        (or at or above the towns, of the organization's own subtree)."""
        return self.refresh.organization or self.organization

    @property
    def committee_path(self) -> str:
        return self.committee.path

    @property
    def in_town(self) -> bool:
        """Whether the figures are a town's (a committee's tables list each call), not a district's."""
        return self.refresh.organization is not None

    @cached_property
    def figures(self) -> "Figures":
        return read_figures(self)

    def under(self, field: str) -> Q:
        return Q(**{f"{field}__path__startswith": self.organization.path})

    def params(self, **extra: Any) -> dict[str, Any]:
        """Query parameters that carry this scope to another list."""
        params: dict[str, Any] = {"organization": self.organization.pk}
        if self.year:
            params["year"] = self.year
        params.update(extra)
        return params


@dataclass(frozen=True)
class OrganizationRow:
    organization_id: int
    name: str
    projects: int
    concluded: int
    awards: int
    problems_solved: int
    beneficiaries: int


@dataclass
class Figures:
    """What the roll-up holds for a scope, with the names it needs. Kept in the figures cache."""

    counted_at: datetime
    read_at: datetime
    own: Numbers
    committee: Numbers
    ranking: list[OrganizationRow]
    warnings: list[ProjectWarning]
    # Set on every read (not cached): the first change not counted yet, if any.
    changed_at: datetime | None = None

    def by_key(self, measure: str, year: int | None = None, *, committee: bool = False) -> dict[str, int]:
        """Counts per key, of one year or of all years added up."""
        counts: dict[str, int] = defaultdict(int)
        for (name, row_year, key), (count, _amount) in (self.committee if committee else self.own).items():
            if name == measure and row_year != ALL_YEARS and (year is None or row_year == year):
                counts[key] += count
        return counts

    def by_year(self, measure: str, *, committee: bool = False, money: bool = False) -> dict[int, dict[str, Any]]:
        """{year: {key: count (or amount)}}."""
        found: dict[int, dict[str, Any]] = defaultdict(dict)
        for (name, year, key), (count, amount) in (self.committee if committee else self.own).items():
            if name == measure:
                found[year][key] = amount if money else count
        return found

    def listed(self, measure: str, year: int | None) -> list[tuple[int, str, str]]:
        """(year, id, name) of the committee's calls, programmes or showcases, newest first."""
        rows = []
        for name, row_year, key in self.committee:
            if name == measure and (year is None or row_year == year):
                pk, _colon, label = key.partition(":")
                rows.append((row_year, pk, label))
        return sorted(rows, key=lambda row: (-row[0], int(row[1])))

    def units(self, year: int | None) -> dict[str, int]:
        """Different units by kind: of the year, or over all years (counted as such)."""
        wanted = year or ALL_YEARS
        return {
            key: count
            for (name, row_year, key), (count, _a) in self.own.items()
            if name == "units" and row_year == wanted
        }


def _numbers(rows: Any) -> Numbers:
    return {(measure, year, key): (count, amount) for measure, year, key, count, amount in rows}


def read_figures(scope: Scope) -> Figures:
    refresh = scope.refresh
    counted = refresh.counted_at
    assert counted is not None
    key = f"dashboard:{scope.organization.pk}:{scope.year or 0}:{refresh.pk}:{counted.timestamp()}"
    cache = caches["figures"]
    figures: Figures | None = cache.get(key)
    if figures is None:
        figures = _read(scope, counted)
        cache.set(key, figures, settings.FIGURES_CACHE_SECONDS)
    figures.changed_at = refresh.changed_at
    return figures


def _read(scope: Scope, counted_at: datetime) -> Figures:
    organization, committee = scope.organization, scope.committee
    own: Numbers = {}
    of_committee: Numbers = {}
    columns = ("organization_id", "measure", "year", "key", "count", "amount")
    for row in Tally.objects.filter(organization_id__in={organization.pk, committee.pk}).values_list(*columns):
        if row[0] == organization.pk:
            own[row[1:4]] = row[4:6]
        if row[0] == committee.pk:
            of_committee[row[1:4]] = row[4:6]
    return Figures(
        counted_at=counted_at,
        read_at=timezone.now(),
        own=own,
        committee=of_committee,
        ranking=_ranking(scope),
        warnings=list(warnings_in(scope).select_related("organization", "project")[:LATEST_WARNINGS]),
    )


def _year(rows: QuerySet[Any], scope: Scope) -> QuerySet[Any]:
    return rows.filter(year=scope.year) if scope.year else rows


def _ranking(scope: Scope) -> list[OrganizationRow]:
    """Organizations ranked by problems solved, then people benefited, then projects concluded."""
    rows = (
        OrganizationFigure.objects.filter(
            organization__path__startswith=scope.organization.path, year=scope.year or ALL_YEARS
        )
        .order_by("-problems_solved", "-beneficiaries", "-concluded", "organization__name", "organization_id")
        .values_list(
            "organization_id",
            "organization__name",
            "projects",
            "concluded",
            "awards",
            "problems_solved",
            "beneficiaries",
        )[:RANKING_SIZE]
    )
    return [OrganizationRow(*row) for row in rows]


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


def _projects(scope: Scope, year: int | None, part: int) -> dict[str, int]:
    """Project counts (applications not yet projects left out) by type (part 0) or status (part 1)."""
    counts: dict[str, int] = defaultdict(int)
    for key, n in scope.figures.by_key("projects", year).items():
        kind, status = key.split(":")
        if status not in NOT_YET_PROJECTS:
            counts[(kind, status)[part]] += n
    return counts


def projects_by_type(scope: Scope) -> Chart:
    counts = _projects(scope, scope.year, 0)
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
    counts = _projects(scope, scope.year, 1)
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
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for year, numbers in scope.figures.by_year("projects").items():
        for key, n in numbers.items():
            kind, status = key.split(":")
            if status not in NOT_YET_PROJECTS and n:
                counts[(year, kind)] += n
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
    """A call of a town (or, above the towns, the calls of one year): how many organizations applied
    with how many projects, by type."""

    year: int
    label: str
    organizations: int
    projects: int
    by_type: list[tuple[str, int]]
    pk: int | None = None


def call_figures(scope: Scope) -> list[CallFigures]:
    figures = scope.figures
    labels = dict(ProjectType.choices)
    rows: list[tuple[int, str, str]] = (
        [(year, str(year), pk) for year, pk, _name in figures.listed("call.listed", scope.year)]
        if scope.in_town
        else [
            (year, str(year), "")
            for year in sorted(figures.by_year("call.organizations"), reverse=True)
            if not scope.year or year == scope.year
        ]
    )
    found = []
    for year, label, key in rows:
        by_type: dict[str, int] = defaultdict(int)
        for type_key, n in figures.by_year("call.projects").get(year, {}).items():
            call_key, kind = type_key.split(":")
            if call_key == key:
                by_type[kind] += n
        found.append(
            CallFigures(
                year,
                label,
                figures.by_year("call.organizations").get(year, {}).get(key, 0),
                sum(by_type.values()),
                [(str(labels[kind]), by_type.get(kind, 0)) for kind in THREE_TYPES],
                int(key) if key else None,
            )
        )
    return found


# Outcomes ------------------------------------------------------------------------------------


def outcome_totals(scope: Scope) -> dict[str, int]:
    """The four outcome counters, cumulative to the chosen year (or to date)."""
    totals = {}
    for name, _label in OUTCOMES:
        per_year = scope.figures.by_year(f"outcome.{name}")
        totals[name] = sum(v.get("", 0) for year, v in per_year.items() if not scope.year or year <= scope.year)
    return totals


def outcomes_everywhere() -> Totals | None:
    """The four outcome counters of the whole tree (the public home page), once every top organization's
    part has been counted; None before (the page then counts them itself)."""
    roots = list(Organization.objects.filter(depth=1).values_list("id", "kind"))
    towns = [pk for pk, kind in roots if kind in TOWN_KINDS]
    counts = Refresh.objects.filter(Q(organization_id__in=towns) | Q(organization__isnull=True))
    counted = {refresh.organization_id: refresh.counted_at for refresh in counts}
    needed = [*towns, *([None] if len(towns) < len(roots) else [])]
    if not roots or any(counted.get(part) is None for part in needed):
        return None
    sums = dict(
        Tally.objects.filter(organization_id__in=[pk for pk, _kind in roots], measure__startswith="outcome.")
        .values_list("measure")
        .annotate(total=Sum("count"))
        .values_list("measure", "total")
    )
    return Totals(
        {name: sums.get(f"outcome.{name}", 0) for name, _label in OUTCOMES},
        min(at for part, at in counted.items() if part in needed and at is not None),
    )


def town_figures(town_ids: list[int]) -> dict[int, dict[str, int]] | None:
    """Each town's projects followed in public (every year) and two of its outcomes, for a district's public
    portal, from the towns' counted tallies; None while any of the towns is not counted yet."""
    counted = Refresh.objects.filter(organization_id__in=town_ids, counted_at__isnull=False).count()
    if counted < len(set(town_ids)):
        return None
    in_public = Q(measure="projects", key__regex=rf":({'|'.join(ProjectStatus.group('public'))})$")
    rows = (
        Tally.objects.filter(organization_id__in=town_ids)
        .filter(in_public | Q(measure__in=["outcome.problems_solved", "outcome.beneficiaries"]))
        .values("organization_id")
        .annotate(
            projects=Sum("count", filter=Q(measure="projects")),
            problems_solved=Sum("count", filter=Q(measure="outcome.problems_solved")),
            beneficiaries=Sum("count", filter=Q(measure="outcome.beneficiaries")),
        )
        .values_list("organization_id", "projects", "problems_solved", "beneficiaries")
    )
    figures = {pk: {"projects": 0, "problems_solved": 0, "beneficiaries": 0} for pk in town_ids}
    for pk, projects, problems, people in rows:
        figures[pk] = {"projects": projects or 0, "problems_solved": problems or 0, "beneficiaries": people or 0}
    return figures


def _outcome_years(scope: Scope) -> list[dict[str, Any]]:
    rows: dict[int, dict[str, Any]] = defaultdict(dict)
    for name, _label in OUTCOMES:
        for year, values in scope.figures.by_year(f"outcome.{name}").items():
            rows[year][name] = values.get("", 0)
    return [{"year": year, **rows[year]} for year in sorted(rows)]


def outcomes_by_year(scope: Scope) -> Chart:
    years = [row for row in _outcome_years(scope) if any(row.get(name) for name, _label in OUTCOMES)]
    return Chart(
        "outcomes_by_year",
        _("成效逐年对比"),
        "bar",
        [str(row["year"]) for row in years],
        [(str(label), [row.get(name, 0) for row in years]) for name, label in OUTCOMES if name != "beneficiaries"],
        [list_url("projects:list", **scope.params(year=row["year"], status=ProjectStatus.CONCLUDED)) for row in years],
        _("项/个"),
    )


def beneficiaries_by_year(scope: Scope) -> Chart:
    """惠及人次 is in the tens of thousands: it gets its own chart, per year and cumulative."""
    rows = [row for row in _outcome_years(scope) if row.get("beneficiaries", 0) > 0]
    running, cumulative = 0, []
    for row in rows:
        running += row["beneficiaries"]
        cumulative.append(running)
    return Chart(
        "beneficiaries_by_year",
        _("惠及人次（当年与累计）"),
        "line",
        [str(row["year"]) for row in rows],
        [(_("当年"), [row["beneficiaries"] for row in rows]), (_("累计"), cumulative)],
        [list_url("projects:list", **scope.params(year=row["year"])) for row in rows],
        _("人次"),
    )


def organization_ranking(scope: Scope, limit: int = RANKING_SIZE) -> list[OrganizationRow]:
    return scope.figures.ranking[:limit]


# Needs, programmes and claims ------------------------------------------------------------------


def needs_by_category(scope: Scope) -> Chart:
    """By category: a town's own categories (counted as "id:name"); above the towns, categories of the same
    name together, which no one list shows."""
    counts = scope.figures.by_key("needs.category", scope.year)
    rows = sorted(
        ((key.partition(":")[2] if scope.in_town else key, key.partition(":")[0], n) for key, n in counts.items() if n),
        key=lambda row: (-row[2], row[0]),
    )
    links = [list_url("needs:list", **scope.params(category=pk)) for _name, pk, _n in rows] if scope.in_town else []
    return Chart(
        "needs_by_category",
        _("需求类别"),
        "pie",
        [name for name, _key, _n in rows],
        [(_("需求数"), [n for _name, _key, n in rows])],
        links,
        _("条"),
    )


def needs_by_channel(scope: Scope) -> Chart:
    rows = _labelled(Channel.choices, scope.figures.by_key("needs.channel", scope.year))
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
    rows = _labelled(NeedStatus.choices, scope.figures.by_key("needs.status", scope.year))
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
    """A brand programme of a town (or, above the towns, the programmes of one year)."""

    year: int
    label: str
    sections: int
    targets: int
    published: int
    claimed: int
    units: int
    pk: int | None = None
    awarded: int = 0

    @property
    def claim_rate(self) -> int:
        return round(100 * self.claimed / self.published) if self.published else 0


PROGRAMME_FIGURES = ("sections", "targets", "published", "claimed", "units", "awarded")


def programme_figures(scope: Scope) -> list[ProgrammeFigures]:
    """For each brand programme: sections, targets, how many were claimed, and the units that took them."""
    figures = scope.figures
    values = {name: figures.by_year(f"programme.{name}", committee=True) for name in PROGRAMME_FIGURES}
    if scope.in_town:
        rows: list[tuple[int, str, str]] = [
            (year, f"{year} {title}", pk) for year, pk, title in figures.listed("programme.listed", scope.year)
        ]
    else:
        years = sorted(values["targets"] | values["sections"], reverse=True)
        count = figures.by_year("programme.programmes", committee=True)
        rows = [
            (year, _("%(year)s 年（%(n)s 个品牌项目）") % {"year": year, "n": count.get(year, {}).get("", 0)}, "")
            for year in years
            if not scope.year or year == scope.year
        ]
    return [
        ProgrammeFigures(
            year,
            label,
            **{name: values[name].get(year, {}).get(key, 0) for name in PROGRAMME_FIGURES},
            pk=int(key) if key else None,
        )
        for year, label, key in rows
    ]


def claim_rate(scope: Scope) -> Chart:
    rows = programme_figures(scope)
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
        [(_("标的数"), [sum(r.published for r in rows), sum(r.claimed for r in rows), sum(r.awarded for r in rows)])],
        [list_url("programmes:target_list", **scope.params(**query)) for query in queries],
        _("个"),
    )


def units_by_kind(scope: Scope) -> Chart:
    counts = scope.figures.units(scope.year)
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
    """Budget against money allocated and money paid out, per year (both funds together): the
    committee's budgets and what went to no project, with what went to the scope's projects."""
    figures = scope.figures

    def money(measure: str, committee: bool) -> dict[int, Decimal]:
        return {
            year: values.get("", Decimal(0))
            for year, values in figures.by_year(measure, committee=committee, money=True).items()
        }

    budgets = money("funds.budget", True)
    allocated = _add(money("funds.general_allocated", True), money("funds.allocated", False))
    paid = _add(money("funds.general_paid", True), money("funds.paid", False))
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


def _add(*amounts: dict[int, Decimal]) -> dict[int, Decimal]:
    total: dict[int, Decimal] = defaultdict(Decimal)
    for per_year in amounts:
        for year, amount in per_year.items():
            total[year] += amount
    return total


def warnings_in(scope: Scope) -> QuerySet[ProjectWarning]:
    warnings = supervision_selectors.warnings_in_subtree(scope.organization.path)
    return warnings.filter(raised_on__year=scope.year) if scope.year else warnings


def warnings_by_level(scope: Scope) -> Chart:
    rows = _labelled(ProjectWarningLevel.choices, scope.figures.by_key("warnings", scope.year))
    return Chart(
        "warnings_by_level",
        _("预警"),
        "bar",
        [label for _v, label, _n in rows],
        [(_("预警数"), [n for _v, _l, n in rows])],
        [list_url("supervision:warning_list", **scope.params(level=value)) for value, _l, _n in rows],
        _("条"),
    )


def latest_warnings(scope: Scope, limit: int = LATEST_WARNINGS) -> list[ProjectWarning]:
    return scope.figures.warnings[:limit]


# Showcase --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShowcaseFigures:
    """A town's showcase (or, above the towns, the showcases of one year)."""

    year: int
    theme: str
    nominations: int
    votes: int
    awards: list[tuple[str, int]]
    pk: int | None = None


def showcase_figures(scope: Scope) -> list[ShowcaseFigures]:
    figures = scope.figures
    nominations = figures.by_year("showcase.nominations")
    votes = figures.by_year("showcase.votes")
    awards = figures.by_year("showcase.awards")
    rows: list[tuple[int, str, str]] = (
        [(year, theme, pk) for year, pk, theme in figures.listed("showcase.listed", scope.year)]
        if scope.in_town
        else [(year, "", "") for year in sorted(nominations, reverse=True) if not scope.year or year == scope.year]
    )
    labels = dict(AwardLevelKind.choices)
    return [
        ShowcaseFigures(
            year,
            theme,
            nominations.get(year, {}).get(key, 0),
            votes.get(year, {}).get(key, 0),
            [(str(labels[kind]), awards.get(year, {}).get(f"{key}:{kind}", 0)) for kind in LEVEL_ORDER],
            int(key) if key else None,
        )
        for year, theme, key in rows
    ]


def awards_of(scope: Scope) -> QuerySet[Award]:
    awards = showcase_selectors.awards_in_subtree(scope.organization.path).select_related(
        "nomination__project", "nomination__organization", "nomination__showcase"
    )
    if scope.year:
        awards = awards.filter(nomination__showcase__year=scope.year)
    return awards.order_by("-nomination__showcase__year", "nomination__rank")


# Towns side by side ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    """A column of the towns' comparison: one figure a district compares and ranks its towns on."""

    key: str
    label: str
    group: str
    unit: str
    money: bool = False

    @property
    def heading(self) -> str:
        """Group, label and unit in one line (an option of the ranking, a column of the sheet)."""
        return _("%(group)s · %(label)s（%(unit)s）") % {"group": self.group, "label": self.label, "unit": self.unit}


# Projects under way: approved and neither concluded nor failed yet.
UNDER_WAY = (ProjectStatus.APPROVED, ProjectStatus.IN_PROGRESS, ProjectStatus.ACCEPTANCE, ProjectStatus.RECTIFYING)
OUTCOME_UNITS = {
    "rules_established": gettext_lazy("项"),
    "problems_solved": gettext_lazy("个"),
    "service_brands": gettext_lazy("个"),
    "beneficiaries": gettext_lazy("人次"),
}
# The figure towns are ranked on until the user picks another (the first of the organizations' ranking).
DEFAULT_RANK = "problems_solved"
# The comparison's export (beside the charts' exports).
COMPARISON_KEY = "towns"
# Tallies counted within the chosen year; the outcomes (measure "outcome.*") are cumulative to it.
IN_YEAR_MEASURES = (
    "projects",
    "needs.status",
    "needs.answered",
    "programme.claimed",
    "funds.paid",
    "funds.general_paid",
)


def _indicators(with_regional: bool) -> list[Indicator]:
    """The columns; 区域化党建项目 only where some town has one (as the dashboard's chart of types)."""
    projects, needs, unit = _("项目数"), _("需求数"), _("个")
    types = [kind for kind in ProjectType if kind in THREE_TYPES or with_regional]
    return [
        Indicator("projects", _("合计"), projects, unit),
        *(Indicator(f"type.{kind.value}", str(kind.label), projects, unit) for kind in types),
        Indicator("under_way", _("在建"), projects, unit),
        Indicator("concluded", str(ProjectStatus.CONCLUDED.label), projects, unit),
        Indicator("needs", _("收到"), needs, _("条")),
        Indicator("answered", _("已答复"), needs, _("条")),
        Indicator("claimed", _("已认领"), _("标的数"), unit),
        Indicator("spent", _("已支出"), _("经费"), _("元"), money=True),
        *(Indicator(name, str(label), _("累计成效"), str(OUTCOME_UNITS[name])) for name, label in OUTCOMES),
    ]


@dataclass
class TownRow:
    organization: Organization
    values: dict[str, Any]
    # Each indicator's rank among the towns (1 = highest; equal figures share a rank).
    ranks: dict[str, int] = field(default_factory=dict)

    def values_of(self, indicators: list[Indicator]) -> list[Any]:
        return [self.values[indicator.key] for indicator in indicators]


@dataclass
class Comparison:
    """Every town under a scope above the towns, one row each, in the order of one indicator."""

    indicators: list[Indicator]
    rows: list[TownRow]
    rank_by: Indicator
    # The oldest of the towns' counts, and the first change not counted yet, if any.
    counted_at: datetime | None
    changed_at: datetime | None

    @property
    def groups(self) -> list[tuple[str, int]]:
        """(group, number of its columns) for the header's first line, with the unit its columns share."""
        found: list[tuple[str, list[Indicator]]] = []
        for indicator in self.indicators:
            if found and found[-1][0] == indicator.group:
                found[-1][1].append(indicator)
            else:
                found.append((indicator.group, [indicator]))
        headings = []
        for group, columns in found:
            units = {column.unit for column in columns}
            label = _("%(group)s（%(unit)s）") % {"group": group, "unit": units.pop()} if len(units) == 1 else group
            headings.append((label, len(columns)))
        return headings

    def rank_of(self, row: TownRow) -> int:
        return row.ranks[self.rank_by.key]

    @property
    def table(self) -> list[tuple[int, Organization, list[tuple[Indicator, Any]]]]:
        """(rank, town, [(indicator, figure)]) in ranking order, for the page."""
        return [
            (
                self.rank_of(row),
                row.organization,
                list(zip(self.indicators, row.values_of(self.indicators), strict=True)),
            )
            for row in self.rows
        ]

    def figures_of(self, row: TownRow) -> list[tuple[Indicator, Any, int]]:
        """(indicator, figure, rank among the towns) of one town."""
        return [(indicator, row.values[indicator.key], row.ranks[indicator.key]) for indicator in self.indicators]

    def sheet(self) -> tuple[str, list[str], list[list[Any]]]:
        """The table as a sheet: the rank on the chosen indicator, the town, then every indicator."""
        rank = _("名次（按%(indicator)s）") % {"indicator": self.rank_by.heading}
        return (
            _("各镇（街道）对比"),
            [rank, _("镇（街道）"), *(indicator.heading for indicator in self.indicators)],
            [[self.rank_of(row), row.organization.name, *row.values_of(self.indicators)] for row in self.rows],
        )


def town_comparison(scope: Scope, rank_by: str = "") -> Comparison | None:
    """The towns under a district (or a city) side by side, read from their roll-up in one query; None in a
    town. Figures count within the scope's year (all years without one), outcomes cumulatively to it."""
    if scope.in_town:
        return None
    refresh = Refresh.objects.filter(organization=OuterRef("pk"))
    towns = list(
        towns_below(scope.organization)
        .select_related("profile")
        .annotate(counted_at=Subquery(refresh.values("counted_at")), changed_at=Subquery(refresh.values("changed_at")))
    )
    counted_at, changed_at = _towns_counted(towns)
    values = _town_values(towns, scope.year)
    indicators = _indicators(any(v["type.regional"] for v in values.values()))
    rows = [
        TownRow(town, {indicator.key: values[town.pk][indicator.key] for indicator in indicators}) for town in towns
    ]
    for indicator in indicators:
        _rank(rows, indicator.key)
    chosen = next((i for i in indicators if i.key == rank_by), None)
    chosen = chosen or next(i for i in indicators if i.key == DEFAULT_RANK)
    rows.sort(key=lambda row: (row.ranks[chosen.key], row.organization.path))
    return Comparison(indicators, rows, chosen, counted_at, changed_at)


def _town_values(towns: list[Organization], year: int | None) -> dict[int, dict[str, Any]]:
    """Each town's figures from its roll-up, kept in the figures cache until one of the towns is counted again
    (a city's two hundred towns are a grouped read of their tallies that costs a few hundred milliseconds)."""
    counts = hashlib.sha256(repr([(town.pk, town.counted_at) for town in towns]).encode()).hexdigest()[:32]
    key = f"towns:{year or 0}:{counts}"
    cache = caches["figures"]
    values: dict[int, dict[str, Any]] | None = cache.get(key)
    if values is not None:
        return values
    values = {town.pk: defaultdict(int, spent=Decimal(0)) for town in towns}
    in_year = Q(year=year) if year else ~Q(year=ALL_YEARS)
    to_year = Q(year__lte=year) if year else Q()
    tallies = (
        Tally.objects.filter(organization_id__in=values)
        .filter(Q(measure__in=IN_YEAR_MEASURES) & in_year | Q(measure__startswith="outcome.") & to_year)
        .values_list("organization_id", "measure", "key")
        .annotate(total=Sum("count"), money=Sum("amount"))
        .order_by()
    )
    for town, measure, tally_key, count, amount in tallies:
        _add_tally(values[town], measure, tally_key, count, amount)
    cache.set(key, values, settings.FIGURES_CACHE_SECONDS)
    return values


def _add_tally(values: dict[str, Any], measure: str, key: str, count: int, amount: Decimal) -> None:
    if measure == "projects":
        kind, status = key.split(":")
        if status in NOT_YET_PROJECTS:
            return
        values["projects"] += count
        values[f"type.{kind}"] += count
        values["under_way"] += count if status in UNDER_WAY else 0
        values["concluded"] += count if status == ProjectStatus.CONCLUDED else 0
    elif measure == "needs.status":
        values["needs"] += count
    elif measure == "needs.answered":
        values["answered"] += count
    elif measure == "programme.claimed":
        values["claimed"] += count
    elif measure.startswith("funds."):
        values["spent"] += amount
    else:
        values[measure.removeprefix("outcome.")] += count


def _rank(rows: list[TownRow], key: str) -> None:
    """Competition ranking, highest first: equal figures share a rank and the next rank skips."""
    ordered = sorted(rows, key=lambda row: row.values[key], reverse=True)
    for position, row in enumerate(ordered, start=1):
        before = ordered[position - 2] if position > 1 else None
        tied = before is not None and before.values[key] == row.values[key]
        row.ranks[key] = before.ranks[key] if tied and before is not None else position


def _towns_counted(towns: list[Organization]) -> tuple[datetime | None, datetime | None]:
    """When the towns' figures were counted (the oldest) and the first later change not counted yet; a
    town never counted (added since the district's count) is counted now. The towns come with their
    counts' times (`with_counts`)."""
    counted, changed = [], []
    for town in towns:
        if town.counted_at is None:
            refresh = count_part(committee_part(town))
            town.counted_at, town.changed_at = refresh.counted_at, refresh.changed_at
        counted.append(town.counted_at)
        if town.changed_at is not None:
            changed.append(town.changed_at)
    return min(counted, default=None), min(changed, default=None)


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

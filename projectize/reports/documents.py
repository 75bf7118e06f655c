"""The annual work report and the secretary's 述职评议 dossier, as A4 PDF (and Excel for the report).

Charts are drawn here as plain SVG, which WeasyPrint renders like any other part of the page.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from projectize.core.exports import write_workbook
from projectize.funds import selectors as funds_selectors
from projectize.funds.models import Allocation
from projectize.orgs.models import Organization
from projectize.projects import selectors as projects_selectors
from projectize.projects.models import NOT_YET_PROJECTS, Project
from projectize.reports import selectors
from projectize.reports.selectors import Chart, Comparison, Indicator, Scope
from projectize.supervision import selectors as supervision_selectors
from projectize.supervision.models import Letter, ProjectWarning
from projectize.supervision.selectors import AccountabilitySummary, accountability_summary

PALETTE = ["#b3001b", "#d9822b", "#2b7bb9", "#3f9c5a", "#7d5ba6", "#8c8c8c"]


def svg_bars(chart: Chart, width: int = 640, height: int = 240) -> SafeString:
    """A grouped bar chart of `chart` with its values written above the bars."""
    if not chart.categories:
        return mark_safe("")
    top = max((float(v) for _n, values in chart.series for v in values), default=0) or 1
    left, bottom, head = 10, 40, 24 if len(chart.series) > 1 else 8
    plot_height = height - bottom - head - 14
    slot = (width - left * 2) / len(chart.categories)
    bar = min(40.0, slot * 0.8 / len(chart.series))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="Noto Sans CJK SC" font-size="10">'
    ]
    for s, (name, _values) in enumerate(chart.series if len(chart.series) > 1 else []):
        key_x = left + s * 110
        parts.append(f'<rect x="{key_x}" y="4" width="10" height="10" fill="{PALETTE[s % len(PALETTE)]}"/>')
        parts.append(f'<text x="{key_x + 14}" y="13">{escape(name)}</text>')
    baseline = height - bottom
    parts.append(f'<line x1="{left}" y1="{baseline}" x2="{width - left}" y2="{baseline}" stroke="#999"/>')
    for c, category in enumerate(chart.categories):
        group_left = left + c * slot + (slot - bar * len(chart.series)) / 2
        for s, (_name, values) in enumerate(chart.series):
            value = float(values[c])
            h = plot_height * value / top
            x = group_left + s * bar
            parts.append(
                f'<rect x="{x:.1f}" y="{baseline - h:.1f}" width="{bar - 2:.1f}" height="{h:.1f}" '
                f'fill="{PALETTE[s % len(PALETTE)]}"/>'
            )
            parts.append(
                f'<text x="{x + bar / 2 - 1:.1f}" y="{baseline - h - 3:.1f}" text-anchor="middle">'
                f"{_number(values[c])}</text>"
            )
        label_x = left + c * slot + slot / 2
        parts.append(
            f'<text x="{label_x:.1f}" y="{baseline + 14}" text-anchor="middle">{escape(str(category)[:10])}</text>'
        )
    parts.append("</svg>")
    # Safe: the only text from data (names, labels) was escaped above.
    return mark_safe("".join(parts))


def _number(value: Any) -> str:
    if isinstance(value, Decimal):
        return f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"
    return f"{value:,}"


def _pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # heavy: imported only when a PDF is built

    return HTML(string=render_to_string(template, context)).write_pdf()


# The annual work report (年度党建项目化工作报告) ------------------------------------------------


@dataclass
class AnnualReport:
    scope: Scope
    outcomes: dict[str, int]
    calls: list[selectors.CallFigures]
    programmes: list[selectors.ProgrammeFigures]
    showcases: list[selectors.ShowcaseFigures]
    ranking: list[selectors.OrganizationRow]
    charts: list[Chart]
    # Above the towns: the towns side by side, and a page for each town in tree order.
    comparison: Comparison | None = None
    towns: list["TownPage"] = field(default_factory=list)

    def chart(self, key: str) -> Chart:
        return next(chart for chart in self.charts if chart.key == key)


@dataclass
class TownPage:
    """A town's page in its district's report: its own report, and each figure with its rank among the towns."""

    report: AnnualReport
    figures: list[tuple[Indicator, Any, int]]


REPORT_CHARTS = [
    selectors.projects_by_type,
    selectors.projects_by_status,
    selectors.outcomes_by_year,
    selectors.beneficiaries_by_year,
    selectors.needs_by_category,
    selectors.needs_by_channel,
    selectors.units_by_kind,
    selectors.claim_rate,
    selectors.funds_by_year,
    selectors.warnings_by_level,
]


def annual_report(scope: Scope, rank_by: str = "") -> AnnualReport:
    """The scope's report; above the towns, with the towns compared (ranked on `rank_by`) and a page each."""
    comparison = selectors.town_comparison(scope, rank_by)
    towns = (
        [
            TownPage(annual_report(Scope(row.organization, scope.year)), comparison.figures_of(row))
            for row in sorted(comparison.rows, key=lambda row: row.organization.path)
        ]
        if comparison
        else []
    )
    return AnnualReport(
        scope=scope,
        outcomes=selectors.outcome_totals(scope),
        calls=selectors.call_figures(scope),
        programmes=selectors.programme_figures(scope),
        showcases=selectors.showcase_figures(scope),
        ranking=selectors.organization_ranking(scope),
        charts=[make(scope) for make in REPORT_CHARTS],
        comparison=comparison,
        towns=towns,
    )


def annual_report_pdf(report: AnnualReport) -> bytes:
    return _pdf(
        "reports/annual_report.html",
        {
            "report": report,
            "scope": report.scope,
            "outcome_labels": selectors.OUTCOMES,
            "figures": [(chart, svg_bars(chart)) for chart in report.charts],
            "awards": selectors.awards_of(report.scope),
            "today": timezone.localdate(),
        },
    )


def annual_report_xlsx(report: AnnualReport) -> bytes:
    """The same figures as the PDF, one sheet per table or chart."""
    outcome_rows = [[label, report.outcomes[name]] for name, label in selectors.OUTCOMES]
    call_rows = [[row.year, row.organizations, row.projects, *(n for _label, n in row.by_type)] for row in report.calls]
    type_labels = [label for label, _n in report.calls[0].by_type] if report.calls else []
    programme_rows = [
        [row.label, row.sections, row.targets, row.published, row.claimed, row.units, row.claim_rate]
        for row in report.programmes
    ]
    showcase_rows = [
        [row.year, row.theme, row.nominations, row.votes, *(n for _label, n in row.awards)] for row in report.showcases
    ]
    award_labels = [label for label, _n in report.showcases[0].awards] if report.showcases else []
    ranking_rows = [
        [r.name, r.projects, r.concluded, r.awards, r.problems_solved, r.beneficiaries] for r in report.ranking
    ]
    sheets: list[tuple[str, list[Any], list[list[Any]]]] = [
        (_("累计成效"), [_("指标"), _("数量")], outcome_rows),
        (_("年度申报"), [_("年度"), _("申报组织"), _("项目"), *type_labels], call_rows),
        (
            _("品牌项目"),
            [_("品牌项目"), _("板块"), _("标的"), _("已发布"), _("有认领"), _("承接单位"), _("认领率（%）")],
            programme_rows,
        ),
        (_("七一展评"), [_("年度"), _("主题"), _("参评项目"), _("群众投票"), *award_labels], showcase_rows),
        (
            _("组织排名"),
            [_("组织"), _("项目"), _("已结题"), _("展评获奖"), _("破解难题"), _("惠及人次")],
            ranking_rows,
        ),
    ]
    sheets += [(chart.title, chart.headers, chart.rows) for chart in report.charts]
    if report.comparison is not None:
        sheets.append(report.comparison.sheet())
    count = len(report.towns)
    for town in report.towns:
        sheets.append(
            (
                town.report.scope.organization.name,
                [_("指标"), _("数值"), _("在 %(count)s 个镇（街道）中的名次") % {"count": count}],
                [[indicator.heading, value, rank] for indicator, value, rank in town.figures],
            )
        )
    buffer = BytesIO()
    write_workbook(buffer, sheets)
    return buffer.getvalue()


# The secretary's 述职评议 dossier --------------------------------------------------------------


@dataclass
class Dossier:
    organization: Organization
    year: int
    projects: list[Project]
    letters: list[Letter]
    allocations: list[Allocation]
    paid: Decimal
    outcomes: dict[str, int]
    warnings: QuerySet[ProjectWarning]
    accountability: AccountabilitySummary


def dossier(organization: Organization, year: int) -> Dossier:
    """Everything a secretary answers for in one year, for the organization and its subtree."""
    projects = list(
        projects_selectors.projects_in_subtree(organization.path)
        .filter(year__lte=year)
        .filter(Q(year=year) | Q(concluded_at__year=year) | Q(concluded_at__isnull=True))
        .exclude(status__in=NOT_YET_PROJECTS)
        .select_related("organization", "responsible")
        .prefetch_related(Prefetch("acceptances", queryset=projects_selectors.acceptances_newest_first()))
        .order_by("year", "code", "id")
    )
    letters = list(
        supervision_selectors.letters_in_subtree(organization.path)
        .filter(issued_on__year=year)
        .select_related("project")
        .prefetch_related(Prefetch("items", queryset=supervision_selectors.letter_items_in_order()))
        .order_by("issued_on", "id")
    )
    allocations = list(
        funds_selectors.allocations_to_projects_in(organization.path, year)
        .select_related("budget", "project")
        .order_by("created_at", "id")
    )
    paid = (
        funds_selectors.approved_disbursements()
        .filter(allocation__in=[a.pk for a in allocations])
        .aggregate(
            total=Sum("amount", filter=Q(reverses__isnull=True), default=Decimal(0))
            - Sum("amount", filter=Q(reverses__isnull=False), default=Decimal(0))
        )["total"]
    )
    return Dossier(
        organization=organization,
        year=year,
        projects=projects,
        letters=letters,
        allocations=allocations,
        paid=paid or Decimal(0),
        outcomes=selectors.outcome_totals(Scope(organization, year)),
        warnings=selectors.warnings_in(Scope(organization, year)).select_related("project", "organization"),
        accountability=accountability_summary(organization, year),
    )


def dossier_pdf(record: Dossier) -> bytes:
    allocated = sum((a.amount if a.reverses_id is None else -a.amount for a in record.allocations), Decimal(0))
    return _pdf(
        "reports/dossier.html",
        {
            "dossier": record,
            "outcome_labels": selectors.OUTCOMES,
            "allocated": allocated,
            "today": timezone.localdate(),
        },
    )

"""The dashboard's figures for one scope as the roll-up gives them, in the shape of tests.reports.live."""

from decimal import Decimal
from typing import Any

from projectize.needs.models import Channel, NeedStatus
from projectize.orgs.models import Organization, OrgKind
from projectize.projects.models import ProjectStatus, ProjectType
from projectize.reports import selectors
from projectize.reports.selectors import Scope
from projectize.supervision.models import ProjectWarningLevel


def _values(choices: Any, chart: selectors.Chart) -> dict[str, Any]:
    """{choice value: number} for the chart's non-zero categories (labelled by `choices`)."""
    value_of = {str(label): value for value, label in choices}
    return {value_of[category]: n for category, n in zip(chart.categories, chart.series[0][1], strict=True) if n}


def figures(organization: Organization, year: int | None) -> dict[str, Any]:
    scope = Scope(organization, year)
    charts = {make.__name__: make(scope) for make in selectors.CHARTS}
    found: dict[str, Any] = {
        "by_type": _values(ProjectType.choices, charts["projects_by_type"]),
        "by_status": _values(ProjectStatus.choices, charts["projects_by_status"]),
    }
    by_year = charts["projects_by_year"]
    type_of = {str(label): value for value, label in ProjectType.choices}
    found["by_year"] = {
        (int(y), type_of[name]): n
        for name, values in by_year.series
        for y, n in zip(by_year.categories, values, strict=True)
        if n
    }
    found["outcomes"] = selectors.outcome_totals(scope)
    outcomes, people = charts["outcomes_by_year"], charts["beneficiaries_by_year"]
    per_year = dict(zip(people.categories, people.series[0][1], strict=True))
    years = sorted({*outcomes.categories, *people.categories})
    found["outcomes_by_year"] = {
        int(y): (
            *(
                values[outcomes.categories.index(y)] if y in outcomes.categories else 0
                for _name, values in outcomes.series
            ),
            per_year.get(y, 0),
        )
        for y in years
    }
    found["calls"] = [(row.year, row.organizations, row.projects) for row in selectors.call_figures(scope)]
    category = charts["needs_by_category"]
    found["needs_by_category"] = dict(zip(category.categories, category.series[0][1], strict=True))
    found["needs_by_channel"] = _values(Channel.choices, charts["needs_by_channel"])
    found["needs_by_status"] = _values(NeedStatus.choices, charts["needs_by_status"])
    found["programmes"] = {
        (row.year, row.pk) if row.pk else (row.year,): [
            row.sections,
            row.targets,
            row.published,
            row.claimed,
            row.units,
        ]
        for row in selectors.programme_figures(scope)
    }
    published, claimed, awarded = charts["claim_rate"].series[0][1]
    found["claim_rate"] = {"published": published, "claimed": claimed, "awarded": awarded}
    found["units_by_kind"] = _values(OrgKind.choices, charts["units_by_kind"])
    funds = charts["funds_by_year"]
    found["funds"] = {
        int(y): tuple(values[index] for _name, values in funds.series) for index, y in enumerate(funds.categories)
    }
    found["warnings"] = _values(ProjectWarningLevel.choices, charts["warnings_by_level"])
    found["showcases"] = [
        (row.year, row.nominations, row.votes, [n for _label, n in row.awards])
        for row in selectors.showcase_figures(scope)
    ]
    found["ranking"] = [
        (r.name, r.projects, r.concluded, r.problems_solved, r.beneficiaries)
        for r in selectors.organization_ranking(scope)
    ]
    return found


def comparable(found: dict[str, Any]) -> dict[str, Any]:
    """Years of money where nothing moved are left out (a reversal nets a year to zero in both)."""
    found = dict(found)
    found["funds"] = {y: v for y, v in found["funds"].items() if any(Decimal(x) for x in v)}
    found["claim_rate"] = {k: v or 0 for k, v in found["claim_rate"].items()}
    found["units_by_kind"] = {k: v for k, v in found["units_by_kind"].items() if v}
    found["needs_by_category"] = {k: v for k, v in found["needs_by_category"].items() if v}
    return found

from typing import Any

from django import template
from django.utils.html import format_html

from projectize.core.pagination import COUNT_CAP
from projectize.orgs.models import Organization
from projectize.projects.selectors import OverdueLevel, overdue_keys, overdue_page, projects_visible_to

register = template.Library()

# The overdue items an organization's page lists, longest overdue first.
WARNINGS_SHOWN = 10

# How late an overdue report or milestone is (not a state: states are drawn by core's `status_badge`).
OVERDUE_TONES = {OverdueLevel.YELLOW: "warning", OverdueLevel.RED: "danger"}


@register.simple_tag
def warning_badge(level: str | None) -> str:
    if not level:
        return ""
    text = " text-dark" if level == OverdueLevel.YELLOW else ""
    return format_html(
        '<span class="badge bg-{}{}" data-warning="{}">'
        '<i class="bi bi-clock-history" aria-hidden="true"></i> {}</span>',
        OVERDUE_TONES[level],
        text,
        level,
        OverdueLevel.LABELS[level],
    )


@register.inclusion_tag("projects/_org_projects.html", takes_context=True)
def organization_projects(context: dict[str, Any], organization: Organization, limit: int = 10) -> dict[str, Any]:
    """For the organization's page: its projects (that the viewer may see) and their overdue warnings."""
    user = context["request"].user
    visible = projects_visible_to(user).filter(organization_path__startswith=organization.path)
    # A district's page holds tens of thousands of projects: the count stops at the list's cap, and the
    # warnings shown are the longest overdue few.
    total = visible.order_by()[: COUNT_CAP + 1].count()
    return {
        "organization": organization,
        "projects": visible.select_related("organization").order_by("-year", "code", "id")[:limit],
        "total": min(total, COUNT_CAP),
        "more": total > COUNT_CAP,
        "warnings": overdue_page(overdue_keys(projects=visible)[:WARNINGS_SHOWN]),
        "request": context["request"],
    }

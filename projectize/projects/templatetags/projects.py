from typing import Any

from django import template
from django.utils.html import format_html

from projectize.orgs.models import Organization

register = template.Library()

# Status colours; the badge always carries the status in words too.
TONES = {
    "draft": "secondary",
    "submitted": "info",
    "under_review": "info",
    "returned": "warning",
    "approved": "primary",
    "rejected": "dark",
    "withdrawn": "secondary",
    "in_progress": "success",
    "acceptance": "info",
    "rectifying": "warning",
    "concluded": "success",
    "failed": "danger",
    # reports, change requests, acceptances, milestones
    "due": "secondary",
    "accepted": "success",
    "pending": "secondary",
    "scheduled": "info",
    "met": "success",
    "partly_met": "warning",
    "not_met": "danger",
    "open": "success",
    "closed": "dark",
    "yellow": "warning",
    "red": "danger",
}


@register.simple_tag
def status_badge(obj: Any, field: str = "status") -> str:
    value = getattr(obj, field)
    label = getattr(obj, f"get_{field}_display")()
    tone = TONES.get(value, "secondary")
    text = " text-dark" if tone in ("warning", "info") else ""
    return format_html('<span class="badge bg-{}{}" data-status="{}">{}</span>', tone, text, value, label)


@register.simple_tag
def warning_badge(level: str | None) -> str:
    from projectize.projects.selectors import OverdueLevel

    if not level:
        return ""
    text = " text-dark" if level == OverdueLevel.YELLOW else ""
    return format_html(
        '<span class="badge bg-{}{}" data-warning="{}">'
        '<i class="bi bi-clock-history" aria-hidden="true"></i> {}</span>',
        TONES[level],
        text,
        level,
        OverdueLevel.LABELS[level],
    )


@register.inclusion_tag("projects/_org_projects.html", takes_context=True)
def organization_projects(context: dict[str, Any], organization: Organization, limit: int = 10) -> dict[str, Any]:
    """For the organization's page: its projects (that the viewer may see) and their overdue warnings."""
    from projectize.projects.selectors import overdue_items, projects_visible_to

    user = context["request"].user
    visible = projects_visible_to(user).filter(organization__path__startswith=organization.path)
    return {
        "organization": organization,
        "projects": visible.select_related("organization").order_by("-year", "code", "id")[:limit],
        "total": visible.count(),
        "warnings": overdue_items(projects=visible),
        "request": context["request"],
    }

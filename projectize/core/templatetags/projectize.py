from decimal import Decimal
from typing import Any

from django import template
from django.contrib.contenttypes.models import ContentType
from django.utils.html import format_html
from django.utils.translation import gettext

from projectize.core import activity, typography
from projectize.core.money import format_money
from projectize.core.selectors import activity_for, attachments_for
from projectize.core.workflow import NextStep, Transition, workflow_for

register = template.Library()


@register.filter
def money(value: Decimal | int | None) -> str:
    """Renminbi with thousands separators and two decimals in the active language's format."""
    return format_money(value)


@register.filter(is_safe=True)
def cjk_quotes(value: Any, nested: str = "") -> str:
    """Quotation marks nested as Chinese documents nest them; `|cjk_quotes:"nested"` for text the template
    already puts inside “…”."""
    return typography.cjk_quotes(str(value), depth=1 if nested else 0)


@register.simple_tag
def colon() -> str:
    """The colon after a label: full-width in Chinese, ASCII and a space in English."""
    return gettext("：")


@register.filter
def mask_mobile(value: str | None) -> str:
    """138****5678: enough to recognise one's own number, not enough to call it."""
    if not value:
        return ""
    return value[:3] + "****" + value[-4:] if len(value) >= 7 else "****"


@register.inclusion_tag("core/_workflow_actions.html", takes_context=True)
def workflow_actions(context: dict[str, Any], obj: Any, next_url: str = "") -> dict[str, Any]:
    """Buttons for the steps the current user may take on `obj`. Steps their guard refuses now are shown
    disabled, grouped under the guard's reason (said once for the steps that share it)."""
    user = context["request"].user
    workflow = workflow_for(obj)
    steps: list[tuple[Transition, str]] = []
    blocked: dict[str, list[Transition]] = {}
    for step in workflow.available(user, obj):
        if step.guard is not None and (problem := step.guard(obj)):
            blocked.setdefault(problem, []).append(step)
        else:
            steps.append((step, step.form_url(obj) if step.form_url else ""))
    return {
        "obj": obj,
        "steps": steps,
        "blocked": list(blocked.items()),
        "model": f"{obj._meta.app_label}.{obj._meta.model_name}",
        "next_url": next_url or context["request"].get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag
def status_badge(obj: Any) -> str:
    """The object's state in words, coloured by its tone (the colour never carries meaning alone)."""
    workflow = workflow_for(obj)
    value = getattr(obj, workflow.state_field)
    tone = workflow.states.tone(value)
    text = " text-dark" if tone in ("warning", "info", "light") else ""
    return format_html(
        '<span class="badge bg-{}{}" data-status="{}">{}</span>', tone, text, value, workflow.state_label(obj)
    )


@register.filter
def state_in(obj: Any, group: str) -> bool:
    """`{% if project|state_in:"running" %}`: whether the object's state is in a named group of its table."""
    return workflow_for(obj).in_group(obj, group)


@register.simple_tag(takes_context=True)
def next_step(context: dict[str, Any], obj: Any) -> NextStep | None:
    """`{% next_step project as step %}`: what the current user should do next about the object."""
    return workflow_for(obj).next_step(context["request"].user, obj)


@register.simple_tag(takes_context=True)
def query_string(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters replaced (for pagination and sorting links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.inclusion_tag("core/_timeline.html")
def timeline(obj: Any, limit: int = 200) -> dict[str, Any]:
    """The object's own activity log, newest first."""
    return {"entries": activity_for(obj)[:limit], "subject": obj}


@register.filter
def about_other_than(entry: Any, subject: Any) -> str:
    """The object an entry is about, when a timeline gathers entries on objects other than its subject
    (a project's timeline shows its reports' steps too); "" for the subject itself."""
    if subject is None or not entry.target_type_id:
        return ""
    same_type = entry.target_type_id == ContentType.objects.get_for_model(subject).pk
    return "" if same_type and entry.target_id == str(subject.pk) else str(entry.target_repr)


@register.inclusion_tag("core/_attachments.html")
def attachments(obj: Any, purpose: str | None = None) -> dict[str, Any]:
    return {"files": attachments_for(obj, purpose)}


@register.filter
def changes(entry: Any) -> list[tuple[str, str, str]]:
    """An activity log entry's before/after as (label, before, after) rows in the reader's language."""
    return activity.changes(entry)

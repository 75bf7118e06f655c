import contextlib
from decimal import Decimal
from typing import Any

from django import template
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from projectize.core.workflow import Transition

register = template.Library()


@register.filter
def money(value: Decimal | int | None) -> str:
    """Renminbi with thousands separators and two decimals in the active language's format."""
    if value is None or value == "":
        return "—"
    return "¥" + number_format(Decimal(value), 2, use_l10n=True, force_grouping=True)


@register.filter
def mask_mobile(value: str | None) -> str:
    """138****5678: enough to recognise one's own number, not enough to call it."""
    if not value:
        return ""
    return value[:3] + "****" + value[-4:] if len(value) >= 7 else "****"


@register.inclusion_tag("core/_workflow_actions.html", takes_context=True)
def workflow_actions(context: dict[str, Any], obj: Any, next_url: str = "") -> dict[str, Any]:
    """Buttons for the steps the current user may take on `obj` now."""
    user = context["request"].user
    workflow = type(obj).workflow
    steps: list[tuple[Transition, str]] = [
        (step, step.form_url(obj) if step.form_url else "") for step in workflow.available(user, obj)
    ]
    return {
        "obj": obj,
        "steps": steps,
        "model": f"{obj._meta.app_label}.{obj._meta.model_name}",
        "next_url": next_url or context["request"].get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }


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
    from projectize.core.selectors import activity_for

    return {"entries": activity_for(obj)[:limit]}


@register.inclusion_tag("core/_attachments.html")
def attachments(obj: Any, purpose: str | None = None) -> dict[str, Any]:
    from projectize.core.selectors import attachments_for

    return {"files": attachments_for(obj, purpose)}


# Labels for change keys that are not fields of the logged object itself.
CHANGE_LABELS = {"parent": _("上级组织"), "role": _("角色"), "organization": _("组织")}


@register.filter
def changes(entry: Any) -> list[tuple[str, str, str]]:
    """An activity log entry's before/after as (label, before, after) rows; "—" stands for nothing."""
    # get_for_id is served from ContentType's cache: no query per entry.
    model = ContentType.objects.get_for_id(entry.target_type_id).model_class() if entry.target_type_id else None
    rows = []
    for key in dict.fromkeys([*entry.before, *entry.after]):
        label: Any = CHANGE_LABELS.get(key, key)
        if model is not None and key not in CHANGE_LABELS:
            with contextlib.suppress(FieldDoesNotExist):
                label = getattr(model._meta.get_field(key), "verbose_name", key)
        before, after = entry.before.get(key), entry.after.get(key)
        rows.append((str(label), _shown(before) if key in entry.before else "", _shown(after)))
    return rows


def _shown(value: Any) -> str:
    return "—" if value in (None, "", "None") else str(value)

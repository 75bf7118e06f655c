"""What the programmes app shows on the pages of the apps below it (a need's page: the form linking it to a
target). Those apps may not import programmes; their templates load these tags."""

from typing import Any

from django import template
from django.utils.translation import gettext as _

from projectize.needs.models import Need
from projectize.programmes import selectors
from projectize.programmes.brand import session_brand
from projectize.programmes.forms import LinkTargetForm

register = template.Library()


@register.inclusion_tag("programmes/_link_target.html", takes_context=True)
def link_target_form(context: dict[str, Any], need: Need) -> dict[str, Any]:
    """The need's “关联标的” step: choose among the committee's targets open to links."""
    return {
        "need": need,
        "form": LinkTargetForm(targets=selectors.linkable_targets(need.organization)),
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag(takes_context=True)
def brand_menu_label(context: dict[str, Any]) -> str:
    """The staff bar's entry for the brand programme: the user's own town's brand ("家新桥", "泗泾同心圆"); for
    district staff, who read every town's, a name that is none of theirs."""
    request = context.get("request")
    return (session_brand(request) if request is not None and hasattr(request, "session") else "") or _("区域化党建")

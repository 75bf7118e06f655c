"""What the programmes app shows on the pages of the apps below it (a need's page: the form linking it to a
target). Those apps may not import programmes; their templates load these tags."""

from typing import Any

from django import template

from projectize.needs.models import Need
from projectize.programmes import selectors
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

"""What the claims app shows on the pages of the apps below it: the need → target → claim → project trace, the
units likely to claim a target, and a target's claims as the public and a claiming unit see them. Those apps may
not import claims; their templates load these tags."""

from typing import Any

from django import template
from django.utils.translation import gettext as _

from projectize.claims import selectors
from projectize.needs.models import Need
from projectize.programmes.models import Target, TargetStatus
from projectize.programmes.workflows import TARGET

register = template.Library()


def _stage(target: Target) -> str:
    """How far a need linked to `target` has come, as the resident should read it."""
    if TARGET.in_group(target, "editable"):
        return _("已纳入标的（待发布）")
    if target.status == TargetStatus.AWARDED:
        return _("已纳入项目")
    return _("已纳入标的")


@register.inclusion_tag("claims/_trace.html")
def need_trace(need: Need) -> dict[str, Any]:
    """need → target → claims → project → progress → outcomes, for staff (nothing before the need is linked)."""
    return {"trace": selectors.target_trace(need.target) if need.target_id else None}


@register.inclusion_tag("claims/_trace.html")
def target_trace(target: Target) -> dict[str, Any]:
    return {"trace": selectors.target_trace(target)}


@register.inclusion_tag("claims/_public_trace.html")
def public_need_trace(need: Need) -> dict[str, Any]:
    """The same trace on the resident's tracking page: no names but the units that took the target on."""
    trace = selectors.target_trace(need.target) if need.target_id else None
    return {"trace": trace, "stage": _stage(trace.target) if trace else ""}


@register.inclusion_tag("claims/_likely_units.html")
def likely_units(target: Target) -> dict[str, Any]:
    return {"likely_units": selectors.likely_units(target)}


@register.inclusion_tag("claims/_public_claims.html", takes_context=True)
def public_claims(context: dict[str, Any], target: Target) -> dict[str, Any]:
    """A published target's claims on its public page: a claiming unit's own claim (or the way to claim), the
    result once noticed, and the objections with their answers."""
    user = context["request"].user
    return {
        "target": target,
        "trace": selectors.target_trace(target),
        "objections": selectors.public_objections(target),
        # A claim contact whose unit already claimed it is led to that claim, not to a blank form.
        "my_claims": selectors.live_claims_of_contact(user, target) if user.is_authenticated else [],
    }

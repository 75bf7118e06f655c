"""The public site a page belongs to (projectize.orgs.sites), for the residents' templates."""

from typing import Any

from django import template

from projectize.orgs.sites import Site, site_of, site_reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def town_url(context: template.Context, viewname: str, *args: Any) -> str:
    """`{% url %}` for the residents' pages: on a town's site reached under /t/<slug>/, its own address there."""
    return site_reverse(context.request, viewname, *args)  # type: ignore[attr-defined]


@register.simple_tag(takes_context=True)
def public_site(context: template.Context) -> Site | None:
    """`{% public_site as site %}`: whose brand, colours and menu the page shows."""
    return site_of(context.request)  # type: ignore[attr-defined]

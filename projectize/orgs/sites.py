"""Whose public site a request is for.

Each committee with a profile (CommitteeProfile) has its own public site: its brand, its colours, its
figures and items only. A resident reaches a town's site under `/t/<slug>/` (the project's URLconf mounts the
public pages there, namespace `town`) or by a host of its own (settings.TOWN_HOSTS, e.g. xinqiao.example.org →
xinqiao). Any other request gets the installation's home site: its only town, or, with several towns, the
committee above them (a district), whose portal lists its towns.

Each public page looks its site up once (one query). Links of a site reached under `/t/<slug>/` stay there:
pages build them with `site_reverse` (in templates `{% town_url %}`, `projectize.orgs.templatetags.public_sites`).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse

from projectize.orgs.models import COMMITTEE_KINDS, TOWN_KINDS, CommitteeProfile, Organization, Role, User
from projectize.orgs.permissions import grant_paths

logger = logging.getLogger(__name__)

# The URL namespace of the public pages under /t/<slug>/ (projectize/urls.py).
TOWN_NAMESPACE = "town"
_ATTRIBUTE = "public_site"


@dataclass(frozen=True)
class Site:
    """A committee's public site, as its pages show it (plain values: kept in the figures cache)."""

    pk: int
    name: str
    path: str
    kind: str
    slug: str = ""
    brand_name: str = ""
    brand_colour: str = CommitteeProfile._meta.get_field("brand_colour").default
    accent_colour: str = CommitteeProfile._meta.get_field("accent_colour").default
    logo: str = ""
    # Its committee is the only root: its subtree is every organization.
    whole_tree: bool = False
    # Reached under /t/<slug>/: its links carry the prefix (by host, or as the home site, they need none).
    prefixed: bool = False

    @property
    def is_town(self) -> bool:
        return self.kind in TOWN_KINDS

    @property
    def colours(self) -> str:
        """The brand as CSS variables (the stylesheets paint with them), for a style attribute."""
        return f"--brand-red: {self.brand_colour}; --brand-accent: {self.accent_colour};"


@dataclass(frozen=True)
class Directory:
    """Every active committee's site, in tree order."""

    sites: tuple[Site, ...]

    def by_slug(self, slug: str) -> Site | None:
        return next((site for site in self.sites if site.slug and site.slug == slug), None)

    def home(self) -> Site | None:
        """The site at the installation's own address: its only town; with several towns, the one committee
        above them all; with several trees side by side and no town chosen, none."""
        towns = [site for site in self.sites if site.is_town]
        if len(towns) == 1:
            return towns[0]
        return next((site for site in self.sites if site.whole_tree), None)

    def towns_below(self, site: Site | None) -> list[Site]:
        """The towns of a site's subtree (every town for no site), in tree order."""
        prefix = site.path if site else ""
        return [town for town in self.sites if town.is_town and town.path.startswith(prefix)]


def directory() -> Directory:
    """The committees' sites, in one query (a few hundred rows in a city)."""
    committees = (
        Organization.objects.filter(kind__in=COMMITTEE_KINDS, is_active=True).select_related("profile").order_by("path")
    )
    found = [_site(committee) for committee in committees]
    roots = [n for n, site in enumerate(found) if len(site.path) == Organization.steplen]
    if len(roots) == 1:
        found[roots[0]] = replace(found[roots[0]], whole_tree=True)
    return Directory(tuple(found))


def _site(committee: Organization) -> Site:
    site = Site(committee.pk, committee.name, committee.path, committee.kind)
    profile: CommitteeProfile | None = getattr(committee, "profile", None)
    if profile is None:
        return site
    return replace(
        site,
        slug=profile.slug,
        brand_name=profile.brand_name,
        brand_colour=profile.brand_colour,
        accent_colour=profile.accent_colour,
        logo=profile.logo.name or "",
    )


def site_of(request: HttpRequest) -> Site | None:
    """The public site the request is for: the one its address names (/t/<slug>/, set by TownSiteMiddleware),
    else its host's (TOWN_HOSTS), else the installation's home site."""
    if not hasattr(request, _ATTRIBUTE):
        slug = _host_slug(request)
        sites = directory()
        found = sites.by_slug(slug) if slug else None
        if slug and found is None:
            logger.warning("TOWN_HOSTS names %r, which no committee's profile has", slug)
        setattr(request, _ATTRIBUTE, found or sites.home())
    site: Site | None = getattr(request, _ATTRIBUTE)
    return site


def request_key(request: HttpRequest) -> str:
    """Names the request's site without reading the database, for pages that keep a copy per site: the slug of
    its /t/<slug>/ address, else its host's, else the home site."""
    known: Site | None = getattr(request, _ATTRIBUTE, None)
    if known is not None and known.prefixed:
        return f"t:{known.slug}"
    slug = _host_slug(request)
    return f"host:{slug}" if slug else "home"


def remember(request: HttpRequest, site: Site | None) -> None:
    """The site of a page kept under `request_key`: the request needs not look it up again."""
    if not hasattr(request, _ATTRIBUTE):
        setattr(request, _ATTRIBUTE, site)


def _host_slug(request: HttpRequest) -> str:
    return settings.TOWN_HOSTS.get(request.get_host().split(":")[0].lower(), "")


def site_reverse(request: HttpRequest, viewname: str, *args: object) -> str:
    """The address of a public page (`viewname` as in `reverse`) on the request's site: under /t/<slug>/ when
    the site was reached there, so a resident never leaves it by following a link."""
    site = site_of(request)
    if site is not None and site.prefixed:
        return reverse(f"{TOWN_NAMESPACE}:{viewname}", args=[site.slug, *args])
    return reverse(viewname, args=args)


def subtree(request: HttpRequest) -> str:
    """The path whose subtree the request's site shows ("" for every organization)."""
    site = site_of(request)
    return site.path if site else ""


def page_readers(request: HttpRequest) -> list[str]:
    """Where a page's reader stands in the tree (core.pagecache): a signed-in person's grants, a visitor's
    site; "" (the whole tree) for a superuser and for a person granted nothing, whose pages any change renews."""
    user = request.user
    if isinstance(user, User) and user.is_authenticated:
        paths = [] if user.is_superuser else grant_paths(user, Role.values, implied=False)
        return sorted(set(paths)) or [""]
    return [subtree(request)]


class TownSiteMiddleware:
    """Takes the town out of a /t/<slug>/ address (the views never see it): an unknown slug is a 404."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable, view_args: list[Any], view_kwargs: dict[str, Any]
    ) -> None:
        slug = view_kwargs.pop(TOWN_NAMESPACE, None)
        if slug is None:
            return
        site = directory().by_slug(slug)
        if site is None:
            raise Http404
        setattr(request, _ATTRIBUTE, replace(site, prefixed=True))

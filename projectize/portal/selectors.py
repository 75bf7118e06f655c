"""What the public pages show. Only public facts: titles, organizations, progress, outcomes.

Each site (projectize.orgs.sites) shows its committee's subtree alone: a read takes the path it lies `within`
("" for every organization)."""

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.http import HttpRequest
from django.utils import timezone, translation

from projectize.claims import selectors as claims_selectors
from projectize.core import totals
from projectize.core.models import Attachment
from projectize.core.totals import Totals
from projectize.orgs import sites
from projectize.orgs.sites import Site
from projectize.programmes.models import Target
from projectize.projects import selectors as projects_selectors
from projectize.projects.models import Project, ProjectStatus, Promotion
from projectize.showcase.models import Nomination, Showcase, ShowcaseStatus
from projectize.showcase.selectors import public_showcases

OUTCOME_FIELDS = ("rules_established", "problems_solved", "service_brands", "beneficiaries")
# What a district's portal shows of each town.
TOWN_FIGURES = ("projects", "problems_solved", "beneficiaries")


def outcome_totals(projects: QuerySet[Project] | None = None) -> dict[str, int]:
    """The four outcome counters (成效), summed in SQL."""
    sums = (projects if projects is not None else projects_selectors.all_projects()).aggregate(
        **{name: Sum(name) for name in OUTCOME_FIELDS}
    )
    return {name: sums[name] or 0 for name in OUTCOME_FIELDS}


def featured_projects(within: str, limit: int = 6) -> QuerySet[Project]:
    return (
        projects_selectors.public_projects()
        .filter(organization_path__startswith=within)
        .select_related("organization")
        .order_by("-updated_at", "-id")[:limit]
    )


def open_targets(within: str, limit: int = 6) -> QuerySet[Target]:
    return (
        claims_selectors.open_targets()
        .filter(programme__organization__path__startswith=within)
        .order_by("claim_deadline", "id")[:limit]
    )


def showcases(within: str) -> QuerySet[Showcase]:
    """The showcases of a site's committees open to the public."""
    return public_showcases().filter(organization__path__startswith=within)


def public_outcomes(site: Site | None) -> Totals:
    """A site's outcome counters. Over the whole tree they come from the dashboard's roll-up once it has been
    counted (core.totals, which holds the whole tree's alone); a town among several sums its own projects."""
    if site is None or site.whole_tree:
        return totals.read("outcomes") or Totals(outcome_totals(), timezone.now())
    return Totals(outcome_totals(projects_selectors.projects_in_subtree(site.path)), timezone.now())


def town_figures(towns: list[Site]) -> dict[int, dict[str, int]]:
    """Each town's projects followed in public and two of its outcomes, for its district's portal: from the
    dashboard's roll-up once every town is counted (core.totals), else one GROUP BY per depth of the towns
    (one in a district) over the projects' organization paths, which reads every project."""
    counted = totals.read_per_organization("town figures", [town.pk for town in towns])
    if counted is not None:
        return counted
    figures = {town.pk: dict.fromkeys(TOWN_FIGURES, 0) for town in towns}
    for length in {len(town.path) for town in towns}:
        pks = {town.path: town.pk for town in towns if len(town.path) == length}
        rows = (
            projects_selectors.all_projects()
            .annotate(town=Substr("organization_path", 1, length))
            .filter(town__in=pks)
            .values("town")
            .annotate(
                projects=Count("id", filter=Q(status__in=ProjectStatus.group("public"))),
                problems_solved=Sum("problems_solved"),
                beneficiaries=Sum("beneficiaries"),
            )
            .values_list("town", *TOWN_FIGURES)
        )
        for town, *values in rows:
            figures[pks[town]] = {name: value or 0 for name, value in zip(TOWN_FIGURES, values, strict=True)}
    return figures


def home_context(request: HttpRequest) -> dict[str, Any]:
    """Everything a site's public home page shows, the same for every visitor of that site: kept in the figures
    cache for FIGURES_CACHE_SECONDS (the page says when its counters were counted). The copy is found by the
    request alone and carries its site, so a visitor within that time costs no query."""
    key = f"portal:home:{sites.request_key(request)}:{translation.get_language()}"
    cached: dict[str, Any] | None = caches["figures"].get(key)
    if cached is None:
        site = sites.site_of(request)
        cached = _town_home(site) if site is not None and site.is_town else _district_home(site)
        cached["site"] = site
        caches["figures"].set(key, cached, settings.FIGURES_CACHE_SECONDS)
    else:
        sites.remember(request, cached["site"])
    return cached


def _town_home(site: Site) -> dict[str, Any]:
    showcase = showcases(site.path).order_by("-year").first()
    counted = public_outcomes(site)
    return {
        "outcomes": counted.values,
        "outcomes_counted_at": counted.counted_at,
        "projects": list(featured_projects(site.path)),
        "targets": list(open_targets(site.path)),
        "showcase": showcase,
        "voting": showcase is not None and showcase.voting_open,
        "published": showcase is not None and showcase.status in ShowcaseStatus.group("published"),
        "cases": list(cases(site.path, "")[:3]),
    }


def _district_home(site: Site | None) -> dict[str, Any]:
    """The portal of a district (or of every tree, with none chosen): its towns, with a few figures each."""
    towns = sites.directory().towns_below(site)
    figures = town_figures(towns)
    counted = public_outcomes(site)
    return {
        "district": True,
        "outcomes": counted.values,
        "outcomes_counted_at": counted.counted_at,
        "towns": [(town, figures[town.pk]) for town in towns],
        "cases": list(cases(site.path if site else "", "")[:3]),
    }


def nomination_photos(nominations: QuerySet[Nomination]) -> dict[int, list[Attachment]]:
    """Photos of each nomination, in one query."""
    ids = [str(pk) for pk in nominations.values_list("pk", flat=True)]
    photos: dict[int, list[Attachment]] = {}
    for photo in Attachment.objects.filter(
        target_type=ContentType.objects.get_for_model(Nomination), target_id__in=ids, purpose="photo"
    ):
        photos.setdefault(int(photo.target_id), []).append(photo)
    return photos


def cases(within: str, query: str) -> QuerySet[Promotion]:
    """A site's case library (典型案例库): promoted practices, newest first, searched by words in them."""
    found = (
        projects_selectors.promotions_with_projects()
        .filter(project__organization_path__startswith=within)
        .annotate(adopters=Count("adoptions"))
    )
    if query:
        found = found.filter(
            Q(project__title__icontains=query)
            | Q(summary__icontains=query)
            | Q(project__organization__name__icontains=query)
        )
    return found.order_by("-created_at", "-id")


def case(within: str, pk: int) -> Promotion | None:
    adoptions = projects_selectors.adoptions_in_order()
    return (
        projects_selectors.promotions_with_projects()
        .prefetch_related(Prefetch("adoptions", queryset=adoptions))
        .filter(pk=pk, project__organization_path__startswith=within)
        .first()
    )

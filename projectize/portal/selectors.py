"""What the public pages show. Only public facts: titles, organizations, progress, outcomes."""

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone, translation

from projectize.claims import selectors as claims_selectors
from projectize.core import totals
from projectize.core.models import Attachment
from projectize.core.totals import Totals
from projectize.programmes.models import Target
from projectize.projects import selectors as projects_selectors
from projectize.projects.models import Project, Promotion
from projectize.showcase.models import Nomination, ShowcaseStatus
from projectize.showcase.selectors import public_showcases

OUTCOME_FIELDS = ("rules_established", "problems_solved", "service_brands", "beneficiaries")


def outcome_totals(projects: QuerySet[Project] | None = None) -> dict[str, int]:
    """The four outcome counters (成效), summed in SQL."""
    sums = (projects if projects is not None else projects_selectors.all_projects()).aggregate(
        **{name: Sum(name) for name in OUTCOME_FIELDS}
    )
    return {name: sums[name] or 0 for name in OUTCOME_FIELDS}


def featured_projects(limit: int = 6) -> QuerySet[Project]:
    return projects_selectors.public_projects().select_related("organization").order_by("-updated_at", "-id")[:limit]


def open_targets(limit: int = 6) -> QuerySet[Target]:
    return claims_selectors.open_targets().order_by("claim_deadline", "id")[:limit]


def public_outcomes() -> Totals:
    """The outcome counters of the whole system: from the dashboard's roll-up once it has been counted
    (core.totals), else summed here."""
    return totals.read("outcomes") or Totals(outcome_totals(), timezone.now())


def home_context() -> dict[str, Any]:
    """Everything the public home page shows, the same for every visitor: kept in the figures cache for
    FIGURES_CACHE_SECONDS (the page says when its counters were counted)."""
    key = f"portal:home:{translation.get_language()}"
    cached: dict[str, Any] | None = caches["figures"].get(key)
    if cached is None:
        cached = _home_context()
        caches["figures"].set(key, cached, settings.FIGURES_CACHE_SECONDS)
    return cached


def _home_context() -> dict[str, Any]:
    showcase = public_showcases().order_by("-year").first()
    counted = public_outcomes()
    return {
        "outcomes": counted.values,
        "outcomes_counted_at": counted.counted_at,
        "projects": list(featured_projects()),
        "targets": list(open_targets()),
        "showcase": showcase,
        "voting": showcase is not None and showcase.voting_open,
        "published": showcase is not None and showcase.status in ShowcaseStatus.group("published"),
        "cases": list(cases("")[:3]),
        "need_url": reverse("needs:public_new"),
        "targets_url": reverse("programmes:public_index"),
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


def cases(query: str) -> QuerySet[Promotion]:
    """The case library (典型案例库): promoted practices, newest first, searched by words in them."""
    found = projects_selectors.promotions_with_projects().annotate(adopters=Count("adoptions"))
    if query:
        found = found.filter(
            Q(project__title__icontains=query)
            | Q(summary__icontains=query)
            | Q(project__organization__name__icontains=query)
        )
    return found.order_by("-created_at", "-id")


def case(pk: int) -> Promotion | None:
    adoptions = projects_selectors.adoptions_in_order()
    return (
        projects_selectors.promotions_with_projects()
        .prefetch_related(Prefetch("adoptions", queryset=adoptions))
        .filter(pk=pk)
        .first()
    )

"""Reads of programmes and targets shared by pages, the portal and other apps."""

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from projectize.orgs.models import Organization, Role
from projectize.orgs.permissions import scope_q
from projectize.programmes.models import PUBLIC_STATUSES, Programme, Section, Target, TargetStatus

# Claims that count as taking part (not drafts, not withdrawn).
LIVE_CLAIMS = Q(claims__status__in=["submitted", "selected", "not_selected", "awarded"])


def programmes_for(user: Any) -> QuerySet[Programme]:
    return (
        Programme.objects.filter(scope_q(user, [Role.TOWN_ADMIN, Role.LEADER]))
        .select_related("organization")
        .annotate(target_count=Count("targets"))
    )


def targets_annotated(targets: QuerySet[Target]) -> QuerySet[Target]:
    """Each target with its number of linked needs and of live claims, in one query."""
    return targets.select_related("programme", "section").annotate(
        need_count=Count("needs", distinct=True),
        claim_count=Count("claims", filter=LIVE_CLAIMS, distinct=True),
    )


def board(programme: Programme, *, public: bool = False) -> list[Section]:
    """Sections in order, each with its targets (`section.board_targets`), in two queries."""
    targets = targets_annotated(Target.objects.filter(programme=programme))
    if public:
        targets = targets.filter(status__in=PUBLIC_STATUSES)
    return list(
        programme.sections.order_by("order", "id").prefetch_related(
            Prefetch("targets", queryset=targets.order_by("order", "id"), to_attr="board_targets")
        )
    )


def linkable_targets(organization: Organization) -> QuerySet[Target]:
    """Targets a need of `organization` may be linked to."""
    return (
        Target.objects.filter(programme__organization=organization)
        .exclude(status=TargetStatus.CLOSED)
        .select_related("programme", "section")
        .order_by("-programme__year", "section__order", "order", "id")
    )


def public_programmes() -> QuerySet[Programme]:
    return (
        Programme.objects.filter(targets__status__in=PUBLIC_STATUSES)
        .distinct()
        .select_related("organization")
        .order_by("-year", "id")
    )


def public_targets(programme: Programme | None = None) -> QuerySet[Target]:
    targets = Target.objects.filter(status__in=PUBLIC_STATUSES)
    if programme is not None:
        targets = targets.filter(programme=programme)
    return targets_annotated(targets).order_by("programme", "section__order", "order", "id")

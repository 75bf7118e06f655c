"""Reads of the needs app shared by pages, the portal, statistics and other apps."""

from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet

from projectize.needs.models import Need, NeedCategory, NeedStatus, NeedUpdate
from projectize.needs.rules import READER_ROLES
from projectize.needs.similarity import CANDIDATE_LIMIT, overlap, similar, tokenize
from projectize.orgs.models import Organization, OrgKind, Role
from projectize.orgs.permissions import grant_paths, scope_q


def in_subtree(needs: QuerySet[Need], organization: Organization) -> QuerySet[Need]:
    """Needs of an organization's subtree: owned by it (a committee) or arising in an area under it."""
    return needs.filter(
        Q(organization__path__startswith=organization.path) | Q(area__path__startswith=organization.path)
    )


def needs_for_staff(user: Any) -> QuerySet[Need]:
    """The staff list's rows: the needs in the user's scope with what a row shows."""
    return (
        needs_in_scope(user)
        .select_related("category", "area", "target", "merged_into")
        .annotate(support_count=Count("supports", distinct=True))
    )


def need_by_code(code: str) -> Need | None:
    """The need with this tracking code (pages follow a merged need on to the need it was merged into)."""
    return (
        Need.objects.select_related("category", "area", "target", "merged_into__target")
        .filter(code=code.strip().upper())
        .first()
    )


def public_updates(need: Need) -> QuerySet[NeedUpdate]:
    """What the submitter sees: the need's own steps and, after a merge, the surviving need's."""
    holders = [need.pk] + ([need.merged_into_id] if need.merged_into_id else [])
    return NeedUpdate.objects.filter(need_id__in=holders).order_by("created_at", "id")


# Of a candidate's score, the part that is its wording; the rest is whether it is in the same place.
TEXT_WEIGHT = 0.7
SIMILAR_SHOWN = 5


def place_agreement(need: Need, area_id: int | None, location: str) -> float:
    """How surely two needs are in one place: 1 for the same spot, 0 for another residential area.

    The same words about another community are another community's problem; an unknown place counts half.
    """
    if not area_id or not need.area_id:
        return 0.5
    if need.area_id != area_id:
        return 0.0
    if not location.strip() or not need.location.strip():
        return 0.8
    return 0.6 + 0.4 * overlap(tokenize(location), tokenize(need.location))


def similar_needs(
    organization: Organization,
    text: str,
    *,
    exclude: int | None = None,
    area_id: int | None = None,
    location: str = "",
) -> list[tuple[Need, float]]:
    """Open needs like `text`, best first, scored by wording and place (area and location) together."""
    candidates = (
        Need.objects.filter(organization=organization)
        .exclude(status__in=[NeedStatus.MERGED, NeedStatus.DECLINED])
        .select_related("category", "area", "target")
        .annotate(support_count=Count("supports"))
    )
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude)
    scored = [
        (need, TEXT_WEIGHT * score + (1 - TEXT_WEIGHT) * place_agreement(need, area_id, location))
        for need, score in similar(candidates, text, limit=CANDIDATE_LIMIT)
    ]
    scored.sort(key=lambda pair: (pair[1], pair[0].created_at), reverse=True)
    return scored[:SIMILAR_SHOWN]


def active_categories(organization: Organization) -> QuerySet[NeedCategory]:
    return NeedCategory.objects.filter(organization=organization, is_active=True)


def areas_of(organization: Organization) -> QuerySet[Organization]:
    """Residential areas and villages under the committee, for the “所在居民区” choice."""
    return Organization.objects.get_tree(organization).filter(
        kind__in=[OrgKind.RESIDENTIAL, OrgKind.VILLAGE], is_active=True
    )


def default_committee() -> Organization | None:
    """The committee whose public pages are shown when a link names none (one town per deployment today)."""
    return Organization.objects.get_root_nodes().filter(kind=OrgKind.COMMITTEE, is_active=True).first()


def committee_of(user: Any) -> Organization:
    """The committee a town admin works for (the organization of their first admin grant)."""
    paths = grant_paths(user, [Role.TOWN_ADMIN])
    committee = Organization.objects.filter(path__in=paths).order_by("depth", "path").first()
    committee = committee or (default_committee() if user.is_superuser else None)
    if committee is None:
        raise PermissionDenied
    return committee


def needs_of_targets(target_ids: list[int]) -> QuerySet[Need]:
    return Need.objects.filter(target_id__in=target_ids).select_related("category", "target")


# Statistics: every number below is one SQL query, whatever the number of needs.


def needs_in_scope(user: Any) -> QuerySet[Need]:
    """What town staff and leaders may read: the needs of the committees they work for."""
    return Need.objects.filter(scope_q(user, READER_ROLES))


def labelled_counts(needs: QuerySet[Need], field: str) -> list[tuple[str, int]]:
    """Counts by a choice field, with the choice's label."""
    labels = dict(Need._meta.get_field(field).choices or [])  # type: ignore[union-attr]
    return [(str(labels.get(row[field], row[field])), row["count"]) for row in need_counts(needs, field)]


def need_counts(needs: QuerySet[Need], field: str) -> list[dict[str, Any]]:
    return list(needs.values(field).annotate(count=Count("id")).order_by("-count", field))


def median_first_response(needs: QuerySet[Need]) -> timedelta | None:
    """Median time from a need's arrival to its first response, by an ordered offset query."""
    answered = needs.filter(first_response_at__isnull=False).annotate(
        wait=ExpressionWrapper(F("first_response_at") - F("created_at"), output_field=DurationField())
    )
    total = answered.count()
    if not total:
        return None
    ordered = answered.order_by("wait").values_list("wait", flat=True)
    if total % 2:
        return ordered[total // 2]
    lower, upper = list(ordered[total // 2 - 1 : total // 2 + 1])
    return (lower + upper) / 2


def open_count(user: Any) -> int:
    return Need.objects.filter(scope_q(user, [Role.TOWN_ADMIN]), status=NeedStatus.RECEIVED).count()

"""Reads of the needs app shared by pages, the portal, statistics and other apps."""

from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.utils import timezone

from projectize.needs.candidates import best_matches
from projectize.needs.models import DuplicatePair, Need, NeedCategory, NeedStatus, NeedUpdate
from projectize.needs.rules import READER_ROLES
from projectize.needs.similarity import SHOWN_THRESHOLD, Match, Profile, compare, profile_features
from projectize.needs.thesaurus import current_thesaurus, idf_lookup
from projectize.orgs import selectors as orgs_selectors
from projectize.orgs.models import COMMITTEE_KINDS, TOWN_KINDS, Organization, OrgKind, Role, User
from projectize.orgs.permissions import scope_q


def in_subtree(needs: QuerySet[Need], organization: Organization) -> QuerySet[Need]:
    """Needs of an organization's subtree: owned by it (a committee) or arising in an area under it."""
    return needs.filter(
        Q(organization__path__startswith=organization.path) | Q(area__path__startswith=organization.path)
    )


def _owners(categories: QuerySet[NeedCategory]) -> list[int]:
    """The committees that collect needs among these categories' organizations.

    Every need has a category of its own committee (`services.need_create` checks it), so the committees with
    categories are all that own needs; the categories table is small (a few rows per committee).
    """
    return sorted(set(categories.values_list("organization_id", flat=True)))


def needs_under(needs: QuerySet[Need], organization: Organization) -> QuerySet[Need]:
    """The needs of `needs` that `in_subtree` gives, asked so that an index serves each case.

    `in_subtree` ORs two joined paths, which makes the database read every need in scope. Here the committees
    are resolved first (one query on the small categories table): needs of a committee inside the subtree are
    found by their committee; where a committee above the organization collects needs (the organization is a
    residential area, a branch, or a district of a city that collects needs itself), its needs in areas of the
    subtree are found by their area. A need's area lies in its committee's tree (`services.need_create`).
    """
    step = Organization.steplen
    ancestors = [organization.path[:end] for end in range(step, len(organization.path), step)]
    rows = NeedCategory.objects.filter(
        Q(organization__path__startswith=organization.path) | Q(organization__path__in=ancestors)
    ).values_list("organization_id", "organization__path")
    inside = sorted({pk for pk, path in rows if path.startswith(organization.path)})
    above = sorted({pk for pk, path in rows if not path.startswith(organization.path)})
    found = Q(organization_id__in=inside)
    if above:
        below = Organization.objects.filter(path__startswith=organization.path).values("pk")
        found |= Q(organization_id__in=above, area__in=below)
    return needs.filter(found)


def needs_for_staff(user: User) -> QuerySet[Need]:
    """The staff list's rows: the needs in the user's scope with what a row shows.

    The scope is resolved to its committees first (`_owners`), so a town's list reads the (committee, newest)
    index directly instead of joining every organization of the town to every need.
    """
    needs = Need.objects.all()
    if not user.is_superuser:
        needs = needs.filter(organization_id__in=_owners(NeedCategory.objects.filter(scope_q(user, READER_ROLES))))
    # `merged_into` is shown by its number only (the column), so it is not joined.
    return needs.select_related("category", "area", "target")


def need_by_code(code: str, within: str = "") -> Need | None:
    """The need with this tracking code, of a committee at or under the path `within` (a town's public site
    finds its own needs alone). Pages follow a merged need on to the need it was merged into."""
    return (
        Need.objects.select_related("category", "area", "target", "merged_into__target")
        .filter(code=code.strip().upper(), organization__path__startswith=within)
        .first()
    )


def public_updates(need: Need) -> QuerySet[NeedUpdate]:
    """What the submitter sees: the need's own steps and, after a merge, the surviving need's."""
    holders = [need.pk] + ([need.merged_into_id] if need.merged_into_id else [])
    return NeedUpdate.objects.filter(need_id__in=holders).order_by("created_at", "id")


SIMILAR_SHOWN = 5


def need_profile(need: Need) -> Profile:
    return Profile(
        title=need.title,
        text=need.description,
        area=need.area_id,
        location=need.location,
        category=need.category_id,
        date=timezone.localdate(need.created_at) if need.created_at else None,
        words=need.tokens.split(),
    )


def similar_needs(
    organization: Organization,
    text: str,
    *,
    exclude: int | None = None,
    area_id: int | None = None,
    location: str = "",
    category_id: int | None = None,
    limit: int = SIMILAR_SHOWN,
    threshold: float = SHOWN_THRESHOLD,
) -> list[tuple[Need, Match]]:
    """Open needs like `text`, best first, by wording, synonyms, place, category and date together."""
    thesaurus = current_thesaurus()
    query = profile_features(
        Profile(title="", text=text, area=area_id, location=location, category=category_id, date=timezone.localdate()),
        thesaurus,
    )
    best = best_matches(organization, query, thesaurus, exclude=exclude, threshold=threshold, limit=limit)
    needs = Need.objects.select_related("category", "area", "target").in_bulk([pk for pk, _m in best])
    scored = [(needs[pk], match) for pk, match in best if pk in needs]
    scored.sort(key=lambda pair: (pair[1].score, pair[0].created_at), reverse=True)
    return scored[:limit]


OPEN_STATUSES = NeedStatus.group("open")
TARGET_SUGGESTIONS = 8


def unlinked_needs_like(organization: Organization, text: str) -> list[tuple[Need, Match]]:
    """Open needs not yet linked to any target that `text` (a target's wording) answers, best first."""
    found = similar_needs(organization, text, limit=TARGET_SUGGESTIONS * 3, threshold=SHOWN_THRESHOLD)
    return [(need, match) for need, match in found if need.target_id is None][:TARGET_SUGGESTIONS]


def text_likeness(organization: Organization, left: str, right_texts: list[str]) -> list[Match]:
    """How alike `left` is to each of `right_texts`, by wording and synonyms alone (targets, claims)."""
    thesaurus = current_thesaurus()
    query = profile_features(Profile(title="", text=left), thesaurus)
    others = [profile_features(Profile(title="", text=text), thesaurus) for text in right_texts]
    idf = idf_lookup(organization, set(query.features).union(*(o.features for o in others)))
    return [compare(query, other, idf=idf, thesaurus=thesaurus) for other in others]


def duplicate_pairs(organization: Organization) -> QuerySet[DuplicatePair]:
    """The queue: pairs not dismissed whose needs are both still open, most alike first."""
    return (
        DuplicatePair.objects.filter(
            organization=organization,
            dismissed=False,
            newer__status__in=OPEN_STATUSES,
            older__status__in=OPEN_STATUSES,
        )
        .select_related("newer__area", "newer__category", "older__area", "older__category")
        .order_by("-score", "-id")
    )


def active_categories(organization: Organization) -> QuerySet[NeedCategory]:
    return NeedCategory.objects.filter(organization=organization, is_active=True)


def areas_of(organization: Organization) -> QuerySet[Organization]:
    """Residential areas and villages under the committee, for the “所在居民区” choice."""
    return Organization.objects.get_tree(organization).filter(
        kind__in=[OrgKind.RESIDENTIAL, OrgKind.VILLAGE], is_active=True
    )


def default_committee() -> Organization | None:
    """The committee whose public pages are shown when a link names none: the first town of the tree (a
    district above the towns collects no residents' needs of its own)."""
    return Organization.objects.filter(kind__in=TOWN_KINDS, is_active=True).order_by("path").first()


def public_committee(pk: int) -> Organization | None:
    """The committee a public link names, at any level of the tree."""
    return Organization.objects.filter(pk=pk, kind__in=COMMITTEE_KINDS, is_active=True).first()


def committee_of(user: User) -> Organization:
    """The committee a town admin works for (the first they run; a district's staff, their district)."""
    committee = default_committee() if user.is_superuser else orgs_selectors.committees_run_by(user).first()
    if committee is None:
        raise PermissionDenied
    return committee


def needs_of_targets(target_ids: list[int]) -> QuerySet[Need]:
    """The needs linked to the targets (of the programmes app), by their numbers."""
    return Need.objects.filter(target_id__in=target_ids).select_related("category", "target")


# Statistics: every number below is one SQL query, whatever the number of needs.


def needs_in_scope(user: User) -> QuerySet[Need]:
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


def open_count(user: User) -> int:
    return Need.objects.filter(scope_q(user, [Role.TOWN_ADMIN]), status=NeedStatus.RECEIVED).count()


def needs_in_subtree(organization: Organization) -> QuerySet[Need]:
    """Every need of an organization's subtree (see in_subtree)."""
    return in_subtree(Need.objects.all(), organization)

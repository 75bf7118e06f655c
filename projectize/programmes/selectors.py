"""Reads of programmes and targets shared by pages, the portal and other apps."""

from dataclasses import dataclass
from itertools import groupby
from operator import attrgetter

from django.db.models import Count, Exists, Max, Min, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce

from projectize.orgs.models import Organization, Role, User
from projectize.orgs.permissions import scope_q
from projectize.programmes.claiming import conditions
from projectize.programmes.models import Programme, Section, Target, TargetStatus, offered

STAFF = (Role.TOWN_ADMIN, Role.LEADER)
PUBLIC = TargetStatus.group("public")
# The `stage` filter of the target list: what the dashboard's claim-rate chart counts.
STAGE_OFFERED = "offered"
STAGE_CLAIMED = "claimed"


def programmes_for(user: User) -> QuerySet[Programme]:
    return (
        Programme.objects.filter(scope_q(user, STAFF))
        .select_related("organization")
        .annotate(target_count=Count("targets"))
    )


def concerning(organization: Organization, field: str = "organization") -> Q:
    """Programmes that concern `organization`: run by it or below it, or by an organization above it
    (a committee runs its programmes for the whole tree, so a unit's figures count the committee's)."""
    step = Organization.steplen
    above = [organization.path[:end] for end in range(step, len(organization.path), step)]
    return Q(**{f"{field}__path__startswith": organization.path}) | Q(**{f"{field}__path__in": above})


def filter_programmes(
    programmes: QuerySet[Programme], *, q: str = "", organization: Organization | None = None, year: int | None = None
) -> QuerySet[Programme]:
    if q:
        programmes = programmes.filter(title__icontains=q)
    if organization is not None:
        programmes = programmes.filter(concerning(organization))
    if year:
        programmes = programmes.filter(year=year)
    return programmes


def targets_annotated(targets: QuerySet[Target]) -> QuerySet[Target]:
    """Each target with its number of linked needs and of claims made, in one query."""
    return targets.select_related("programme", "section").annotate(
        need_count=Count("needs", distinct=True),
        claim_count=Count("claims", filter=conditions().made, distinct=True),
    )


def targets_for(user: User) -> QuerySet[Target]:
    """Targets of the programmes the user follows as town admin or leader."""
    return Target.objects.filter(scope_q(user, STAFF, field="programme__organization"))


def programme_ids_for(user: User) -> list[int]:
    """The numbers of the programmes the user follows (one query on the small programmes table), so that lists
    of their targets and claims filter by programme instead of joining every organization in scope."""
    return list(Programme.objects.filter(scope_q(user, STAFF)).order_by().values_list("pk", flat=True))


def targets_followed(user: User) -> QuerySet[Target]:
    """The same targets as `targets_for`, by programme number (see `programme_ids_for`)."""
    return Target.objects.filter(programme_id__in=programme_ids_for(user))


# The target list's order: newest programme first, then the board's order. Programmes are read by their
# (year, id) index and each one's targets by the programme index; the database sorts only within a programme.
LIST_ORDER = ("-programme__year", "programme_id", "section__order", "section_id", "order", "id")


def with_claim_figures(targets: list[Target]) -> list[Target]:
    """Set on each target of a page what `targets_listed` annotates, read for these targets only (one query)."""
    figures = {
        row["pk"]: row
        for row in targets_listed(Target.objects.filter(pk__in=[t.pk for t in targets])).values(
            "pk", "made_claims", "awarded_units", "awarded_unit"
        )  # type: ignore[misc]
    }
    for target in targets:
        row = figures.get(target.pk, {})
        target.made_claims = row.get("made_claims", 0)  # type: ignore[attr-defined]
        target.awarded_units = row.get("awarded_units", 0)  # type: ignore[attr-defined]
        target.awarded_unit = row.get("awarded_unit")  # type: ignore[attr-defined]
    return targets


def targets_listed(targets: QuerySet[Target]) -> QuerySet[Target]:
    """Targets for a list or an export: programme, section, claims made and the awarded unit, in one query.

    `awarded_unit` is the lead unit's name when several units took the target (`awarded_units` of them).
    """
    claims = conditions()
    unit = "claims__organization__name"
    return targets.select_related("programme", "section").annotate(
        made_claims=Count("claims", filter=claims.made, distinct=True),
        awarded_units=Count("claims", filter=claims.awarded, distinct=True),
        awarded_unit=Coalesce(Max(unit, filter=claims.awarded & claims.lead), Min(unit, filter=claims.awarded)),
    )


def filter_targets(
    targets: QuerySet[Target],
    *,
    q: str = "",
    organization: Organization | None = None,
    year: int | None = None,
    programme: Programme | None = None,
    status: str = "",
    stage: str = "",
) -> QuerySet[Target]:
    if q:
        targets = targets.filter(Q(title__icontains=q) | Q(section__title__icontains=q))
    if organization is not None:
        targets = targets.filter(concerning(organization, "programme__organization"))
    if year:
        targets = targets.filter(programme__year=year)
    if programme is not None:
        targets = targets.filter(programme=programme)
    if status:
        targets = targets.filter(status=status)
    if stage == STAGE_OFFERED:
        targets = targets.filter(offered())
    elif stage == STAGE_CLAIMED:
        # Asked of each target in turn (the claims' target index), not by collecting every claimed target first.
        targets = targets.filter(Exists(Target.objects.filter(conditions().made, pk=OuterRef("pk"))))
    return targets


def board(programme: Programme, *, public: bool = False) -> list[Section]:
    """Sections in order, each with its targets (`section.board_targets`), in two queries."""
    targets = targets_annotated(Target.objects.filter(programme=programme))
    if public:
        targets = targets.filter(status__in=PUBLIC)
    return list(
        programme.sections.order_by("order", "id").prefetch_related(
            Prefetch("targets", queryset=targets.order_by("order", "id"), to_attr="board_targets")
        )
    )


def linkable_targets(organization: Organization) -> QuerySet[Target]:
    """Targets a need of `organization` may be linked to."""
    return (
        Target.objects.filter(programme__organization=organization)
        .filter(status__in=TargetStatus.group("linkable"))
        .select_related("programme", "section")
        .order_by("-programme__year", "section__order", "order", "id")
    )


def public_programmes() -> QuerySet[Programme]:
    return (
        Programme.objects.filter(Exists(Target.objects.filter(programme=OuterRef("pk"), status__in=PUBLIC)))
        .select_related("organization")
        .order_by("-year", "id")
    )


@dataclass(frozen=True)
class PublicProgramme:
    """A programme with public targets, as the public target list filters and names it."""

    pk: int
    year: int
    title: str
    organization: str

    def __str__(self) -> str:
        return f"{self.year} {self.title}"


def public_programmes_in(path: str) -> list[PublicProgramme]:
    """The programmes with public targets of the committees at and under `path`, newest first: plain rows in
    one query on the small programmes table (a city's are a few thousand), so that the target list filters
    its targets by programme number and walks them programme by programme (`LIST_ORDER`)."""
    rows = public_programmes().filter(organization__path__startswith=path)
    return [PublicProgramme(*row) for row in rows.values_list("pk", "year", "title", "organization__name")]


def public_sections(programme_id: int) -> QuerySet[Section]:
    """The sections of a programme that hold public targets, in the board's order."""
    public = Target.objects.filter(section=OuterRef("pk"), status__in=PUBLIC)
    return Section.objects.filter(Exists(public), programme_id=programme_id).order_by("order", "id")


def public_target_list(
    programme_ids: list[int], *, section_id: int | None = None, status: str = ""
) -> QuerySet[Target]:
    """The public targets of these programmes (of one section, in one public status), newest programme first
    and then in the board's order, with their programme and section. A page's figures: `with_public_figures`."""
    targets = Target.objects.filter(programme_id__in=programme_ids, status__in=[status] if status else PUBLIC)
    if section_id is not None:
        targets = targets.filter(section_id=section_id)
    return targets.select_related("programme", "section").order_by(*LIST_ORDER)


def with_public_figures(targets: list[Target]) -> list[Target]:
    """Set on each target of a page its numbers of linked needs and of claims made (`need_count`,
    `claim_count`), counted for these targets only (one query through the needs' and claims' target index)."""
    counted = targets_annotated(Target.objects.filter(pk__in=[t.pk for t in targets])).order_by()
    figures = {row["pk"]: row for row in counted.values("pk", "need_count", "claim_count")}  # type: ignore[misc]
    for target in targets:
        row = figures.get(target.pk, {})
        target.need_count = row.get("need_count", 0)  # type: ignore[attr-defined]
        target.claim_count = row.get("claim_count", 0)  # type: ignore[attr-defined]
    return targets


def by_programme_and_section(targets: list[Target]) -> list[tuple[Programme, list[tuple[Section, list[Target]]]]]:
    """A page of `public_target_list` grouped under its programmes and their sections, in the page's order."""
    return [
        (programme, [(section, list(rows)) for section, rows in groupby(group, key=attrgetter("section"))])
        for programme, group in groupby(targets, key=attrgetter("programme"))
    ]


def public_targets(programme: Programme | None = None) -> QuerySet[Target]:
    targets = Target.objects.filter(status__in=PUBLIC)
    if programme is not None:
        targets = targets.filter(programme=programme)
    return targets_annotated(targets).order_by("programme", "section__order", "order", "id")


# Read by the reports ---------------------------------------------------------------------------


def programmes_in_subtree(path: str) -> QuerySet[Programme]:
    """Programmes of the organization at `path` and of every organization under it."""
    return Programme.objects.filter(organization__path__startswith=path)


def targets_in_subtree(path: str) -> QuerySet[Target]:
    """Targets of the programmes of the organization at `path` and of every organization under it."""
    return Target.objects.filter(programme__organization__path__startswith=path)


# Read by the claims ----------------------------------------------------------------------------


def targets_of(programme: Programme) -> QuerySet[Target]:
    return Target.objects.filter(programme=programme)


def targets_with_programme() -> QuerySet[Target]:
    """Every target with its programme and section, e.g. for `get_object_or_404(..., pk=pk)`."""
    return Target.objects.select_related("programme", "section")


def target_for_update(pk: int) -> Target:
    """The target locked for the rest of the transaction, with its programme."""
    return Target.objects.select_for_update().select_related("programme").get(pk=pk)

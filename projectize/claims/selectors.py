"""Reads of open claiming: a unit's claims, ranking, the trace from a target to its project, statistics."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from projectize.claims.models import Claim, ClaimStatus, Objection
from projectize.needs.selectors import text_likeness
from projectize.orgs.models import Organization, OrgKind, Role, User
from projectize.orgs.permissions import grant_paths, scope_q
from projectize.programmes import selectors as programme_selectors
from projectize.programmes.models import Programme, Target, TargetStatus, offered
from projectize.reviews import selectors as review_selectors

CLAIM_PURPOSE = "claim"
MADE = ClaimStatus.group("made")
STAFF = (Role.TOWN_ADMIN, Role.LEADER)


def visible_claims(user: User) -> QuerySet[Claim]:
    """The claims a user may act on: their units' own, and those on the programmes they follow."""
    return Claim.objects.filter(
        scope_q(user, [Role.CLAIM_CONTACT]) | scope_q(user, STAFF, field="target__programme__organization")
    )


def objections_for_staff(user: User) -> QuerySet[Objection]:
    return Objection.objects.filter(scope_q(user, STAFF, field="target__programme__organization"))


def contact_units(user: User) -> QuerySet[Organization]:
    """The units for which the user is a claim contact (the organizations of their grants)."""
    return Organization.objects.filter(path__in=grant_paths(user, [Role.CLAIM_CONTACT]), is_active=True)


def claims_of_contact(user: User) -> QuerySet[Claim]:
    return Claim.objects.filter(scope_q(user, [Role.CLAIM_CONTACT])).select_related(
        "target__programme", "organization", "project"
    )


def live_claims_of_contact(user: User, target: Target) -> list[Claim]:
    """The claims the user's units have on `target` and have not withdrawn (at most one per unit)."""
    return list(
        claims_of_contact(user)
        .filter(target=target, status__in=ClaimStatus.group("live"))
        .select_related("target__programme")
        .order_by("pk")
    )


def claims_by_target(user: User, targets: Any) -> dict[int, Claim]:
    """For a page of targets: the live claim of the user's units on each (one query)."""
    claims = claims_of_contact(user).filter(target__in=targets, status__in=ClaimStatus.group("live"))
    return {claim.target_id: claim for claim in claims.order_by("pk")}


def claims_for_staff(user: User) -> QuerySet[Claim]:
    """Claims on targets of the programmes the user follows as town admin or leader.

    The programmes are resolved first (a small table), so the list walks them newest first and reads each
    one's targets and claims by index (`LIST_ORDER`) instead of joining every organization in scope.
    """
    return Claim.objects.filter(target__programme_id__in=programme_selectors.programme_ids_for(user)).select_related(
        "target__programme", "target__section", "organization", "project"
    )


# The staff list's order: programmes newest first, then each programme's board order.
LIST_ORDER = (
    "-target__programme__year",
    "target__programme_id",
    "target__section__order",
    "target__order",
    "target_id",
    "id",
)


def filter_claims(
    claims: QuerySet[Claim],
    *,
    q: str = "",
    organization: Organization | None = None,
    year: int | None = None,
    kind: str = "",
    status: str = "",
    programme: Programme | None = None,
) -> QuerySet[Claim]:
    """`organization` is the claiming unit's subtree; `year` the programme's year."""
    if q:
        claims = claims.filter(Q(target__title__icontains=q) | Q(organization__name__icontains=q))
    if organization is not None:
        claims = claims.filter(organization__path__startswith=organization.path)
    if year:
        claims = claims.filter(target__programme__year=year)
    if kind:
        claims = claims.filter(organization__kind=kind)
    if status:
        claims = claims.filter(status=status)
    if programme is not None:
        claims = claims.filter(target__programme=programme)
    return claims


def unit_count(claims: QuerySet[Claim]) -> int:
    """How many different units the claims come from (one SQL aggregate). Lists ask it only when their
    paginator counted all the claims (no more than its cap), so it never reads a whole large table."""
    return claims.aggregate(n=Count("organization", distinct=True))["n"]


def open_targets() -> QuerySet[Target]:
    return programme_selectors.targets_with_programme().filter(status__in=TargetStatus.group("open_for_claims"))


def open_targets_for_contact(user: User) -> QuerySet[Target]:
    """Open targets of the programmes that concern the user's claiming units: run by a committee above one of
    them (or by the unit's own subtree). A city's other towns' targets are not theirs to claim here."""
    concerning = Q(pk__in=[])
    for unit in contact_units(user):
        concerning |= programme_selectors.concerning(unit, "programme__organization")
    return open_targets().filter(concerning)


@dataclass
class RankedClaim:
    claim: Claim
    rank: int | None = None
    total: Any = None
    grade: str = ""
    sheets: int = 0


def ranked_claims(target: Target) -> tuple[list[RankedClaim], Any]:
    """The target's claims in competition, best score first, and the rubric that scored them."""
    claims = list(
        target.claims.filter(status__in=MADE).select_related("organization", "contact").prefetch_related("resources")
    )
    rubric = review_selectors.rubric_for(organization=target.organization, purpose=CLAIM_PURPOSE)
    rows = {claim.pk: RankedClaim(claim) for claim in claims}
    if rubric is not None and claims:
        for row in review_selectors.ranking(rubric=rubric, subjects=claims):
            ranked = rows.get(row.review.subject_id)
            if ranked is not None:
                ranked.rank, ranked.total, ranked.grade, ranked.sheets = row.rank, row.total, row.grade, row.sheets
    ordered = sorted(
        rows.values(), key=lambda r: (r.rank is None, r.rank or 0, r.claim.submitted_at or r.claim.created_at)
    )
    return ordered, rubric


@dataclass
class Trace:
    """need → target → claims → project → progress → outcomes."""

    target: Target
    claims: list[Claim] = field(default_factory=list)
    project: Any = None
    milestones: list[Any] = field(default_factory=list)
    reports: list[Any] = field(default_factory=list)

    @property
    def awarded(self) -> list[Claim]:
        """The units that took the target on, the lead first."""
        return [claim for claim in self.claims if claim.status == ClaimStatus.AWARDED]

    @property
    def chosen(self) -> list[Claim]:
        """The units the committee chose (while noticed, and once awarded), the lead first."""
        return [claim for claim in self.claims if claim.status in ClaimStatus.group("chosen")]


def target_trace(target: Target | None) -> Trace | None:
    if target is None:
        return None
    claims = list(
        target.claims.filter(status__in=MADE).select_related("organization", "project").order_by("-is_lead", "pk")
    )
    project = next((c.project for c in claims if c.project_id), None)
    trace = Trace(target=target, claims=claims, project=project)
    if project is not None:
        trace.milestones = list(project.milestones.all())
        trace.reports = list(project.reports.order_by("number"))
    return trace


def public_objections(target: Target) -> QuerySet[Objection]:
    """Objections and their answers as the public sees them (no names or numbers)."""
    return target.objections.only("content", "status", "answer", "created_at", "answered_at", "target_id")


# Statistics, every figure one SQL query.


def programme_statistics(programme: Programme) -> dict[str, Any]:
    targets = programme_selectors.targets_of(programme)
    # Targets ever published (a target closed as a draft never was).
    published = targets.filter(offered())
    live = Claim.objects.filter(target__programme=programme, status__in=MADE)
    counts = published.aggregate(
        published=Count("id", distinct=True),
        claimed=Count("id", filter=Q(claims__status__in=MADE), distinct=True),
    )
    per_target = list(
        published.annotate(claims_count=Count("claims", filter=Q(claims__status__in=MADE)))
        .order_by("section__order", "order", "id")
        .values("id", "title", "status", "claims_count")
    )
    kinds = dict(OrgKind.choices)
    units_by_kind = [
        {"label": kinds.get(row["organization__kind"], row["organization__kind"]), "units": row["units"]}
        for row in live.values("organization__kind")
        .annotate(units=Count("organization", distinct=True))
        .order_by("-units")
    ]
    awarded_units = live.filter(status=ClaimStatus.AWARDED).aggregate(n=Count("organization", distinct=True))["n"]
    rate = counts["claimed"] / counts["published"] if counts["published"] else None
    return {
        **counts,
        "rate": rate,
        "per_target": per_target,
        "units_by_kind": units_by_kind,
        "units": live.aggregate(n=Count("organization", distinct=True))["n"],
        "awarded_units": awarded_units,
        "claims": live.count(),
    }


# Likely claimants of a published target: read from the committee's latest claims, a bounded number.
CLAIMS_READ = 500
UNITS_SUGGESTED = 5
# Below this wording likeness a past target is not called alike.
ALIKE = 0.2


@dataclass
class LikelyUnit:
    organization: Organization
    likeness: float = 0.0
    alike_title: str = ""
    same_section: bool = False
    awarded: bool = False
    offered: set[str] = field(default_factory=set)

    @property
    def score(self) -> float:
        return self.likeness + 0.1 * self.same_section + 0.1 * self.awarded

    @property
    def reasons(self) -> list[str]:
        reasons = [_("曾认领相似标的《%(title)s》") % {"title": self.alike_title}] if self.alike_title else []
        reasons += [_("曾认领同一板块的标的")] if self.same_section else []
        reasons += [_("曾认领成功")] if self.awarded else []
        reasons += [_("提供过%(kind)s") % {"kind": kind} for kind in sorted(self.offered)]
        return [*reasons, _("单位类型：%(kind)s") % {"kind": self.organization.get_kind_display()}]


def likely_units(target: Target) -> list[LikelyUnit]:
    """Units that may claim `target`, each with why: alike targets they claimed, awards, resources they offered."""
    committee = target.programme.organization
    claims = list(
        Claim.objects.filter(target__programme__organization=committee, status__in=MADE)
        .exclude(target=target)
        .exclude(organization__claims__target=target)
        .select_related("organization", "target")
        .prefetch_related("resources")
        .order_by("-id")[:CLAIMS_READ]
    )
    if not claims:
        return []
    wanted = f"{target.title} {target.description} {target.resources_required}"
    likeness = text_likeness(
        committee,
        wanted,
        [" ".join([c.target.title, c.target.description, *(r.description for r in c.resources.all())]) for c in claims],
    )
    units: dict[int, LikelyUnit] = {}
    for claim, match in zip(claims, likeness, strict=True):
        unit = units.setdefault(claim.organization_id, LikelyUnit(claim.organization))
        if match.score >= ALIKE and match.score > unit.likeness:
            unit.likeness, unit.alike_title = match.score, claim.target.title
        unit.same_section |= claim.target.section_id == target.section_id
        unit.awarded |= claim.status == ClaimStatus.AWARDED
        unit.offered |= {str(r.get_kind_display()) for r in claim.resources.all()}
    ranked = sorted(units.values(), key=lambda u: u.score, reverse=True)
    return [u for u in ranked if u.score > 0][:UNITS_SUGGESTED]


# Read by the reports ---------------------------------------------------------------------------


def awarded_claims_in_subtree(path: str) -> QuerySet[Claim]:
    """Awarded claims of the organization at `path` and of every organization under it."""
    return Claim.objects.filter(organization__path__startswith=path, status=ClaimStatus.AWARDED)

"""Counting the roll-up behind the dashboard (projectize.reports.models), part of the tree by part.

A part is a town's committee (TOWN_KINDS: a town or a subdistrict) with the organizations whose nearest
town committee it is; the organizations above the towns (a district, a city) make one more part. Counting
a part rewrites the tallies of each of its organizations from the source tables, with one GROUP BY per
measure and level of the tree: the facts of the part's subtree grouped by their organization's ancestor at
that level (the first `depth × steplen` characters of its path). So every subtree's figures are exact, the
same queries serve a town of ten projects and a city of a million, and a town costs what a town holds.

Figures tied to the committee (calls, programmes, budgets, showcases) count those of the organization's
town committee (a town's, for a branch) or, above the towns, of the organization's own subtree.

When to count: `changes` marks the parts that a write touched as changed (signals, projectize.reports.apps)
and queues the background job; the job (`count_changed`) counts the changed committees at once and the
levels above, which read whole tables, at most every FIGURES_UPPER_EVERY seconds. `manage.py
refresh_figures --all` counts everything (after an import, and nightly as a safety net).
"""

import logging
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from projectize.claims import selectors as claims_selectors
from projectize.claims.models import ClaimStatus
from projectize.core.jobs import handler, job_enqueue
from projectize.core.models import Job, JobStatus
from projectize.core.pagecache import mark_changed, mark_changed_in_transaction
from projectize.funds import selectors as funds_selectors
from projectize.funds.models import signed_amount
from projectize.needs import selectors as needs_selectors
from projectize.orgs.models import TOWN_KINDS, Organization
from projectize.programmes import selectors as programmes_selectors
from projectize.programmes.models import TargetStatus, offered
from projectize.projects import selectors as projects_selectors
from projectize.projects.models import NOT_YET_PROJECTS, ProjectStatus
from projectize.reports.models import ALL_YEARS, OrganizationFigure, Refresh, Tally
from projectize.showcase import selectors as showcase_selectors
from projectize.supervision import selectors as supervision_selectors

logger = logging.getLogger(__name__)

STEP = Organization.steplen
OUTCOME_FIELDS = ("rules_established", "problems_solved", "service_brands", "beneficiaries")
JOB_KIND = "figures"


def prefixes(path: str) -> list[str]:
    """The paths of an organization and of every organization above it."""
    return [path[:end] for end in range(STEP, len(path) + 1, STEP)]


def committee_of(organization: Organization) -> Organization | None:
    """The town committee at or above `organization`; None above the towns."""
    found: Organization | None = (
        Organization.objects.filter(path__in=prefixes(organization.path), kind__in=TOWN_KINDS)
        .order_by("-depth")
        .first()
    )
    return found


# The parts of the tree -------------------------------------------------------------------------------


@dataclass
class Part:
    """A committee and the organizations whose nearest committee it is, or (no committee) those above all."""

    committee: Organization | None
    nodes: dict[str, int] = field(default_factory=dict)  # path → id
    # The organizations whose subtrees hold the part's facts: the committee, or the roots above.
    roots: list[Organization] = field(default_factory=list)

    @property
    def depths(self) -> list[int]:
        return sorted({len(path) // STEP for path in self.nodes})

    def refresh(self) -> "Refresh":
        found, _created = Refresh.objects.get_or_create(organization=self.committee)
        return found


def _committee_paths() -> list[str]:
    return list(Organization.objects.filter(kind__in=TOWN_KINDS).values_list("path", flat=True))


def committee_part(committee: Organization) -> Part:
    nested = {p for p in _committee_paths() if p.startswith(committee.path) and p != committee.path}
    nodes = {
        path: pk
        for path, pk in Organization.objects.filter(path__startswith=committee.path).values_list("path", "id")
        if nested.isdisjoint(prefixes(path))
    }
    return Part(committee, nodes, [committee])


def upper_part() -> Part:
    """The organizations above (or outside) every committee."""
    committees = set(_committee_paths())
    nodes: dict[str, int] = {}
    for path, pk in Organization.objects.values_list("path", "id").iterator(chunk_size=5000):
        if committees.isdisjoint(prefixes(path)):
            nodes[path] = pk
    roots = list(Organization.objects.filter(depth=1, path__in=[p for p in nodes if len(p) == STEP]))
    return Part(None, nodes, roots)


def all_parts() -> list[Part]:
    parts = [committee_part(c) for c in Organization.objects.filter(kind__in=TOWN_KINDS).order_by("path")]
    upper = upper_part()
    return [*parts, upper] if upper.nodes else parts


# Counting --------------------------------------------------------------------------------------------


def _at(depth: int, path: str) -> Substr:
    """The path of the ancestor at `depth` of the organization whose path is `path` (a lookup)."""
    return Substr(path, 1, STEP * depth)


class Rows:
    """The tallies of a part as they are counted, added up by (organization, measure, year, key)."""

    def __init__(self, part: Part) -> None:
        self.part = part
        self.tallies: dict[tuple[int, str, int, str], list[Any]] = defaultdict(lambda: [0, Decimal(0)])

    def add(self, node: str, measure: str, year: int | None, key: Any = "", count: int = 0, amount: Any = 0) -> None:
        organization = self.part.nodes.get(node)
        if organization is None:
            return
        entry = self.tallies[(organization, measure, year or ALL_YEARS, str(key))]
        entry[0] += count or 0
        entry[1] += amount or Decimal(0)

    def objects(self) -> Iterator[Tally]:
        """The tallies to store: zeros are left out (a missing tally reads as zero), except the rows that
        list a committee's calls, programmes and showcases."""
        for (organization, measure, year, key), (count, amount) in self.tallies.items():
            if count or amount or measure.endswith(".listed"):
                yield Tally(
                    organization_id=organization, year=year, measure=measure, key=key, count=count, amount=amount
                )


class Level:
    """One level of one part: the facts under the part's roots, grouped by their ancestor at `depth`."""

    def __init__(self, part: Part, root: Organization, depth: int) -> None:
        self.part, self.root, self.depth = part, root, depth

    @property
    def is_committee_level(self) -> bool:
        """Whether the organizations at this level are their own committee (counted with budgets etc.)."""
        return self.part.committee is None or self.depth == self.part.committee.depth

    def facts(self, rows: QuerySet[Any], organization: str) -> QuerySet[Any]:
        """`rows` under the root, each with `node`: its `organization`'s ancestor at this level."""
        return (
            rows.filter(
                **{f"{organization}__path__startswith": self.root.path, f"{organization}__depth__gte": self.depth}
            )
            .annotate(node=_at(self.depth, f"{organization}__path"))
            .order_by()
        )

    def in_committee(self, rows: QuerySet[Any], owner: str) -> QuerySet[Any]:
        """The `rows` (from `facts`) whose `owner` (a lookup to an organization) belongs to the committee of
        the row's node: the part's town committee, or above the towns the node itself. An equality of
        ancestors rather than a LIKE against a computed pattern, which no plan can do well."""
        if self.part.committee is not None:
            return rows.filter(**{f"{owner}__path__startswith": self.part.committee.path})
        return rows.annotate(owner_node=_at(self.depth, f"{owner}__path")).filter(
            **{f"{owner}__depth__gte": self.depth}, owner_node=F("node")
        )


def _count_projects(level: Level, rows: Rows) -> None:
    projects = level.facts(projects_selectors.all_projects(), "organization")
    sums = {name: Sum(name) for name in OUTCOME_FIELDS}
    for row in projects.values("node", "year", "type", "status").annotate(n=Count("id"), **sums):
        rows.add(row["node"], "projects", row["year"], f"{row['type']}:{row['status']}", row["n"])
        for name in OUTCOME_FIELDS:
            rows.add(row["node"], f"outcome.{name}", row["year"], "", row[name])

    if level.part.committee is not None and level.is_committee_level:
        # The committee's calls, each listed on its dashboards even where no one applied.
        for pk, year in projects_selectors.calls_in_subtree(level.root.path).values_list("id", "year"):
            rows.add(level.root.path, "call.listed", year, pk)
    applied = level.in_committee(
        level.facts(projects_selectors.all_projects(), "organization")
        .filter(call__isnull=False)
        .exclude(status__in=NOT_YET_PROJECTS),
        "call__organization",
    )
    # Per call for a committee's organizations; per year above them, where calls are many.
    call = ("call_id",) if level.part.committee else ()
    for row in applied.values("node", "call__year", "type", *call).annotate(n=Count("id")):
        key = f"{row.get('call_id', '')}:{row['type']}"
        rows.add(row["node"], "call.projects", row["call__year"], key, row["n"])
    for row in applied.values("node", "call__year", *call).annotate(n=Count("organization", distinct=True)):
        rows.add(row["node"], "call.organizations", row["call__year"], row.get("call_id", ""), row["n"])


def _count_needs(level: Level, rows: Rows) -> None:
    """A need counts in the subtrees of its committee and of its area, once where both meet."""
    needs = needs_selectors.needs_in_subtree(level.root)
    # Categories belong to a committee; above the committees the same names are counted together.
    category = ("category_id", "category__name") if level.part.committee else ("category__name",)
    by_committee = level.facts(needs, "organization")
    by_area = level.facts(needs.filter(area__isnull=False), "area").exclude(node=_at(level.depth, "organization__path"))
    for needs_at in (by_committee, by_area):
        grouped = needs_at.annotate(created=ExtractYear("created_at")).values(
            "node", "created", *category, "channel", "status"
        )
        # Answered: the submitter has had a reply (every step on a need, or a reply note, is one).
        answered = Count("id", filter=Q(first_response_at__isnull=False))
        for row in grouped.annotate(n=Count("id"), answered=answered):
            node, year, n = row["node"], row["created"], row["n"]
            rows.add(node, "needs.category", year, ":".join(str(row[name]) for name in category), n)
            rows.add(node, "needs.channel", year, row["channel"], n)
            rows.add(node, "needs.status", year, row["status"], n)
            rows.add(node, "needs.answered", year, "", row["answered"])


def _count_warnings(level: Level, rows: Rows) -> None:
    warnings = level.facts(supervision_selectors.warnings_in_subtree(level.root.path), "organization")
    for row in (
        warnings.annotate(raised=ExtractYear("raised_on")).values("node", "raised", "level").annotate(n=Count("id"))
    ):
        rows.add(row["node"], "warnings", row["raised"], row["level"], row["n"])


def _count_units(level: Level, rows: Rows) -> None:
    """Units with targets awarded, by kind: different units, per programme year and over all years."""
    claims = level.in_committee(
        level.facts(claims_selectors.awarded_claims_in_subtree(level.root.path), "organization"),
        "target__programme__organization",
    )
    units = Count("organization", distinct=True)
    for row in claims.values("node", "target__programme__year", "organization__kind").annotate(n=units):
        rows.add(row["node"], "units", row["target__programme__year"], row["organization__kind"], row["n"])
    for row in claims.values("node", "organization__kind").annotate(n=units):
        rows.add(row["node"], "units", ALL_YEARS, row["organization__kind"], row["n"])


def _count_programmes(level: Level, rows: Rows) -> None:
    """Each programme of a committee; above the committees, the programmes of each year together."""
    if not level.is_committee_level:
        return
    programmes = level.facts(programmes_selectors.programmes_in_subtree(level.root.path), "organization")
    if level.part.committee is not None:
        for pk, year, title in programmes.values_list("id", "year", "title"):
            rows.add(level.root.path, "programme.listed", year, f"{pk}:{title}")
    group = ("node", "year", "id") if level.part.committee else ("node", "year")
    # Annotations are named figure_* so none hides the relation it counts.
    figures = [
        programmes.values(*group).annotate(
            figure_targets=Count("targets"),
            figure_published=Count("targets", filter=offered("targets__")),
            figure_awarded=Count("targets", filter=Q(targets__status=TargetStatus.AWARDED)),
        ),
        programmes.values(*group).annotate(
            figure_sections=Count("sections"), figure_programmes=Count("id", distinct=True)
        ),
        programmes.values(*group).annotate(
            figure_claimed=Count(
                "targets", filter=Q(targets__claims__status__in=ClaimStatus.group("made")), distinct=True
            )
        ),
    ]
    if level.part.committee is not None:
        # Units that took a programme's targets, from the town's own organizations.
        awarded = Q(targets__claims__status=ClaimStatus.AWARDED) & Q(
            targets__claims__organization__path__startswith=level.part.committee.path
        )
        figures.append(
            programmes.values(*group).annotate(
                figure_units=Count("targets__claims__organization", filter=awarded, distinct=True)
            )
        )
    else:
        # Above the towns: different units in the node's subtree that took targets of its programmes, by year.
        claims = level.in_committee(
            level.facts(claims_selectors.awarded_claims_in_subtree(level.root.path), "organization"),
            "target__programme__organization",
        )
        for row in claims.values("node", "target__programme__year").annotate(n=Count("organization", distinct=True)):
            rows.add(row["node"], "programme.units", row["target__programme__year"], "", row["n"])
    for query in figures:
        for row in query:
            for name, value in row.items():
                if name.startswith("figure_"):
                    measure = f"programme.{name.removeprefix('figure_')}"
                    rows.add(row["node"], measure, row["year"], row.get("id", ""), value)


def _count_showcases(level: Level, rows: Rows) -> None:
    nominations = level.in_committee(
        level.facts(showcase_selectors.nominations_with_projects(), "organization"), "showcase__organization"
    )
    showcase = ("showcase_id",) if level.part.committee else ()
    if level.part.committee is not None and level.is_committee_level:
        showcases = showcase_selectors.showcases_in_subtree(level.root.path).values_list("id", "year", "theme")
        for pk, year, theme in showcases:
            rows.add(level.root.path, "showcase.listed", year, f"{pk}:{theme}")
    for row in nominations.values("node", "showcase__year", *showcase).annotate(n=Count("id"), votes=Sum("vote_count")):
        key = row.get("showcase_id", "")
        rows.add(row["node"], "showcase.nominations", row["showcase__year"], key, row["n"])
        rows.add(row["node"], "showcase.votes", row["showcase__year"], key, row["votes"])
    awarded = nominations.filter(award__isnull=False).values("node", "showcase__year", "award__level", *showcase)
    for row in awarded.annotate(n=Count("id")):
        key = f"{row.get('showcase_id', '')}:{row['award__level']}"
        rows.add(row["node"], "showcase.awards", row["showcase__year"], key, row["n"])


def _count_funds(level: Level, rows: Rows) -> None:
    """Budgets, and what was allocated and paid from them: to no project (counted with the committee's
    budget) and to the projects of each subtree."""
    net = Sum(signed_amount())
    paid_net = Sum(signed_amount())
    root = level.root.path
    if level.is_committee_level:
        budgets = level.facts(funds_selectors.budgets_in_subtree(root), "organization")
        for row in budgets.values("node", "year").annotate(total=Sum("amount")):
            rows.add(row["node"], "funds.budget", row["year"], amount=row["total"])
        general = level.facts(funds_selectors.allocations_in_subtree(root), "budget__organization").filter(
            project__isnull=True
        )
        for row in general.values("node", "budget__year").annotate(total=net):
            rows.add(row["node"], "funds.general_allocated", row["budget__year"], amount=row["total"])
        general_paid = level.facts(
            funds_selectors.approved_disbursements().filter(allocation__budget__organization__path__startswith=root),
            "allocation__budget__organization",
        ).filter(allocation__project__isnull=True)
        for row in general_paid.values("node", "allocation__budget__year").annotate(total=paid_net):
            rows.add(row["node"], "funds.general_paid", row["allocation__budget__year"], amount=row["total"])
    allocated = level.in_committee(
        level.facts(funds_selectors.allocations_in_subtree(""), "project__organization"), "budget__organization"
    )
    for row in allocated.values("node", "budget__year").annotate(total=net):
        rows.add(row["node"], "funds.allocated", row["budget__year"], amount=row["total"])
    paid = level.in_committee(
        level.facts(funds_selectors.approved_disbursements(), "allocation__project__organization"),
        "allocation__budget__organization",
    )
    for row in paid.values("node", "allocation__budget__year").annotate(total=paid_net):
        rows.add(row["node"], "funds.paid", row["allocation__budget__year"], amount=row["total"])


MEASURES = [
    _count_projects,
    _count_needs,
    _count_warnings,
    _count_units,
    _count_programmes,
    _count_showcases,
    _count_funds,
]


def _organization_figures(part: Part) -> list[OrganizationFigure]:
    """Each organization's own projects (not its subtree's), per year and over all years."""
    ids = list(part.nodes.values())
    projects = projects_selectors.all_projects().exclude(status__in=NOT_YET_PROJECTS)
    if part.committee is not None:
        projects = projects.filter(organization__path__startswith=part.committee.path)
    else:
        projects = projects.filter(organization_id__in=ids)
    sums = {
        "n": Count("id"),
        "concluded": Count("id", filter=Q(status=ProjectStatus.CONCLUDED)),
        "problems": Sum("problems_solved"),
        "people": Sum("beneficiaries"),
    }
    own = set(ids)
    figures: dict[tuple[int, int], OrganizationFigure] = {}
    per_year = projects.values_list("organization_id", "year").annotate(**sums).order_by()
    all_years = projects.values_list("organization_id").annotate(**sums).order_by()
    for organization, year, n, concluded, problems, people in [
        *per_year,
        *((pk, ALL_YEARS, *rest) for pk, *rest in all_years),
    ]:
        if organization in own:
            figures[(organization, year)] = OrganizationFigure(
                organization_id=organization,
                year=year,
                projects=n,
                concluded=concluded,
                problems_solved=problems or 0,
                beneficiaries=people or 0,
            )
    if part.committee is not None:
        awards = showcase_selectors.awards_in_subtree(part.committee.path).order_by()
    else:
        awards = showcase_selectors.awards_in_subtree("").filter(nomination__organization_id__in=ids).order_by()
    for organization, year, n in [
        *awards.values_list("nomination__organization_id", "nomination__showcase__year").annotate(n=Count("id")),
        *((pk, ALL_YEARS, n) for pk, n in awards.values_list("nomination__organization_id").annotate(n=Count("id"))),
    ]:
        if (organization, year) in figures:
            figures[(organization, year)].awards = n
    return list(figures.values())


def count_part(part: Part) -> Refresh:
    """Count every figure of the part again and replace its tallies.

    The part is marked as up to date before counting, so a change committed while it counts marks it
    again. The counting itself reads outside any transaction: a writer never waits for it. Only the
    replacement of the rows is one (short) transaction, and a count that finishes after a later one
    has been written is dropped."""
    started = time.monotonic()
    refresh = part.refresh()
    Refresh.objects.filter(pk=refresh.pk).update(changed_at=None)
    counted_at = timezone.now()
    try:
        rows = _count(part)
        figures = _organization_figures(part)
    except Exception:
        Refresh.objects.filter(pk=refresh.pk, changed_at__isnull=True).update(changed_at=counted_at)
        raise
    with transaction.atomic():
        refresh = Refresh.objects.select_for_update().get(pk=refresh.pk)
        if refresh.counted_at is not None and refresh.counted_at > counted_at:
            return refresh
        ids = list(part.nodes.values())
        for chunk in _chunks(ids, 5000):
            Tally.objects.filter(organization_id__in=chunk).delete()
            OrganizationFigure.objects.filter(organization_id__in=chunk).delete()
        Tally.objects.bulk_create(rows.objects(), batch_size=2000)
        OrganizationFigure.objects.bulk_create(figures, batch_size=2000)
        refresh.counted_at = counted_at
        refresh.seconds = round(time.monotonic() - started, 3)
        refresh.save(update_fields=["counted_at", "seconds"])
        # The pages showing these figures (dashboards, the public home) are read afresh.
        mark_changed_in_transaction([root.path for root in part.roots])
    logger.info("counted the figures of %s in %.1f s", part.committee or "the levels above", refresh.seconds)
    return refresh


def _count(part: Part) -> Rows:
    rows = Rows(part)
    for depth in part.depths:
        for root in part.roots:
            if depth >= root.depth:
                level = Level(part, root, depth)
                for measure in MEASURES:
                    measure(level, rows)
    return rows


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def count_all() -> list[Refresh]:
    return [count_part(part) for part in all_parts()]


def part_for(organization: Organization) -> Part:
    committee = committee_of(organization)
    return committee_part(committee) if committee is not None else upper_part()


def count_first(organization: Organization) -> Refresh:
    """Count the part that holds the organization's figures, never counted before (a new installation).
    Above the towns the ranking reads the towns' own figures too: towns never counted are counted first."""
    part = part_for(organization)
    if part.committee is None:
        counted = Refresh.objects.filter(counted_at__isnull=False, organization__isnull=False)
        towns = Organization.objects.filter(path__startswith=organization.path, kind__in=TOWN_KINDS).exclude(
            pk__in=counted.values("organization_id")
        )
        for town in towns.order_by("path"):
            count_part(committee_part(town))
    return count_part(part)


def count_changed(*, now: Any = None) -> list[Refresh]:
    """Count the parts marked as changed: committees at once, the levels above at most every
    FIGURES_UPPER_EVERY seconds (a later job is queued for them)."""
    now = now or timezone.now()
    counted: list[Refresh] = []
    changed = Refresh.objects.filter(changed_at__isnull=False).select_related("organization")
    for refresh in changed.filter(organization__isnull=False).order_by("changed_at"):
        assert refresh.organization is not None
        counted.append(count_part(committee_part(refresh.organization)))
    upper = changed.filter(organization__isnull=True).first()
    if upper is not None:
        due_at = upper.counted_at + _upper_every() if upper.counted_at else now
        if due_at <= now:
            counted.append(count_part(upper_part()))
        else:
            _queue(delay=(due_at - now).total_seconds())
    return counted


def _upper_every() -> timedelta:
    return timedelta(seconds=settings.FIGURES_UPPER_EVERY)


# Marking changes -------------------------------------------------------------------------------------


def changes(organization_ids: Iterable[int | None]) -> None:
    """Mark the parts whose figures count something of these organizations as changed, and queue the
    count; their kept pages are read afresh. Called once a transaction that wrote such things commits."""
    ids = {pk for pk in organization_ids if pk}
    if not ids:
        return
    paths = set(Organization.objects.filter(pk__in=ids).values_list("path", flat=True))
    # The activity log marks the pages too, but not every save is logged.
    mark_changed(paths)
    above = {prefix for path in paths for prefix in prefixes(path)}
    committees = list(Organization.objects.filter(path__in=above, kind__in=TOWN_KINDS))
    tops = {c.path for c in committees}
    # The levels above count everything below them, unless every path starts at a committee.
    reaches_upper = any(path[:STEP] not in tops for path in paths)
    parts: list[Organization | None] = [*committees, *([None] if reaches_upper else [])]
    now = timezone.now()
    newly = 0
    for committee in parts:
        Refresh.objects.get_or_create(organization=committee)
        newly += Refresh.objects.filter(organization=committee, changed_at__isnull=True).update(changed_at=now)
    if newly:
        _queue()


def _queue(delay: float = 0) -> None:
    """Queue the count, unless a count is already waiting to run."""
    waiting = Job.objects.filter(kind=JOB_KIND, status=JobStatus.QUEUED)
    if delay:
        if waiting.filter(run_after__gt=timezone.now()).exists():
            return
    elif waiting.filter(run_after__lte=timezone.now()).exists():
        return
    job_enqueue(kind=JOB_KIND, title=_("统计数据更新"), delay=delay)


@handler(JOB_KIND)
def _count_job(job: Job) -> None:
    count_changed()

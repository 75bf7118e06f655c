"""Reads about projects that pages, exports and other apps share.

Other apps use:
- `projects_visible_to(user)`: the projects a user may see (the same rule as `projects.view_project`);
- `overdue_reports()`, `overdue_milestones()` and `overdue_items()`: overdue work with its level
  (逾期, then 严重逾期 after `RED_AFTER_DAYS` days), for the 督办 list and warning rules.
"""

import datetime
import heapq
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce
from django.db.models.lookups import StartsWith
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projectize.core.models import ActivityLog
from projectize.core.pagination import COUNT_CAP
from projectize.orgs.models import Organization, Role, RoleGrant, User
from projectize.orgs.permissions import ORG_ROLES, grant_paths, has_role, scope_q
from projectize.orgs.selectors import committee_paths
from projectize.projects.models import (
    NOT_YET_PROJECTS,
    Acceptance,
    AcceptanceConclusion,
    AcceptanceStatus,
    Adoption,
    Call,
    CallStatus,
    ChangeRequest,
    Indicator,
    Milestone,
    MilestoneStatus,
    Partner,
    ProgressReport,
    Project,
    ProjectStatus,
    Promotion,
    ReportStatus,
    Satisfaction,
    TeamMember,
)
from projectize.projects.rules import OVERSIGHT_ROLES, PROJECT_ORG_ROLES, assigned_project_ids

# A warning turns red when the work is this many days overdue.
RED_AFTER_DAYS = 14
# Projects whose reports and milestones are being tracked.
RUNNING_STATUSES = ProjectStatus.group("running")


class OverdueLevel:
    """How late a report or milestone is. Called 逾期 on every page; 预警 (提醒、警示、通报) is the
    other thing, raised by supervision's warning rules."""

    YELLOW = "yellow"
    RED = "red"
    LABELS = {YELLOW: _("逾期"), RED: _("严重逾期")}


def warning_level(days_overdue: int) -> str:
    return OverdueLevel.RED if days_overdue >= RED_AFTER_DAYS else OverdueLevel.YELLOW


class IdIn(Func):
    """`id IN (subquery)` as PostgreSQL can use it beside other conditions on an index: written
    `id = ANY(ARRAY(subquery))`, the subquery runs once before the scan and its ids become an index
    condition on the primary key, so an OR of it with conditions on other indexed columns is one BitmapOr
    (a plain `IN (subquery)` is a filter applied to every row). Elsewhere the plain `IN`."""

    output_field = BooleanField()
    template = "%(expressions)s)"
    arg_joiner = " = ANY(ARRAY"

    def __init__(self, column: str, ids: QuerySet[Any]) -> None:
        # A set of ids: the order its model sorts by would only cost a sort.
        super().__init__(F(column), Subquery(ids.order_by()))

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # type: ignore[override]
        if connection.vendor != "postgresql":
            return super().as_sql(compiler, connection, template="%(expressions)s", arg_joiner=" IN ", **extra)
        return super().as_sql(compiler, connection, **extra)


def in_subtrees(user: User, roles: Iterable[str]) -> Q:
    """Projects whose organization lies in the user's subtrees for `roles`: a range of the project's own
    `organization_path` per subtree, which the list's index serves with no join."""
    return scope_q(user, roles, path="organization_path")


def projects_visible_to(user: User) -> QuerySet[Project]:
    """Town staff and leaders see their subtree's projects once applied for; an organization's people its
    projects, drafts too (and those it partners in); leaders the projects they lead; responsible people
    theirs; reviewers what is assigned to them; acceptance panel members the projects they accept.

    The subtrees are ranges of the project's own `organization_path`, which an index serves with no join.
    The projects a person sees for who they are to a project (leader, responsible person, panel member,
    partner, reviewer) nearly always lie in their subtrees already: one query finds those that do not
    (usually none), so that the filter is the subtrees alone and the list reads a range of its index
    instead of an OR no single index can serve. Two queries: the user's grants (read once per request)
    and that one."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Project.objects.none()
    if user.is_superuser:
        return Project.objects.all()
    subtrees = Q(pk__in=[])
    personal = [
        Q(lead_leader=user),
        Q(responsible=user),
        Q(IdIn("pk", Acceptance.objects.filter(panel=user).values("project"))),
    ]
    if has_role(user, OVERSIGHT_ROLES):
        subtrees |= in_subtrees(user, OVERSIGHT_ROLES) & ~Q(status=ProjectStatus.DRAFT)
    if has_role(user, PROJECT_ORG_ROLES):
        subtrees |= in_subtrees(user, PROJECT_ORG_ROLES)
        personal.append(Q(IdIn("pk", Partner.objects.filter(scope_q(user, PROJECT_ORG_ROLES)).values("project"))))
    if has_role(user, (Role.REVIEWER,)):
        personal.append(Q(IdIn("pk", assigned_project_ids(user))))
    # One part per way in, each read from its own index.
    parts = [Project.objects.filter(way).exclude(subtrees).order_by().values_list("pk", flat=True) for way in personal]
    besides = list(parts[0].union(*parts[1:], all=True))
    return Project.objects.filter(subtrees | Q(pk__in=besides) if besides else subtrees)


def visible_projects(user: User) -> QuerySet[Project]:
    """The projects' table's scope: what `projects_visible_to` gives."""
    return projects_visible_to(user)


def visible_calls(user: User) -> QuerySet[Call]:
    """Published calls of the committees above the user's organizations (the calls they may apply to) or in
    the subtrees they oversee, and the drafts of the committees where the user is town staff. Another town's
    calls are not the user's to see."""
    if getattr(user, "is_superuser", False):
        return Call.objects.all()
    step = Organization.steplen
    paths = grant_paths(user, Role.values)
    above = {path[:end] for path in paths for end in range(step, len(path) + 1, step)}
    # The committees that run calls are few: they are found first, by their paths, so that the calls are not
    # joined to every organization of a city.
    running = Organization.objects.filter(pk__in=Call.objects.values("organization"))
    readable = running.filter(Q(path__in=above) | scope_q(user, Role.values, field="")).values("pk")
    staffed = running.filter(scope_q(user, (Role.TOWN_ADMIN,), field="")).values("pk")
    published = ~Q(status=CallStatus.DRAFT) & Q(organization__in=readable)
    return Call.objects.filter(published | Q(organization__in=staffed))


def visible_reports(user: User) -> QuerySet[ProgressReport]:
    return ProgressReport.objects.filter(project__in=projects_visible_to(user).values("pk"))


def visible_change_requests(user: User) -> QuerySet[ChangeRequest]:
    return ChangeRequest.objects.filter(project__in=projects_visible_to(user).values("pk"))


def visible_acceptances(user: User) -> QuerySet[Acceptance]:
    return Acceptance.objects.filter(project__in=projects_visible_to(user).values("pk"))


def visible_milestones(user: User) -> QuerySet[Milestone]:
    return Milestone.objects.filter(project__in=projects_visible_to(user).values("pk"))


def applications_count() -> Any:
    """For annotating calls: how many applications each has (drafts and withdrawn ones aside), counted by
    the index of the call's projects for each call read."""
    applied = Project.objects.filter(call=OuterRef("pk")).exclude(status__in=NOT_YET_PROJECTS).order_by()
    return Coalesce(
        Subquery(applied.values("call").annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0
    )


def call_applications(user: User, call: Call) -> QuerySet[Project]:
    """The applications of a call that its page lists to the user: the committee's staff and leaders
    see every one submitted; anyone else only their own organization's (drafts too), never other
    organizations' titles, even those they review."""
    own = Project.objects.filter(in_subtrees(user, PROJECT_ORG_ROLES))
    if has_role(user, OVERSIGHT_ROLES, call.organization):
        own |= Project.objects.filter(in_subtrees(user, OVERSIGHT_ROLES)).exclude(status=ProjectStatus.DRAFT)
    return own.filter(call=call).select_related("organization").order_by("type", "code", "id")


def _open_reports(today: datetime.date) -> QuerySet[ProgressReport]:
    return ProgressReport.objects.filter(status__in=ReportStatus.group("to_hand_in"), due_date__lt=today)


def _open_milestones(today: datetime.date) -> QuerySet[Milestone]:
    return Milestone.objects.filter(status=MilestoneStatus.PENDING, due_date__lt=today)


def overdue_reports(today: datetime.date | None = None) -> QuerySet[ProgressReport]:
    """Reports past their due date that are not in (or were sent back), of running projects."""
    return (
        _open_reports(today or timezone.localdate())
        .filter(project__status__in=RUNNING_STATUSES)
        .select_related("project", "project__organization")
    )


def overdue_milestones(today: datetime.date | None = None) -> QuerySet[Milestone]:
    """Milestones past their date that nobody has assessed, of running projects."""
    return (
        _open_milestones(today or timezone.localdate())
        .filter(project__status__in=RUNNING_STATUSES)
        .select_related("project", "project__organization")
    )


def overdue_q(today: datetime.date | None = None) -> Q:
    """Filter for projects with any overdue report or milestone."""
    today = today or timezone.localdate()
    return Q(Exists(overdue_reports(today).filter(project=OuterRef("pk")))) | Q(
        Exists(overdue_milestones(today).filter(project=OuterRef("pk")))
    )


@dataclass(frozen=True)
class OverdueItem:
    project: Project
    kind: str  # "report" or "milestone"
    title: str
    due_date: datetime.date
    days: int
    level: str
    url: str
    pk: int

    @property
    def level_label(self) -> str:
        return str(OverdueLevel.LABELS[self.level])

    @property
    def key(self) -> str:
        """Names the item for the 督办 records kept on it: "report:12", "milestone:5"."""
        return f"{self.kind}:{self.pk}"


@dataclass(frozen=True)
class OverdueFollowUp:
    """What an app above projects keeps on overdue items and shows on each row of the 督办 list
    (supervision: the latest 督办 of the item and the buttons to 催办 or 督办 it). Projects imports no
    app above it: that app registers its follow-up at start-up (`add_overdue_follow_up`)."""

    # Rendered on each row with `item` (an OverdueItem) and `follow_up` (what `rows` gave for it).
    template: str
    # (one page of items, the reader) -> {item key: the row's context}, in a fixed number of queries.
    rows: Callable[[list[OverdueItem], User], Mapping[str, Any]]


_follow_ups: list[OverdueFollowUp] = []


def add_overdue_follow_up(follow_up: OverdueFollowUp) -> None:
    if follow_up not in _follow_ups:
        _follow_ups.append(follow_up)


def overdue_follow_ups(items: list[OverdueItem], user: User) -> list[list[tuple[str, Any]]]:
    """For each item, in order: the template and context of each registered follow-up."""
    parts = [(follow_up.template, follow_up.rows(items, user)) for follow_up in _follow_ups]
    return [[(template, rows.get(item.key)) for template, rows in parts] for item in items]


def _overdue_querysets(
    projects: QuerySet[Project] | None, organization: Organization | None, today: datetime.date
) -> tuple[QuerySet[ProgressReport], QuerySet[Milestone]]:
    """Overdue reports and milestones of the running projects among `projects` (within `organization`).
    The projects are one semi-join, their status and visibility read together from a projects' index,
    instead of a join for the status and a semi-join for the visibility (a second lookup of every row's
    project): the whole list's count is a third of the time."""
    running = (projects if projects is not None else Project.objects.all()).filter(status__in=RUNNING_STATUSES)
    if organization is not None:
        running = running.filter(organization_path__startswith=organization.path)
    within = Q(project__in=running.values("pk"))
    related = ("project", "project__organization")
    return (
        _open_reports(today).filter(within).select_related(*related),
        _open_milestones(today).filter(within).select_related(*related),
    )


def _report_item(r: ProgressReport, today: datetime.date) -> OverdueItem:
    days = (today - r.due_date).days
    title = str(_("第 %(n)s 期进展报告") % {"n": r.number})
    return OverdueItem(r.project, "report", title, r.due_date, days, warning_level(days), r.get_absolute_url(), r.pk)


def _milestone_item(m: Milestone, today: datetime.date) -> OverdueItem:
    days = (today - m.due_date).days
    url = m.project.get_absolute_url() + "#plan"
    return OverdueItem(m.project, "milestone", m.title, m.due_date, days, warning_level(days), url, m.pk)


def overdue_items(
    projects: QuerySet[Project] | None = None,
    organization: Organization | None = None,
    today: datetime.date | None = None,
) -> list[OverdueItem]:
    """Overdue reports and milestones, reddest and oldest first, limited to `projects` or an
    organization's subtree when given. Two queries; for a page or an export of known size (a list
    pages with `overdue_keys` instead)."""
    today = today or timezone.localdate()
    reports, milestones = _overdue_querysets(projects, organization, today)
    items = [_report_item(r, today) for r in reports] + [_milestone_item(m, today) for m in milestones]
    return sorted(items, key=lambda item: (-item.days, item.project.pk))


class OverdueRows:
    """The 督办 list's rows, (kind, pk, due_date, project_id), oldest due first (then by project), as a
    paginator reads them: `len()` counts each kind up to the paginator's cap, and a slice reads each kind in
    that order from its own index (`report_overdue_list`, `milestone_overdue_list`) only as far as the slice
    goes, then merges the two. A UNION of the two sorted as a whole: PostgreSQL does not merge two ordered
    index reads through it behind the visibility filter, and sorted every overdue item a reader sees (a city's
    ~500,000: 5.8 s) for each page of 50."""

    def __init__(self, parts: Iterable[QuerySet[Any]]) -> None:
        self.parts = list(parts)
        # Slices read, by (start, stop): the capped paginator asks for its page twice.
        self.read: dict[tuple[int | None, int | None], list[tuple[Any, ...]]] = {}

    def __len__(self) -> int:
        return sum(_capped_count(part) for part in self.parts)

    def __getitem__(self, index: slice) -> list[tuple[Any, ...]]:
        key = (index.start, index.stop)
        if key not in self.read:
            merged = heapq.merge(*(part[: index.stop] for part in self.parts), key=_overdue_order)
            self.read[key] = list(islice(merged, index.start, index.stop))
        return self.read[key]


def _overdue_order(row: tuple[Any, ...]) -> tuple[Any, ...]:
    kind, pk, due_date, project_id = row
    return due_date, project_id, kind, pk


def overdue_stream(projects: QuerySet[Project], today: datetime.date | None = None) -> Iterator[OverdueItem]:
    """The items of `overdue_keys` one by one, for an export of them all: each kind read in the list's order
    in chunks and merged, so that memory stays the same for a city's items as for a town's."""
    today = today or timezone.localdate()
    reports, milestones = _overdue_querysets(projects, None, today)
    order = ("due_date", "project_id", "pk")
    return heapq.merge(
        (_report_item(r, today) for r in reports.order_by(*order).iterator(chunk_size=2000)),
        (_milestone_item(m, today) for m in milestones.order_by(*order).iterator(chunk_size=2000)),
        key=lambda item: (item.due_date, item.project.pk, item.kind, item.pk),
    )


def overdue_keys(projects: QuerySet[Project] | None = None, today: datetime.date | None = None) -> OverdueRows:
    """The same items as `overdue_items`, in the same order, as (kind, pk, due_date, project_id) rows: a list
    pages and counts them in the database; `overdue_page` turns one page of them into items."""
    today = today or timezone.localdate()
    columns = ("kind", "pk", "due_date", "project_id")
    return OverdueRows(
        part.annotate(kind=Value(kind, output_field=CharField()))
        .order_by("due_date", "project_id", "pk")
        .values_list(*columns)
        for kind, part in zip(("report", "milestone"), _overdue_querysets(projects, None, today), strict=True)
    )


def overdue_counts(projects: QuerySet[Project] | None = None, today: datetime.date | None = None) -> tuple[int, int]:
    """How many items are overdue, and how many of them long overdue (严重逾期): counted in SQL as the 督办 list
    counts them, each kind up to COUNT_CAP + 1 rows, so that a city's hundreds of thousands cost what ten thousand
    do. A figure above COUNT_CAP means "more than COUNT_CAP"."""
    today = today or timezone.localdate()
    long_ago = today - datetime.timedelta(days=RED_AFTER_DAYS)
    parts = _overdue_querysets(projects, None, today)
    long_overdue = [part.filter(due_date__lte=long_ago) for part in parts]
    return sum(_capped_count(part) for part in parts), sum(_capped_count(part) for part in long_overdue)


def _capped_count(rows: QuerySet[Any]) -> int:
    return rows.order_by()[: COUNT_CAP + 1].count()


def overdue_page(rows: Any, today: datetime.date | None = None) -> list[OverdueItem]:
    """The items of one page of `overdue_keys`, in its order: two queries."""
    today = today or timezone.localdate()
    rows = list(rows)
    by_key: dict[tuple[str, int], OverdueItem] = {}
    report_ids = [pk for kind, pk, *_rest in rows if kind == "report"]
    milestone_ids = [pk for kind, pk, *_rest in rows if kind == "milestone"]
    for r in ProgressReport.objects.filter(pk__in=report_ids).select_related("project__organization"):
        by_key["report", r.pk] = _report_item(r, today)
    for m in Milestone.objects.filter(pk__in=milestone_ids).select_related("project__organization"):
        by_key["milestone", m.pk] = _milestone_item(m, today)
    return [by_key[kind, pk] for kind, pk, *_rest in rows if (kind, pk) in by_key]


def org_people(organization: Organization) -> QuerySet[User]:
    """The secretary and staff of an organization: they hear about its projects."""
    return User.objects.filter(is_active=True, grants__organization=organization, grants__role__in=ORG_ROLES).distinct()


def project_people(project: Project) -> list[User]:
    """Everyone concerned with a project: its organization's people, the leader and the responsible person."""
    people = list(org_people(project.organization))
    people += [u for u in (project.lead_leader, project.responsible) if u is not None]
    return people


def _count_of(model: Any, link: str = "project") -> Subquery:
    rows = model.objects.filter(**{link: OuterRef("pk")}).order_by().values(link)
    return Subquery(rows.annotate(n=Count("pk")).values("n"), output_field=IntegerField())


# The lists a project's page shows, by the related name its figure `<name>_count` counts.
PAGE_LISTS = {
    "indicators": Indicator,
    "milestones": Milestone,
    "team": TeamMember,
    "reports": ProgressReport,
    "change_requests": ChangeRequest,
    "acceptances": Acceptance,
}
# What the page reads of the application itself: its long texts are in the application panel.
APPLICATION_TEXTS = ("background", "approach", "measures", "expected_effects")


def leaders_of_committees_read_by(user: User) -> QuerySet[User]:
    """The committee leaders of the committees whose projects the user reads: a town's own leaders for its
    staff, secretaries and liaisons; every town's below a district for its staff and leaders. The project
    list's 牵头领导 filter offers these, never another town's names."""
    within = Q()
    if not user.is_superuser:
        within = Q(pk__in=[])
        for committee in set(committee_paths(grant_paths(user, (*OVERSIGHT_ROLES, *PROJECT_ORG_ROLES))).values()):
            within |= Q(grants__organization__path__startswith=committee)
    # One filter call: the role and the place are those of the same grant.
    return User.objects.filter(within, grants__role=Role.LEADER).distinct().order_by("last_name", "first_name")


def lead_leader_is_committee_leader() -> Exists:
    """Whether a project's lead leader is a committee leader over its organization (granted at it or above it):
    another town's leader is not its. As a condition on projects (the 五定 check reads it for one project)."""
    over = StartsWith(OuterRef("organization_path"), F("organization__path"))
    return Exists(RoleGrant.objects.filter(over, user=OuterRef("lead_leader"), role=Role.LEADER))


def project_for_page() -> QuerySet[Project]:
    """Projects as their page reads them: with organization, call (and its committee), people, origin and
    promotion, and how many rows each list of the page holds (`<list>_count`, counted by index in the same
    query), so that the page reads no empty list."""
    counts = {f"{name}_count": Coalesce(_count_of(model), 0) for name, model in PAGE_LISTS.items()}
    return (
        Project.objects.select_related(
            "organization", "call__organization", "lead_leader", "responsible", "seeded_from", "promotion"
        )
        .defer(*APPLICATION_TEXTS)
        .annotate(
            **counts,
            links_count=Coalesce(_count_of(Partner), 0) + Coalesce(_count_of(Project, "seeded_from"), 0),
            lead_leader_is_leader=lead_leader_is_committee_leader(),
        )
    )


@dataclass(frozen=True)
class ProjectLinks:
    """The organizations that carry a project with its own, and the projects it seeded (name, url)."""

    partners: list[str]
    seeded: list[tuple[str, str]]


def project_links(project: Project) -> ProjectLinks:
    """The project's partner organizations and the projects it seeded, in one query (none when the page's
    figure `links_count` says there are none)."""
    if getattr(project, "links_count", 1) == 0:
        return ProjectLinks([], [])
    kind = CharField()
    partners = Partner.objects.filter(project=project).values_list(
        Value("partner", output_field=kind), "organization__name", "organization_id", Value("", output_field=kind)
    )
    seeded = Project.objects.filter(seeded_from=project).values_list(
        Value("seeded", output_field=kind), "title", "pk", Cast("code", kind)
    )
    rows = sorted(partners.order_by().union(seeded.order_by(), all=True), key=lambda row: row[2])
    return ProjectLinks(
        partners=[name for what, name, _pk, _code in rows if what == "partner"],
        seeded=[
            (f"{code} {title}" if code else title, reverse("projects:detail", args=[pk]))
            for what, title, pk, code in rows
            if what == "seeded"
        ],
    )


# What a row of the project list shows: the sort carries ids only, and the page reads these columns of
# its own rows (not the application's long texts).
LIST_COLUMNS = (
    *("code", "title", "year", "type", "status", "progress"),
    *("organization__name", "lead_leader__last_name", "lead_leader__first_name", "lead_leader__username"),
)


def project_page(ids: QuerySet[Any], ordering: Iterable[str]) -> list[Project]:
    """The rows of one page of the project list: `ids` is the page's slice of the filtered, sorted ids
    (a subquery: the database sorts ids and narrow columns only), `ordering` the list's order. One query."""
    rows = Project.objects.filter(pk__in=ids).select_related("organization", "lead_leader").only(*LIST_COLUMNS)
    return list(rows.order_by(*ordering))


def attach_overdue(projects: Any, today: datetime.date | None = None) -> None:
    """Set `warning` (None, yellow or red) on each project of a page: two queries for the whole page."""
    today = today or timezone.localdate()
    ids = [p.pk for p in projects]
    oldest: dict[int, datetime.date] = {}
    for rows in (
        overdue_reports(today).filter(project__in=ids).values_list("project", "due_date"),
        overdue_milestones(today).filter(project__in=ids).values_list("project", "due_date"),
    ):
        for project_id, due in rows:
            oldest[project_id] = min(due, oldest.get(project_id, due))
    for project in projects:
        oldest_due = oldest.get(project.pk)
        project.warning = warning_level((today - oldest_due).days) if oldest_due else None


def project_timeline(project: Project, limit: int = 300, decisions: bool = True) -> QuerySet[ActivityLog]:
    """One timeline: entries on the project and on its reports, change requests, acceptances and
    milestones; without the committee's discussions unless `decisions` (they are for the committee and
    applicant). One query, however long the history: the children's ids are subqueries, and the log's
    index on (target type, target id, time) serves each part."""
    query = Q(target_type=ContentType.objects.get_for_model(Project), target_id=str(project.pk))
    for model in (ProgressReport, ChangeRequest, Acceptance, Milestone):
        # The log names its targets by text: the children's ids are compared as text.
        ids = model.objects.filter(project=project).order_by().values(text_id=Cast("pk", CharField()))
        query |= Q(target_type=ContentType.objects.get_for_model(model), target_id__in=ids)
    entries = ActivityLog.objects.filter(query)
    if not decisions:
        entries = entries.exclude(action="project.discussed")
    return entries.select_related("actor").order_by("-created_at", "-id")[:limit]


def project_overdue_items(project: Project, today: datetime.date | None = None) -> list[OverdueItem]:
    """`overdue_items` of one project from its reports and milestones as loaded (the project page prefetches
    them): no query of its own there."""
    today = today or timezone.localdate()
    if project.status not in RUNNING_STATUSES:
        return []
    to_hand_in = ReportStatus.group("to_hand_in")
    items = [_report_item(r, today) for r in project.reports.all() if r.status in to_hand_in and r.due_date < today] + [
        _milestone_item(m, today)
        for m in project.milestones.all()
        if m.status == MilestoneStatus.PENDING and m.due_date < today
    ]
    return sorted(items, key=lambda item: (-item.days, item.project.pk))


def satisfaction_counts(acceptance: Acceptance) -> list[dict[str, Any]]:
    """问: each satisfaction level with its interview count, online count and the two together."""
    online = dict(
        acceptance.survey_responses.values_list("satisfaction").annotate(n=Count("id")).values_list("satisfaction", "n")
    )
    interviews = {
        Satisfaction.SATISFIED: acceptance.interview_satisfied,
        Satisfaction.FAIRLY: acceptance.interview_fairly,
        Satisfaction.BASIC: acceptance.interview_basic,
        Satisfaction.UNSATISFIED: acceptance.interview_unsatisfied,
    }
    return [
        {
            "level": level,
            "label": level.label,
            "interviews": interviews[level],
            "online": online.get(level.value, 0),
            "total": interviews[level] + online.get(level.value, 0),
        }
        for level in Satisfaction
    ]


# Read by the reports and the portal ------------------------------------------------------------


def all_projects() -> QuerySet[Project]:
    return Project.objects.all()


def projects_in_subtree(path: str) -> QuerySet[Project]:
    """Projects of the organization at `path` and of every organization under it."""
    return Project.objects.filter(organization_path__startswith=path)


def public_projects() -> QuerySet[Project]:
    """Projects the public follows: started and not failed."""
    return Project.objects.filter(status__in=ProjectStatus.group("public"))


def calls_in_subtree(path: str) -> QuerySet[Call]:
    """Calls of the organization at `path` and of every organization under it."""
    return Call.objects.filter(organization__path__startswith=path)


def acceptances_newest_first() -> QuerySet[Acceptance]:
    return Acceptance.objects.order_by("-scheduled_on", "-id")


def promotions_with_projects() -> QuerySet[Promotion]:
    """Promoted practices, each with its project and the project's organization."""
    return Promotion.objects.select_related("project__organization")


def adoptions_in_order() -> QuerySet[Adoption]:
    """Adoptions of promoted practices, first adopted first, with the adopting organization."""
    return Adoption.objects.select_related("organization").order_by("adopted_on", "id")


# Read by funds, supervision and showcase -------------------------------------------------------


def projects_by_pk(pks: set[int]) -> dict[int, Project]:
    """The projects with these ids, by id, in one query."""
    return Project.objects.in_bulk(pks)


def projects_with_organization() -> QuerySet[Project]:
    """Every project with its organization, e.g. for `get_object_or_404(..., pk=pk)`."""
    return Project.objects.select_related("organization")


def projects_where_user_holds(user: User, roles: Iterable[str]) -> QuerySet[Project]:
    """Projects of the organizations (and their subtrees) where the user holds one of `roles`."""
    return Project.objects.filter(in_subtrees(user, roles))


def failed_acceptances() -> QuerySet[Acceptance]:
    """Concluded acceptances that failed, each with its project and the project's organization."""
    return Acceptance.objects.filter(
        status=AcceptanceStatus.CONCLUDED, conclusion=AcceptanceConclusion.FAILED
    ).select_related("project__organization")

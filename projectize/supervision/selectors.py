"""Reads of supervision that pages, exports and other apps share.

Other apps use `accountability_summary(organization, year)` (the secretary's annual review).
"""

import calendar
import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from projectize.orgs.models import Organization, Role, User
from projectize.orgs.permissions import ORG_ROLES, scope_q
from projectize.projects import selectors as projects
from projectize.projects.models import Project
from projectize.supervision.models import (
    AccountabilityRecord,
    Activity,
    FollowUp,
    ItemStatus,
    Letter,
    LetterItem,
    LetterStatus,
    ProjectWarning,
    ProjectWarningLevel,
)

# Letters out with the addressed organization, waiting for its answers.
OPEN_LETTER_STATUSES = LetterStatus.group("open")
DONE_ITEMS = ItemStatus.group("done")


def letter_recipients(letter: Letter) -> list[User]:
    """Who a letter goes to: the addressed organization's secretary and staff (a town committee's admins,
    for a district's letter to it), and the 责任人."""
    people = list(projects.org_people(letter.organization))
    if letter.organization.is_committee:
        admins = User.objects.filter(
            is_active=True, grants__organization=letter.organization, grants__role=Role.TOWN_ADMIN
        ).distinct()
        people.extend(admin for admin in admins if admin not in people)
    if letter.responsible is not None:
        people.append(letter.responsible)
    return people


def _late_items(today: datetime.date) -> QuerySet[LetterItem]:
    """Items of the outer letter past their deadline that have not passed verification."""
    return LetterItem.objects.filter(letter=OuterRef("pk"), deadline__lt=today).exclude(status__in=DONE_ITEMS)


def overdue_items_q(today: datetime.date | None = None) -> Q:
    """Open letters with an item past its deadline that has not passed verification."""
    return Q(status__in=OPEN_LETTER_STATUSES) & Q(Exists(_late_items(today or timezone.localdate())))


def with_overdue(letters: QuerySet[Letter]) -> QuerySet[Letter]:
    """Each letter with `is_overdue` and its items counted (all accepted is `accepted_count == item_count`)."""
    return letters.annotate(
        is_overdue=Q(status__in=OPEN_LETTER_STATUSES) & Q(Exists(_late_items(timezone.localdate()))),
        item_count=Count("items", distinct=True),
        accepted_count=Count("items", filter=Q(items__status__in=DONE_ITEMS), distinct=True),
    )


def letters_visible_to(user: User) -> QuerySet[Letter]:
    """Staff see the letters their committee issued, drafts too; staff and leaders see the letters sent in
    their subtree (a town's admins, the district's letters to their town), an organization the letters sent
    to it, the 责任人 those addressed to them, never drafts (as the `supervision.view_letter` rule)."""
    staff = scope_q(user, (Role.TOWN_ADMIN,), field="issuer")
    readers = scope_q(user, (Role.TOWN_ADMIN, Role.LEADER, *ORG_ROLES)) | Q(responsible=user)
    return Letter.objects.filter(staff | (readers & ~Q(status__in=LetterStatus.group("editable"))))


def items_visible_to(user: User) -> QuerySet[LetterItem]:
    """The items of the letters the user may see."""
    return LetterItem.objects.filter(letter__in=letters_visible_to(user))


def letter_list(user: User, *, status: str = "", overdue: bool = False, query: str = "") -> QuerySet[Letter]:
    letters = letters_visible_to(user)
    if status:
        letters = letters.filter(status=status)
    if overdue:
        letters = letters.filter(overdue_items_q())
    if query:
        letters = letters.filter(Q(title__icontains=query) | Q(project__title__icontains=query))
    return with_overdue(letters.select_related("organization", "project", "responsible", "issuer")).order_by(
        "-created_at", "-id"
    )


def activity_list(user: User, *, kind: str = "", month: datetime.date | None = None) -> QuerySet[Activity]:
    activities = Activity.objects.filter(scope_q(user, (Role.TOWN_ADMIN, Role.LEADER)))
    if kind:
        activities = activities.filter(kind=kind)
    if month is not None:
        activities = activities.filter(date__year=month.year, date__month=month.month)
    return activities.annotate(project_count=Count("findings", distinct=True)).order_by("-date", "-id")


@dataclass
class CalendarDay:
    date: datetime.date
    in_month: bool
    activities: list[Activity] = field(default_factory=list)


def month_calendar(user: User, month: datetime.date) -> list[list[CalendarDay]]:
    """Weeks (Monday first) of the month, each day with its activities: one query for the month."""
    by_day: dict[datetime.date, list[Activity]] = {}
    for activity in activity_list(user, month=month):
        by_day.setdefault(activity.date, []).append(activity)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    return [
        [CalendarDay(day, day.month == month.month, sorted(by_day.get(day, []), key=lambda a: a.pk)) for day in week]
        for week in weeks
    ]


# Who reads warnings and accountability records: town staff and leaders, and the organization's own people.
READER_ROLES = (Role.TOWN_ADMIN, Role.LEADER, *ORG_ROLES)


def warning_list(user: User, *, level: str = "", organization: Organization | None = None) -> QuerySet[ProjectWarning]:
    warnings = ProjectWarning.objects.filter(scope_q(user, READER_ROLES))
    if level:
        warnings = warnings.filter(level=level)
    if organization is not None:
        warnings = warnings.filter(organization=organization)
    return warnings.select_related("organization", "project", "rule")


def follow_up_context(items: Sequence[projects.OverdueItem]) -> tuple[dict[str, FollowUp], dict[int, Letter]]:
    """For a page of overdue items: the latest 督办 of each item, and each project's latest letter not yet
    closed. Two queries, whatever the page holds."""
    latest: dict[str, FollowUp] = {}
    for record in FollowUp.objects.filter(item__in=[i.key for i in items]).select_related("actor"):
        latest.setdefault(record.item, record)
    letters: dict[int, Letter] = {}
    open_letters = Letter.objects.filter(project__in={i.project.pk for i in items}).exclude(status=LetterStatus.CLOSED)
    for letter in open_letters.order_by("-created_at", "-id"):
        letters.setdefault(letter.project_id, letter)
    return latest, letters


def accountable_people(organization: Organization | None, project: Project | None = None) -> QuerySet[User]:
    """Who a 问责 record may name: the people holding a role in the organization held to account, or in
    the project's organization. Nobody until one of them is chosen. One query, whatever the size."""
    organizations = [o.pk for o in (organization, getattr(project, "organization", None)) if o is not None]
    if not organizations:
        return User.objects.none()
    return (
        User.objects.filter(is_active=True, grants__organization__in=organizations)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def record_list(user: User) -> QuerySet[AccountabilityRecord]:
    records = AccountabilityRecord.objects.filter(scope_q(user, READER_ROLES))
    return records.select_related("organization", "project", "person", "recorded_by")


@dataclass(frozen=True)
class AccountabilitySummary:
    organization: Organization
    year: int
    reminders: int
    cautions: int
    circulars: int
    records: int
    letters: int
    letters_overdue: int
    items: int
    items_accepted: int

    @property
    def warnings(self) -> int:
        return self.reminders + self.cautions + self.circulars


def accountability_summary(organization: Organization, year: int) -> AccountabilitySummary:
    """激励与问责 in one organization's year, for its secretary's annual review: warnings by level,
    问责 records, and feedback letters received with how many of their items passed. Four queries."""
    warnings = ProjectWarning.objects.filter(organization=organization, raised_on__year=year).aggregate(
        reminders=Count("id", filter=Q(level=ProjectWarningLevel.REMINDER)),
        cautions=Count("id", filter=Q(level=ProjectWarningLevel.CAUTION)),
        circulars=Count("id", filter=Q(level=ProjectWarningLevel.CIRCULAR)),
    )
    records = AccountabilityRecord.objects.filter(organization=organization, date__year=year).count()
    letters = Letter.objects.filter(organization=organization, issued_on__year=year).aggregate(
        letters=Count("id"), letters_overdue=Count("id", filter=overdue_items_q())
    )
    items = LetterItem.objects.filter(letter__organization=organization, letter__issued_on__year=year).aggregate(
        items=Count("id"), items_accepted=Count("id", filter=Q(status__in=DONE_ITEMS))
    )
    return AccountabilitySummary(organization=organization, year=year, records=records, **warnings, **letters, **items)


# Read by the reports ---------------------------------------------------------------------------


def letters_in_subtree(path: str) -> QuerySet[Letter]:
    """Supervision letters to the organization at `path` and to every organization under it."""
    return Letter.objects.filter(organization__path__startswith=path)


def letter_items_in_order() -> QuerySet[LetterItem]:
    return LetterItem.objects.order_by("number")


def warnings_in_subtree(path: str) -> QuerySet[ProjectWarning]:
    """Warnings raised on the organization at `path` and on every organization under it."""
    return ProjectWarning.objects.filter(organization__path__startswith=path)

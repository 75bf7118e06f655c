"""Reads of the review engine, shared by pages, other apps and exports.

- `rubric_for(organization=, purpose=)`: the rubric another app should use.
- `reviewing_organization(subject)`: whose town admins run the subject's reviews.
- `review_result(review)` / `subject_result(subject)`: total, grade (after the top-grade quota) and
  per-criterion means.
- `ranking(rubric=, subjects=)`: several subjects on one rubric, ranked, with the top-grade quota.
- `assigned_reviews(user)`, `is_assigned_reviewer(user, subject)`: for "reviewers see only what is
  assigned to them" in other apps' permission rules.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Max,
    Min,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from projectize.core.models import ActivityLog
from projectize.orgs.models import Organization, Role, RoleGrant, User
from projectize.orgs.permissions import organization_of, scope_q
from projectize.reviews.models import (
    SCORE_PLACES,
    Aggregation,
    Assignment,
    AssignmentStatus,
    Criterion,
    GradeBand,
    Review,
    ReviewStatus,
    Rubric,
    Score,
    ScoreSheet,
)


def _count_of(model: Any) -> Coalesce:
    """Rows of `model` pointing at the outer rubric, as a subquery (joining both would multiply rows)."""
    rows = model.objects.filter(rubric=OuterRef("pk")).order_by().values("rubric").annotate(n=Count("pk"))
    return Coalesce(Subquery(rows.values("n")), 0)


def rubric_list(user: User, *, purpose: str = "", query: str = "") -> QuerySet[Rubric]:
    """Rubrics of the committees where the user is a town admin, with their criteria counted."""
    rubrics = (
        Rubric.objects.filter(scope_q(user, [Role.TOWN_ADMIN]))
        .select_related("organization")
        .annotate(criteria_count=_count_of(Criterion), reviews_count=_count_of(Review))
        .order_by("-is_active", "purpose", "name", "id")
    )
    if purpose:
        rubrics = rubrics.filter(purpose=purpose)
    if query:
        rubrics = rubrics.filter(name__icontains=query)
    return rubrics


def reviewing_organization(subject: Any) -> Organization | None:
    """The organization whose town admins run the subject's reviews: its `running_organization` where the
    subject's app names one (a project of a district's call is reviewed by the district's staff, not by its
    applicant's town), else its organization."""
    running: Organization | None = getattr(subject, "running_organization", None)
    return running or organization_of(subject)


def rubric_for(*, organization: Organization, purpose: str) -> Rubric | None:
    """The active rubric with `purpose` of the organization or its nearest ancestor (newest first).

    Other apps call this to find their rubric, e.g. `rubric_for(organization=call.organization,
    purpose="application")`.
    """
    step = Organization.steplen
    paths = [organization.path[:end] for end in range(step, len(organization.path) + 1, step)]
    return (
        Rubric.objects.filter(purpose=purpose, is_active=True, organization__path__in=paths)
        .order_by("-organization__depth", "-created_at", "-id")
        .first()
    )


# The roles offered when staff pick reviewers; experts come first.
REVIEWER_ROLES = (Role.REVIEWER, Role.LEADER)


def reviewer_candidates(staff: User) -> QuerySet[User]:
    """Experts, then committee leaders, in the organizations the staff member runs, each with their
    in-scope grants (role and organization, for the picker's labels) prefetched as `picker_grants`."""
    grants = RoleGrant.objects.filter(scope_q(staff, [Role.TOWN_ADMIN]), role__in=REVIEWER_ROLES)
    experts = grants.filter(user=OuterRef("pk"), role=Role.REVIEWER)
    return (
        User.objects.filter(pk__in=grants.values("user"), is_active=True)
        .annotate(is_expert=Exists(experts))
        .prefetch_related(
            Prefetch(
                "grants",
                queryset=grants.select_related("organization").order_by("role", "organization__path"),
                to_attr="picker_grants",
            )
        )
        .order_by("-is_expert", "last_name", "first_name", "username")
    )


def reviews_run_by(user: User) -> QuerySet[Review]:
    """The reviews of the committees where the user is a town admin: the ones they run."""
    return Review.objects.filter(scope_q(user, [Role.TOWN_ADMIN]))


def assignments_of(user: User) -> QuerySet[Assignment]:
    """A reviewer's own assignments: nobody else acts on them."""
    return Assignment.objects.filter(reviewer=user)


# What is logged on the subject about its reviews (their steps are logged on the review and its assignments).
SUBJECT_ACTIONS = ("review.open", "review.add_reviewers")


def review_history(review: Review) -> QuerySet[ActivityLog]:
    """The review's record, newest first: its opening and added reviewers (logged on the subject, within
    the review's time), each reviewer's declaration, decline or sheet, and its closing."""

    def of(model: Any) -> int:
        return ContentType.objects.get_for_model(model).pk

    on_subject = Q(
        target_type_id=review.subject_type_id,
        target_id=str(review.subject_id),
        action__in=SUBJECT_ACTIONS,
        created_at__gte=review.created_at,
    )
    if review.closed_at is not None:
        on_subject &= Q(created_at__lte=review.closed_at)
    assignments = [str(pk) for pk in review.assignments.values_list("pk", flat=True)]
    query = (
        on_subject
        | Q(target_type_id=of(Review), target_id=str(review.pk))
        | Q(target_type_id=of(Assignment), target_id__in=assignments)
    )
    return ActivityLog.objects.filter(query).select_related("actor").order_by("-created_at", "-id")


def reviews_of(subject: Any) -> QuerySet[Review]:
    return Review.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
    ).select_related("rubric")


def assigned_reviews(user: User, *, status: str = "") -> QuerySet[Assignment]:
    """The user's assignments across all subject types, work still to do first.

    `status` is "todo" (to declare or to score, in open reviews), "done", or "" for all.
    """
    assignments = Assignment.objects.filter(reviewer=user).select_related("review__rubric", "review__subject_type")
    todo = Q(status__in=AssignmentStatus.group("todo"), review__status__in=ReviewStatus.group("open"))
    if status == "todo":
        assignments = assignments.filter(todo)
    elif status == "done":
        assignments = assignments.exclude(todo)
    # Work still to do first, nearest deadline first; then the rest, newest first.
    return assignments.annotate(done=Case(When(todo, then=Value(0)), default=Value(1))).order_by(
        "done", F("review__deadline").asc(nulls_last=True), "-id"
    )


def pending_count(user: User) -> int:
    return assigned_reviews(user, status="todo").count()


def is_assigned_reviewer(user: User, subject: Any, *, declared: bool = True) -> bool:
    """Whether `user` reviews `subject`. With `declared` (the default) only once they have declared
    no conflict of interest: a reviewer sees the subject's details only after that."""
    if not getattr(user, "is_authenticated", False):
        return False
    statuses = [*AssignmentStatus.group("declared")]
    if not declared:
        statuses += AssignmentStatus.group("to_declare")
    return Assignment.objects.filter(
        reviewer=user,
        status__in=statuses,
        review__subject_type=ContentType.objects.get_for_model(subject),
        review__subject_id=subject.pk,
    ).exists()


def _of_subjects(model: type[Model], ids: Iterable[int] | QuerySet[Any], prefix: str = "") -> Q:
    return Q(**{f"{prefix}subject_type": ContentType.objects.get_for_model(model), f"{prefix}subject_id__in": ids})


def open_reviews(*, rubric: Rubric, model: type[Model], ids: Iterable[int] | QuerySet[Any]) -> QuerySet[Review]:
    """The open reviews on `rubric` of the subjects of `model` among `ids` (e.g. a showcase's nominations)."""
    return Review.objects.filter(_of_subjects(model, ids), rubric=rubric, status__in=ReviewStatus.group("open"))


def scored_subject_ids(*, rubric: Rubric | None, model: type[Model]) -> QuerySet[Any]:
    """Ids (as a subquery) of the subjects of `model` with at least one sheet on `rubric`."""
    sheets = ScoreSheet.objects.filter(
        assignment__review__subject_type=ContentType.objects.get_for_model(model), assignment__review__rubric=rubric
    )
    return sheets.values("assignment__review__subject_id")


def sheet_progress(
    *, rubric: Rubric | None, model: type[Model], ids: Iterable[int] | QuerySet[Any]
) -> dict[int, tuple[int, int]]:
    """For each subject of `model` among `ids` reviewed on `rubric`: (sheets submitted, reviewers asked
    who have not declined), in one query."""
    rows = (
        Assignment.objects.filter(_of_subjects(model, ids, "review__"), review__rubric=rubric)
        .exclude(status__in=AssignmentStatus.group("declined"))
        .values("review__subject_id")
        .annotate(asked=Count("id"), done=Count("sheet"))
    )
    return {row["review__subject_id"]: (row["done"], row["asked"]) for row in rows}


@dataclass(frozen=True)
class Spread:
    """How many numbers, their sum, highest and lowest: enough for a plain or a trimmed mean, and
    all computed in SQL."""

    count: int
    total: Decimal | None
    high: Decimal | None
    low: Decimal | None

    def mean(self, *, trim: bool) -> Decimal | None:
        """The mean; with `trim` and at least 3 numbers, the highest and the lowest are dropped first."""
        if not self.count or self.total is None:
            return None
        if trim and self.count >= MIN_SHEETS_TO_TRIM and self.high is not None and self.low is not None:
            return _round((self.total - self.high - self.low) / (self.count - 2))
        return _round(self.total / self.count)


# Dropping the highest and the lowest needs at least one score left between them.
MIN_SHEETS_TO_TRIM = 3


@dataclass(frozen=True)
class CriterionMean:
    criterion: Criterion
    # The criterion's average score (trimmed when the rubric trims per criterion and 3 or more sheets are in).
    mean: Decimal | None
    # For a criterion scored by bands: the average coefficient behind that score, trimmed the same way.
    coefficient: Decimal | None = None


@dataclass(frozen=True)
class ReviewResult:
    review: Review
    sheets: int
    total: Decimal | None
    # The grade after the top-grade quota: the one every page, export and notice shows.
    grade: str
    # True when the highest and lowest were dropped (trimmed mean with 3 or more sheets).
    trimmed: bool
    criteria: list[CriterionMean]
    # The grade the total earns on its own, when the top-grade quota moved it down.
    grade_before_quota: str = ""

    @property
    def is_final(self) -> bool:
        return self.review.status in ReviewStatus.group("final")

    @property
    def quota_applied(self) -> bool:
        return bool(self.grade_before_quota)

    @property
    def trims_per_criterion(self) -> bool:
        return self.review.rubric.aggregation == Aggregation.TRIMMED_PER_CRITERION


def review_total(rubric: Rubric, sheets: Spread, criteria: dict[int, Spread]) -> tuple[Decimal | None, bool]:
    """The review's total from its sheets' totals, or from each criterion's trimmed mean, as the
    rubric says; and whether anything was trimmed."""
    trims = sheets.count >= MIN_SHEETS_TO_TRIM
    if rubric.aggregation == Aggregation.TRIMMED_PER_CRITERION:
        if not sheets.count:
            return None, False
        means = (spread.mean(trim=True) for spread in criteria.values())
        return sum((mean for mean in means if mean is not None), Decimal(0)), trims
    trim = rubric.aggregation == Aggregation.TRIMMED
    return sheets.mean(trim=trim), trim and trims


def _round(value: Decimal) -> Decimal:
    return Decimal(value).quantize(SCORE_PLACES, rounding=ROUND_HALF_UP)


def _criterion_spreads(scores: QuerySet[Score], *group: str) -> QuerySet[Any]:
    """Per (group, criterion): the spread of the scores and of the coefficients behind them."""
    return (
        scores.order_by()
        .values(*group, "criterion")
        .annotate(
            count=Count("value"),
            total=Sum("value"),
            high=Max("value"),
            low=Min("value"),
            c_count=Count("coefficient"),
            c_total=Sum("coefficient"),
            c_high=Max("coefficient"),
            c_low=Min("coefficient"),
        )
    )


def review_result(review: Review) -> ReviewResult:
    rubric = review.rubric
    stats = ScoreSheet.objects.filter(assignment__review=review).aggregate(
        n=Count("id"), sum=Sum("total"), high=Max("total"), low=Min("total")
    )
    sheets = Spread(stats["n"], stats["sum"], stats["high"], stats["low"])
    rows = {row["criterion"]: row for row in _criterion_spreads(Score.objects.filter(sheet__assignment__review=review))}
    scores = {pk: Spread(row["count"], row["total"], row["high"], row["low"]) for pk, row in rows.items()}
    coefficients = {pk: Spread(row["c_count"], row["c_total"], row["c_high"], row["c_low"]) for pk, row in rows.items()}
    total, trimmed = review_total(rubric, sheets, scores)
    # Per-criterion averages are trimmed only when the rubric trims per criterion.
    trim = rubric.aggregation == Aggregation.TRIMMED_PER_CRITERION
    grades = list(rubric.grades.all())
    grade = rubric.grade_for(total, grades)
    before_quota = ""
    if grades and grade == grades[0].name and rubric.top_grade_quota is not None:
        # The quota ranks the year's cohort on this rubric, the same one the ranking page shows.
        cohort = ranking(rubric=rubric, year=timezone.localtime(review.created_at).year)
        ranked = next((row for row in cohort if row.review == review), None)
        if ranked is not None and ranked.quota_applied:
            grade, before_quota = ranked.grade, ranked.grade_before_quota
    return ReviewResult(
        review=review,
        sheets=sheets.count,
        total=total,
        grade=grade,
        trimmed=trimmed,
        grade_before_quota=before_quota,
        criteria=[
            CriterionMean(
                criterion,
                scores[criterion.pk].mean(trim=trim) if criterion.pk in scores else None,
                coefficients[criterion.pk].mean(trim=trim) if criterion.pk in coefficients else None,
            )
            for criterion in rubric.criteria.all()
        ],
    )


def subject_result(subject: Any, *, purpose: str = "") -> ReviewResult | None:
    """The result of the subject's latest review (of the given rubric purpose), or None."""
    reviews = reviews_of(subject)
    if purpose:
        reviews = reviews.filter(rubric__purpose=purpose)
    review = reviews.first()
    return review_result(review) if review is not None else None


@dataclass(frozen=True)
class RankedRow:
    review: Review
    rank: int | None
    sheets: int
    total: Decimal | None
    grade: str
    # The grade its total earns before the quota, when the top-grade quota moved it down.
    grade_before_quota: str = ""

    @property
    def quota_applied(self) -> bool:
        return bool(self.grade_before_quota)


def top_grade_places(ranked: int, quota_percent: int) -> int:
    """How many of `ranked` subjects may hold the top grade under a quota of `quota_percent`.

    The quota is a ceiling ("不超过 N%"), so the count rounds down: 50% of 3 subjects is 1 place,
    50% of 1 subject is 0 places (one subject alone would be 100%). The rubric form's help text says
    the same to committees."""
    return ranked * quota_percent // 100


def ranking(*, rubric: Rubric, subjects: Iterable[Any] | None = None, year: int | None = None) -> list[RankedRow]:
    """Rank the subjects reviewed with `rubric` (all of them when `subjects` is None), best first.

    `year` keeps only reviews opened in that year (one year's cohort, e.g. one annual showcase).

    Each subject counts with its latest review on this rubric. Equal totals share a rank. With a
    top-grade quota, at most `top_grade_places` of the ranked subjects get the top grade; the others
    that reach it fall to the next band. Subjects tied at the quota line all fall, so the quota is never
    exceeded. Subjects without any sheet are listed last, unranked.
    """
    reviews = Review.objects.filter(rubric=rubric)
    if year is not None:
        reviews = reviews.filter(created_at__year=year)
    if subjects is not None:
        by_type: dict[int, list[Any]] = {}
        for subject in subjects:
            by_type.setdefault(ContentType.objects.get_for_model(subject).pk, []).append(subject.pk)
        match = Q(pk__in=[])
        for type_id, ids in by_type.items():
            match |= Q(subject_type_id=type_id, subject_id__in=ids)
        reviews = reviews.filter(match)
    annotated = reviews.select_related("rubric").annotate(
        count=Count("assignments__sheet"),
        total_sum=Sum("assignments__sheet__total"),
        high=Max("assignments__sheet__total"),
        low=Min("assignments__sheet__total"),
    )
    latest: dict[tuple[int, int], Any] = {}
    for review in annotated.order_by("-created_at", "-id"):
        latest.setdefault((review.subject_type_id, review.subject_id), review)
    per_criterion: dict[int, dict[int, Spread]] = {}
    if rubric.aggregation == Aggregation.TRIMMED_PER_CRITERION:
        scores = Score.objects.filter(sheet__assignment__review__in=[review.pk for review in latest.values()])
        for row in _criterion_spreads(scores, "sheet__assignment__review"):
            spread = Spread(row["count"], row["total"], row["high"], row["low"])
            per_criterion.setdefault(row["sheet__assignment__review"], {})[row["criterion"]] = spread

    grades: list[GradeBand] = list(rubric.grades.all())
    scored: list[tuple[Any, int, Decimal]] = []
    unscored: list[RankedRow] = []
    for review in latest.values():
        sheets = Spread(review.count, review.total_sum, review.high, review.low)
        total, _trimmed = review_total(rubric, sheets, per_criterion.get(review.pk, {}))
        if total is None:
            unscored.append(RankedRow(review=review, rank=None, sheets=0, total=None, grade=""))
        else:
            scored.append((review, review.count, total))
    scored.sort(key=lambda row: (-row[2], row[0].subject_repr))

    allowed = None
    if rubric.top_grade_quota is not None and len(grades) >= 2:
        allowed = top_grade_places(len(scored), rubric.top_grade_quota)
    # Totals are sorted best first: a total's rank is 1 + its first index, and the number of
    # subjects at or above it is 1 + its last index.
    first_index: dict[Decimal, int] = {}
    last_index: dict[Decimal, int] = {}
    for index, (_review, _count, total) in enumerate(scored):
        first_index.setdefault(total, index)
        last_index[total] = index
    rows: list[RankedRow] = []
    for review, count, total in scored:
        rank = first_index[total] + 1
        grade = rubric.grade_for(total, grades)
        at_or_above = last_index[total] + 1
        if allowed is not None and grade == grades[0].name and at_or_above > allowed:
            rows.append(RankedRow(review, rank, count, total, grades[1].name, grade_before_quota=grade))
        else:
            rows.append(RankedRow(review, rank, count, total, grade))
    return rows + unscored


# Read by projects and showcase -----------------------------------------------------------------


def reviewed_subject_ids(user: User, model: type[Model]) -> QuerySet[Assignment, int]:
    """Ids (as a subquery) of the subjects of `model` that the user reviews, once they declared no conflict."""
    return Assignment.objects.filter(
        reviewer=user,
        status__in=AssignmentStatus.group("declared"),
        review__subject_type=ContentType.objects.get_for_model(model),
    ).values_list("review__subject_id", flat=True)


def active_rubrics(*, purpose: str, organization_paths: Iterable[str]) -> QuerySet[Rubric]:
    """The active rubrics with `purpose` of the organizations at `organization_paths`."""
    return Rubric.objects.filter(organization__path__in=organization_paths, purpose=purpose, is_active=True)

"""The review engine: every write of the `reviews` app. Issues 3 to 6 reuse it.

Concepts
- A **Rubric** belongs to a committee organization and has a `purpose` slug (application, claim,
  acceptance, initial_assessment, showcase, other). Other apps find the rubric to use with
  `selectors.rubric_for(organization=..., purpose=...)` (nearest active rubric up the tree).
- Its **criteria** are ordered; each has a `weight` (its maximum score). The weights add up to the
  rubric's `total` (e.g. 100): a rubric whose weights do not add up is refused. A criterion may
  have **coefficient bands**, each a range (e.g. 好 1–0.85 / 较好 0.84–0.7 / 一般 0.69–0.5 / 差 0.3–0):
  the reviewer picks a band, then a coefficient within it on the rubric's step grid (e.g. 0.05), and
  the score is coefficient × weight. A band may also hold one fixed coefficient.
- A rubric may require **whole-number scores** (94, not 94.5): band scores are then rounded half up.
- The **acceptance** purpose expects the four parts 一听、二看、三查、四问, in order, unless the
  rubric sets `free_acceptance_criteria` (the committee scores its own criteria).
- **Grade bands** (优秀 ≥ 90, 良好 ≥ 80, 合格 ≥ 60, 不合格 ≥ 0) grade a total; the lowest band
  catches everything below. An optional **top-grade quota** (percent) limits the top grade when
  several subjects are ranked together (`selectors.ranking`).
- A rubric that has been used by a review is **frozen**: changing it would change past results.
  Copy it (`rubric_copy`) and edit the copy instead.
- A **Review** scores one subject (any model instance) against one rubric. Staff open it with a
  list of reviewers (`review_open`); each reviewer first declares no conflict of interest
  (`assignment_accept`) before seeing the subject, or declines with a reason
  (`assignment_decline`); then submits one **ScoreSheet** with a score per criterion and a comment
  (`sheet_submit`). Submitted sheets are final. Staff close the review (`review_close`); no scoring
  after that. The deadline is shown to reviewers and staff; closing is what ends scoring.
- Results: `selectors.review_result` aggregates the sheets (plain mean; or, with at least 3 sheets,
  a trimmed mean that drops the highest and lowest total, or the highest and lowest score of each
  criterion before summing the criteria) and grades the total, after the top-grade quota.

Hooks for other apps
- Who runs a subject's reviews: the town admins over its organization, or over its `running_organization`
  when its model names one (`selectors.reviewing_organization`).
- Permissions: `rules.is_subject_reviewer` (a reviewer who declared no conflict) for their own
  "view" rules, so that reviewers see only what is assigned to them.
- Scoring page: the subject model may set `review_summary_template` (rendered with `subject`) to
  show reviewers a summary; otherwise they see str(subject) and a link to get_absolute_url when
  its app lets them view it.
- Staff pages: `{% load review_tags %}{% review_panel obj purpose="application" %}` shows the
  object's reviews and results and a button to the generic opening page
  `reviews:open <content type id> <object id>?purpose=...&next=...`; or call `review_open`
  from the app's own step.
- Reviewers find all their work on "我的评审" (`reviews:mine`) and a home card.

Every function here is keyword-only, runs in a transaction and writes the activity log. The steps of
a review and of each reviewer's assignment are those of their tables (`workflows.REVIEW`,
`workflows.ASSIGNMENT`) and are logged on the review and the assignment (`selectors.review_history`);
opening a review and adding reviewers are logged on the subject, so they show on its timeline. Bad
input raises `django.core.exceptions.ValidationError` (a dict keyed by field name where a field is at
fault: "total", "criteria.2.bands", "grades.1.minimum", "score_<criterion id>", ...); a step that the
state does not allow raises `ReviewError` (a `TransitionError`); a user without the right raises
`PermissionDenied`. Nothing is changed when anything is refused.
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from projectize.core.services import log_activity, notify
from projectize.core.workflow import TransitionError, Workflow
from projectize.orgs.models import Organization, Role, User
from projectize.orgs.permissions import has_role
from projectize.reviews.models import (
    COEFFICIENT_PLACES,
    SCORE_PLACES,
    Assignment,
    Band,
    Criterion,
    GradeBand,
    Review,
    ReviewStatus,
    Rubric,
    Score,
    ScoreSheet,
    plain_number,
)
from projectize.reviews.selectors import reviewing_organization
from projectize.reviews.workflows import ASSIGNMENT, REVIEW


class ReviewError(TransitionError):
    """A step the review's state does not allow. The message is for the user."""


@dataclass(frozen=True)
class CriterionSpec:
    name: str
    weight: Decimal
    description: str = ""
    # Highest first, e.g. (Band("好", Decimal("1"), Decimal("0.85")), Band("较好", Decimal("0.84"), Decimal("0.7"))).
    bands: tuple[Band, ...] = ()


@dataclass(frozen=True)
class GradeSpec:
    name: str
    minimum: Decimal


@dataclass
class RubricSpec:
    name: str
    purpose: str
    criteria: Sequence[CriterionSpec]
    grades: Sequence[GradeSpec]
    total: Decimal = Decimal(100)
    aggregation: str = "mean"
    top_grade_quota: int | None = None
    description: str = ""
    whole_numbers: bool = False
    coefficient_step: Decimal = Decimal("0.05")
    free_acceptance_criteria: bool = False


# The four parts of 考评验收, in order, when the committee keeps them.
ACCEPTANCE_PARTS_COUNT = 4
RANGE_SEPARATORS = re.compile(r"\s*(?:-|–|—|~|～|至)\s*")


def parse_bands(text: str) -> tuple[Band, ...]:
    """Read "好=1-0.85，较好=0.84-0.7，差=0.3-0" (a range per band, or one fixed coefficient as in
    "好=1"; full- or half-width separators) into bands, highest first."""
    bands: list[Band] = []
    normalised = text.replace("＝", "=").replace("；", ",").replace("，", ",").replace(";", ",").replace("\n", ",")
    for part in filter(None, (p.strip() for p in normalised.split(","))):
        name, sep, numbers = part.rpartition("=")
        try:
            ends = sorted(Decimal(number) for number in RANGE_SEPARATORS.split(numbers.strip()))
        except InvalidOperation:
            ends = []
        if not sep or not name.strip() or len(ends) not in (1, 2) or not 0 <= ends[0] <= ends[-1] <= 1:
            raise ValidationError(
                _("“%(part)s”格式不对：请写成“档次=上限-下限”，系数在 0 到 1 之间，例如“好=1-0.85，较好=0.84-0.7”。")
                % {"part": part}
            )
        bands.append(Band(name.strip(), ends[-1], ends[0]))
    if len({band.name for band in bands}) != len(bands):
        raise ValidationError(_("档次名称不能重复。"))
    return tuple(sorted(bands, key=lambda band: -band.high))


def format_bands(bands: Iterable[Band]) -> str:
    """The text `parse_bands` reads back, e.g. "好=1-0.85，较好=0.84-0.7"."""
    return "，".join(
        f"{band.name}={plain_number(band.high)}" + ("" if band.low == band.high else f"-{plain_number(band.low)}")
        for band in bands
    )


def bands_text(bands: Iterable[Band]) -> str:
    """The bands as a reader sees them: "好 1–0.85、较好 0.84–0.7"."""
    return "、".join(str(band) for band in bands)


def validate_rubric(spec: RubricSpec, *, organization: Organization, instance: Rubric | None = None) -> None:
    """Check the whole rubric at once; raise a ValidationError keyed by field listing every problem."""
    errors: dict[str, list[str]] = {}

    def add(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    if not spec.name.strip():
        add("name", _("请填写名称。"))
    else:
        namesakes = Rubric.objects.filter(organization=organization, name=spec.name.strip())
        if instance is not None:
            namesakes = namesakes.exclude(pk=instance.pk)
        if namesakes.exists():
            add("name", _("本组织已有同名的评分标准。"))
    if spec.total <= 0:
        add("total", _("满分必须大于 0。"))
    if spec.top_grade_quota is not None and not 1 <= spec.top_grade_quota <= 100:
        add("top_grade_quota", _("比例应在 1 到 100 之间。"))
    if not Decimal("0.01") <= spec.coefficient_step <= 1 or spec.coefficient_step != spec.coefficient_step.quantize(
        COEFFICIENT_PLACES
    ):
        add("coefficient_step", _("步长应在 0.01 到 1 之间，最多两位小数。"))
    if not spec.criteria:
        add("criteria", _("请至少填写一项评分项。"))
    elif (
        spec.purpose == "acceptance"
        and not spec.free_acceptance_criteria
        and len(spec.criteria) != ACCEPTANCE_PARTS_COUNT
    ):
        add(
            "criteria",
            _("考评验收标准须按顺序设四项：一听、二看、三查、四问。如采用其他评分项，请勾选“考评验收自定评分项”。"),
        )
    names: set[str] = set()
    for index, criterion in enumerate(spec.criteria):
        if criterion.weight <= 0:
            add(f"criteria.{index}.weight", _("分值必须大于 0。"))
        if criterion.name in names:
            add(f"criteria.{index}.name", _("评分项名称不能重复。"))
        names.add(criterion.name)
        for problem in _band_problems(criterion.bands):
            add(f"criteria.{index}.bands", problem)
    weights = sum((c.weight for c in spec.criteria), Decimal(0))
    if spec.criteria and weights != spec.total:
        add(
            "total",
            _("各项分值之和为 %(sum)s，与满分 %(total)s 不一致，请调整分值或满分。")
            % {"sum": plain_number(weights), "total": plain_number(spec.total)},
        )
    minimums: dict[Decimal, int] = {}
    grade_names: set[str] = set()
    for index, grade in enumerate(spec.grades):
        if grade.name in grade_names:
            add(f"grades.{index}.name", _("等级名称不能重复。"))
        grade_names.add(grade.name)
        if not 0 <= grade.minimum <= spec.total:
            add(f"grades.{index}.minimum", _("最低分应在 0 到满分之间。"))
        if grade.minimum in minimums:
            add(f"grades.{index}.minimum", _("与另一个等级的最低分相同，等级区间重叠。"))
        minimums[grade.minimum] = index
    if spec.top_grade_quota is not None and len(spec.grades) < 2:
        add("top_grade_quota", _("设置最高等级比例上限需要至少两个等级。"))
    if errors:
        raise ValidationError({key: [ValidationError(m) for m in messages] for key, messages in errors.items()})


def _band_problems(bands: Sequence[Band]) -> list[str]:
    problems = [_("系数应在 0 到 1 之间。") for band in bands if not 0 <= band.low <= band.high <= 1]
    ordered = sorted(bands, key=lambda band: -band.high)
    for upper, lower in pairwise(ordered):
        if lower.high >= upper.low:
            problems.append(_("档次“%(a)s”与“%(b)s”重叠。") % {"a": upper, "b": lower})
    return problems


def _write_parts(rubric: Rubric, spec: RubricSpec) -> None:
    rubric.criteria.all().delete()
    rubric.grades.all().delete()
    Criterion.objects.bulk_create(
        Criterion(
            rubric=rubric,
            position=position,
            name=c.name.strip(),
            description=c.description,
            weight=c.weight,
            bands=[{"name": b.name, "high": str(b.high), "low": str(b.low)} for b in c.bands],
        )
        for position, c in enumerate(spec.criteria, start=1)
    )
    GradeBand.objects.bulk_create(GradeBand(rubric=rubric, name=g.name.strip(), minimum=g.minimum) for g in spec.grades)


def _check_staff(actor: User, organization: Organization) -> None:
    if not has_role(actor, [Role.TOWN_ADMIN], organization):
        raise PermissionDenied(_("只有本党委的管理员可以管理评分标准和评审。"))


def rubric_create(*, organization: Organization, spec: RubricSpec, actor: User) -> Rubric:
    _check_staff(actor, organization)
    validate_rubric(spec, organization=organization)
    with transaction.atomic():
        rubric = Rubric.objects.create(
            organization=organization,
            name=spec.name.strip(),
            purpose=spec.purpose,
            description=spec.description,
            total=spec.total,
            aggregation=spec.aggregation,
            top_grade_quota=spec.top_grade_quota,
            whole_numbers=spec.whole_numbers,
            coefficient_step=spec.coefficient_step,
            free_acceptance_criteria=spec.free_acceptance_criteria,
        )
        _write_parts(rubric, spec)
        log_activity(actor=actor, action="rubric.create", target=rubric)
    return rubric


def rubric_in_use(rubric: Rubric) -> bool:
    return Review.objects.filter(rubric=rubric).exists()


def rubric_update(*, rubric: Rubric, spec: RubricSpec, actor: User) -> Rubric:
    """Replace the rubric's settings, criteria and grades. Refused once a review has used it."""
    _check_staff(actor, rubric.organization)
    with transaction.atomic():
        locked = Rubric.objects.select_for_update().get(pk=rubric.pk)
        if rubric_in_use(locked):
            raise ReviewError(_("该评分标准已用于评审，不能再修改（否则会改变已有结果）。请复制后修改副本。"))
        validate_rubric(spec, organization=locked.organization, instance=locked)
        locked.name = spec.name.strip()
        locked.purpose = spec.purpose
        locked.description = spec.description
        locked.total = spec.total
        locked.aggregation = spec.aggregation
        locked.top_grade_quota = spec.top_grade_quota
        locked.whole_numbers = spec.whole_numbers
        locked.coefficient_step = spec.coefficient_step
        locked.free_acceptance_criteria = spec.free_acceptance_criteria
        locked.save()
        _write_parts(locked, spec)
        log_activity(actor=actor, action="rubric.update", target=locked)
    return locked


def rubric_copy(*, rubric: Rubric, actor: User, name: str = "") -> Rubric:
    """A new, unused rubric with the same settings, criteria and grades, ready to be edited."""
    _check_staff(actor, rubric.organization)
    name = name.strip() or _("%(name)s（副本）") % {"name": rubric.name}
    spec = spec_of(rubric)
    spec.name = name
    with transaction.atomic():
        copy = rubric_create(organization=rubric.organization, spec=spec, actor=actor)
        copy.copied_from = rubric
        copy.save(update_fields=["copied_from"])
    return copy


def rubric_set_active(*, rubric: Rubric, active: bool, actor: User) -> Rubric:
    """Retire a rubric (it keeps its results but is no longer offered for new reviews) or restore it."""
    _check_staff(actor, rubric.organization)
    with transaction.atomic():
        rubric.is_active = active
        rubric.save(update_fields=["is_active", "updated_at"])
        log_activity(
            actor=actor,
            action="rubric.activate" if active else "rubric.retire",
            target=rubric,
        )
    return rubric


def spec_of(rubric: Rubric) -> RubricSpec:
    return RubricSpec(
        name=rubric.name,
        purpose=rubric.purpose,
        description=rubric.description,
        total=rubric.total,
        aggregation=rubric.aggregation,
        top_grade_quota=rubric.top_grade_quota,
        whole_numbers=rubric.whole_numbers,
        coefficient_step=rubric.coefficient_step,
        free_acceptance_criteria=rubric.free_acceptance_criteria,
        criteria=[
            CriterionSpec(name=c.name, weight=c.weight, description=c.description, bands=tuple(c.band_choices))
            for c in rubric.criteria.all()
        ],
        grades=[GradeSpec(name=g.name, minimum=g.minimum) for g in rubric.grades.all()],
    )


def review_open(
    *,
    subject: models.Model,
    rubric: Rubric,
    reviewers: Iterable[User],
    actor: User,
    deadline: date | None = None,
) -> Review:
    """Start reviewing `subject` against `rubric` and ask each reviewer to declare no conflict.

    The actor must be a town admin over both the rubric's committee and the organization that runs the
    subject's reviews (`selectors.reviewing_organization`)."""
    _check_staff(actor, rubric.organization)
    if (running := reviewing_organization(subject)) is not None:
        _check_staff(actor, running)
    people = list({user.pk: user for user in reviewers}.values())
    if not people:
        raise ValidationError({"reviewers": _("请至少选择一位评审专家。")})
    subject_type = ContentType.objects.get_for_model(subject)
    with transaction.atomic():
        locked = Rubric.objects.select_for_update().get(pk=rubric.pk)
        if not locked.is_active:
            raise ReviewError(_("评分标准“%(name)s”已停用，不能用于新的评审。") % {"name": locked.name})
        if Review.objects.filter(
            subject_type=subject_type, subject_id=subject.pk, rubric=locked, status=ReviewStatus.OPEN
        ).exists():
            raise ReviewError(_("“%(subject)s”已有进行中的同类评审。") % {"subject": subject})
        review = Review.objects.create(
            subject_type=subject_type,
            subject_id=subject.pk,
            subject_repr=str(subject)[:300],
            rubric=locked,
            organization=locked.organization,
            deadline=deadline,
            opened_by=actor,
        )
        assignments = Assignment.objects.bulk_create(Assignment(review=review, reviewer=user) for user in people)
        log_activity(
            actor=actor,
            action="review.open",
            target=subject,
            params={"rubric": locked.name, "count": len(assignments)},
        )
        _tell_reviewers(review, people)
    return review


def _tell_reviewers(review: Review, people: list[User]) -> None:
    for assignment in Assignment.objects.filter(review=review, reviewer__in=people).select_related("reviewer"):
        notify(
            recipients=[assignment.reviewer],
            verb="review.invite",
            params={"subject": review.subject_repr},
            url=assignment.get_absolute_url(),
        )


def review_add_reviewers(*, review: Review, reviewers: Iterable[User], actor: User) -> list[Assignment]:
    """Add reviewers to an open review (e.g. to replace one who declined). Existing ones are skipped."""
    _check_staff(actor, review.organization)
    with transaction.atomic():
        locked = Review.objects.select_for_update().get(pk=review.pk)
        if not locked.is_open:
            raise ReviewError(_("评审已结束，不能再增加评审专家。"))
        taken = set(locked.assignments.values_list("reviewer_id", flat=True))
        people = [user for user in {u.pk: u for u in reviewers}.values() if user.pk not in taken]
        if not people:
            raise ValidationError({"reviewers": _("请选择尚未分配的评审专家。")})
        added = Assignment.objects.bulk_create(Assignment(review=locked, reviewer=user) for user in people)
        log_activity(
            actor=actor,
            action="review.add_reviewers",
            target=locked.subject,
            params={"count": len(added)},
        )
        _tell_reviewers(locked, people)
    return added


Stepped = TypeVar("Stepped", Review, Assignment)


def _apply(table: Workflow, obj: Stepped, name: str, **kwargs: Any) -> Stepped:
    """Take a step of a review's table; a step its state or guard refuses raises ReviewError."""
    try:
        done: Stepped = table.apply(obj, name, **kwargs)
        return done
    except ReviewError:
        raise
    except TransitionError as error:
        raise ReviewError(str(error)) from None


def _lock_review_of(assignment: Assignment) -> None:
    """Lock the review before the assignment (always in this order): a reviewer's step and closing the
    review wait for each other, so no sheet arrives after the review closed."""
    Review.objects.select_for_update().get(pk=assignment.review_id)


def _stamp_declaration(assignment: Assignment) -> None:
    assignment.declared_at = timezone.now()


def assignment_accept(*, assignment: Assignment, actor: User) -> Assignment:
    """The reviewer declares no conflict of interest (承诺无利益冲突) and may then see and score the subject."""
    with transaction.atomic():
        _lock_review_of(assignment)
        return _apply(ASSIGNMENT, assignment, "declare", actor=actor, on_apply=_stamp_declaration)


def assignment_decline(*, assignment: Assignment, reason: str, actor: User) -> Assignment:
    """The reviewer declines (e.g. a conflict of interest). Staff are told so they can add another."""
    if not reason.strip():
        raise ValidationError({"reason": _("请填写谢绝理由，例如存在利益关系。")})
    with transaction.atomic():
        _lock_review_of(assignment)
        return _apply(ASSIGNMENT, assignment, "decline", actor=actor, note=reason.strip())


@dataclass(frozen=True)
class BandPick:
    """A band picked and the coefficient typed within it (blank for a band with one coefficient)."""

    band: str
    coefficient: Any = ""


def sheet_submit(*, assignment: Assignment, scores: Mapping[int, Any], comment: str = "", actor: User) -> ScoreSheet:
    """Record the reviewer's final scores: `scores` maps criterion id to points or, for a criterion
    scored by coefficient bands, to a `BandPick`, a bare coefficient (its band is the one holding it)
    or a band name (its highest coefficient). Every criterion needs a score within its range."""
    sheets: list[ScoreSheet] = []

    def fill(locked: Assignment) -> None:
        rows = _checked_scores(list(locked.review.rubric.criteria.all()), scores)
        sheet = ScoreSheet.objects.create(
            assignment=locked,
            total=sum((score.value for score in rows), Decimal(0)),
            comment=comment.strip(),
        )
        for score in rows:
            score.sheet = sheet
        Score.objects.bulk_create(rows)
        sheets.append(sheet)

    with transaction.atomic():
        _lock_review_of(assignment)
        _apply(ASSIGNMENT, assignment, "submit", actor=actor, on_apply=fill)
    return sheets[0]


def _checked_scores(criteria: list[Criterion], scores: Mapping[int, Any]) -> list[Score]:
    errors: dict[str, str] = {}
    rows: list[Score] = []
    for criterion in criteria:
        key = f"score_{criterion.pk}"
        given = scores.get(criterion.pk)
        if given in (None, "") or (isinstance(given, BandPick) and not given.band):
            errors[key] = _("请为“%(name)s”评分。") % {"name": criterion.name}
            continue
        if criterion.bands:
            try:
                band, coefficient = _band_coefficient(criterion, given)
            except ValidationError as error:
                # Beside the coefficient typed, or beside the bands when no band of this criterion was given.
                beside_band = error.code == "band" or not isinstance(given, BandPick)
                errors[key if beside_band else f"coefficient_{criterion.pk}"] = error.messages[0]
                continue
            rows.append(
                Score(criterion=criterion, value=criterion.score_for(coefficient), band=band, coefficient=coefficient)
            )
            continue
        try:
            value = Decimal(str(given))
        except InvalidOperation:
            errors[key] = _("请输入数字。")
            continue
        places = Decimal(1) if criterion.rubric.whole_numbers else SCORE_PLACES
        if not 0 <= value <= criterion.weight or value != value.quantize(places):
            if criterion.rubric.whole_numbers:
                message = _("得分应为 0 到 %(max)s 之间的整数。")
            else:
                message = _("得分应在 0 到 %(max)s 之间，最多两位小数。")
            errors[key] = message % {"max": plain_number(criterion.weight)}
            continue
        rows.append(Score(criterion=criterion, value=value))
    unknown = set(scores) - {c.pk for c in criteria}
    if unknown:
        errors["__all__"] = _("评分项与评分标准不符，请刷新页面后重试。")
    if errors:
        raise ValidationError(errors)
    return rows


def _band_coefficient(criterion: Criterion, given: Any) -> tuple[str, Decimal]:
    """The band and coefficient a reviewer gave, checked against the criterion's bands and the step."""
    bands = criterion.band_choices
    by_name = {band.name: band for band in bands}
    if isinstance(given, str) and given in by_name:
        return given, by_name[given].high
    picked = by_name.get(given.band) if isinstance(given, BandPick) else None
    if isinstance(given, BandPick) and picked is None:
        raise ValidationError(_("请从给定档次中选择。"), code="band")
    raw = given.coefficient if isinstance(given, BandPick) else given
    if picked is not None and raw in (None, "") and picked.low == picked.high:
        return picked.name, picked.high
    try:
        coefficient = Decimal(str(raw).strip())
    except InvalidOperation:
        if picked is None:  # neither a band of this criterion nor a coefficient
            raise ValidationError(_("请从给定档次中选择。"), code="band") from None
        raise ValidationError(_("请填写系数，即 0 到 1 之间的数，例如 0.85。")) from None
    named = {"value": plain_number(coefficient), "bands": bands_text(bands)}
    if picked is not None and not picked.holds(coefficient):
        named["band"] = str(picked)
        raise ValidationError(_("系数 %(value)s 不在“%(band)s”档内。本项的档次为：%(bands)s。") % named)
    holder = picked or next((band for band in bands if band.holds(coefficient)), None)
    if holder is None:
        raise ValidationError(_("系数 %(value)s 不在任何档次内。本项的档次为：%(bands)s。") % named)
    step = criterion.rubric.coefficient_step
    if coefficient % step != 0 and coefficient not in (holder.low, holder.high):
        raise ValidationError(_("系数须为 %(step)s 的整数倍，或档次的上限、下限。") % {"step": plain_number(step)})
    return holder.name, coefficient


def review_close(*, review: Review, actor: User) -> Review:
    """End scoring. The result is then final; reviewers who have not scored can no longer do so."""
    return _apply(REVIEW, review, "close", actor=actor)


def rubrics_copy(*, source: Organization, target: Organization, actor: User) -> list[Rubric]:
    """A new committee's own copies of another committee's active rubrics (a district's defaults for a
    town it creates): the target's to edit afterwards, each remembering what it was copied from. The
    actor must be staff of the target; the source is only read."""
    copies = []
    with transaction.atomic():
        for rubric in Rubric.objects.filter(organization=source, is_active=True).order_by("id"):
            copy = rubric_create(organization=target, spec=spec_of(rubric), actor=actor)
            copy.copied_from = rubric
            copy.save(update_fields=["copied_from"])
            copies.append(copy)
    return copies

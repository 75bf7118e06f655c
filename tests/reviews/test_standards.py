"""Scoring standards as committees write them: coefficient ranges, whole numbers, per-criterion trimming,
the acceptance option, and old single-coefficient bands carried over."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from projectize.reviews.models import Band, Criterion, Rubric, Score, ScoreSheet
from projectize.reviews.selectors import ranking, review_result
from projectize.reviews.services import (
    BandPick,
    CriterionSpec,
    RubricSpec,
    assignment_accept,
    review_open,
    sheet_submit,
)
from tests.reviews.factories import RANGES, STANDARD_GRADES, make_rubric, scored_review

pytestmark = pytest.mark.django_db

BANDS_NAMED = "本项的档次为：好 1–0.85、较好 0.84–0.7、一般 0.6–0.5、差 0.3–0。"


def range_spec(**changes):
    """One criterion of 40 scored by ranges, one of 60 in points."""
    spec = RubricSpec(
        name="初期评估标准",
        purpose="initial_assessment",
        criteria=[CriterionSpec("项目基础", Decimal(40), bands=RANGES), CriterionSpec("方案完备", Decimal(60))],
        grades=STANDARD_GRADES,
        coefficient_step=Decimal("0.05"),
    )
    for key, value in changes.items():
        setattr(spec, key, value)
    return spec


@pytest.fixture
def scoring(town, admin, experts, subjects):
    """An accepted assignment on a range rubric, and its two criteria."""

    def make(**changes):
        rubric = make_rubric(town, admin, range_spec(**changes))
        review = review_open(subject=subjects[0], rubric=rubric, reviewers=experts[:1], actor=admin)
        assignment = assignment_accept(assignment=review.assignments.get(), actor=experts[0])
        return assignment, list(rubric.criteria.all())

    return make


def test_a_coefficient_inside_the_picked_band_scores_coefficient_times_weight(scoring, experts):
    assignment, (banded, points) = scoring()
    sheet = sheet_submit(
        assignment=assignment,
        scores={banded.pk: BandPick("较好", "0.75"), points.pk: "50"},
        actor=experts[0],
    )
    score = Score.objects.get(sheet=sheet, criterion=banded)
    assert (score.band, score.coefficient, score.value) == ("较好", Decimal("0.75"), Decimal("30.00"))
    assert sheet.total == Decimal("80.00")


def test_a_band_edge_off_the_step_and_a_coefficient_of_zero_are_allowed(scoring, experts):
    assignment, (banded, points) = scoring()
    sheet = sheet_submit(assignment=assignment, scores={banded.pk: BandPick("差", "0"), points.pk: 0}, actor=experts[0])
    assert sheet.total == 0 and sheet.scores.get(criterion=banded).band == "差"
    assignment, (banded, points) = scoring(name="另一标准")
    sheet = sheet_submit(assignment=assignment, scores={banded.pk: "0.84", points.pk: 1}, actor=experts[0])
    # A bare coefficient finds its band; 0.84 is 较好's upper edge though not a multiple of 0.05.
    assert sheet.scores.get(criterion=banded).band == "较好"


@pytest.mark.parametrize(
    ("given", "beside", "message"),
    [
        (BandPick("好", "0.7"), "coefficient", "系数 0.7 不在“好 1–0.85”档内。" + BANDS_NAMED),
        ("0.65", "score", "系数 0.65 不在任何档次内。" + BANDS_NAMED),
        (BandPick("好", ""), "coefficient", "请填写系数，即 0 到 1 之间的数，例如 0.85。"),
        (BandPick("好", "0.87"), "coefficient", "系数须为 0.05 的整数倍，或档次的上限、下限。"),
        (BandPick("很好", "0.9"), "score", "请从给定档次中选择。"),
    ],
)
def test_a_coefficient_outside_its_band_between_bands_or_off_the_step_is_refused(
    scoring, experts, given, beside, message
):
    assignment, (banded, points) = scoring()
    with pytest.raises(ValidationError) as refused:
        sheet_submit(assignment=assignment, scores={banded.pk: given, points.pk: "50"}, actor=experts[0])
    assert refused.value.message_dict == {f"{beside}_{banded.pk}": [message]}
    assert not ScoreSheet.objects.exists()


def test_whole_number_standards_refuse_fractions_and_round_band_scores(scoring, experts):
    assignment, (banded, points) = scoring(whole_numbers=True)
    with pytest.raises(ValidationError) as refused:
        sheet_submit(assignment=assignment, scores={banded.pk: "0.85", points.pk: "54.5"}, actor=experts[0])
    assert refused.value.message_dict == {f"score_{points.pk}": ["得分应为 0 到 60 之间的整数。"]}
    sheet = sheet_submit(assignment=assignment, scores={banded.pk: "0.85", points.pk: "54"}, actor=experts[0])
    assert sheet.total == Decimal(88)  # 0.85 × 40 = 34, + 54
    criterion = Criterion.objects.get(pk=banded.pk)
    criterion.weight = Decimal(15)
    assert criterion.score_for(Decimal("0.7")) == Decimal(11)  # 10.5 rounds half up


def test_bands_that_overlap_or_leave_zero_one_are_refused(town, admin):
    overlapping = (Band("好", Decimal(1), Decimal("0.8")), Band("较好", Decimal("0.85"), Decimal("0.6")))
    with pytest.raises(ValidationError) as refused:
        make_rubric(town, admin, range_spec(criteria=[CriterionSpec("项目基础", Decimal(100), bands=overlapping)]))
    assert refused.value.message_dict["criteria.0.bands"] == ["档次“好 1–0.8”与“较好 0.85–0.6”重叠。"]
    assert not Rubric.objects.exists()


def test_trimmed_per_criterion_drops_each_criterions_highest_and_lowest(town, admin, experts, subjects):
    rubric = make_rubric(town, admin, range_spec(aggregation="trimmed_criterion", coefficient_step=Decimal("0.01")))
    coefficients = ["1", "0.9", "0.85", "0.3", "0.84"]  # 40, 36, 34, 12, 33.6
    marks = ["60", "10", "50", "55", "40"]
    review = scored_review(
        subjects[0], rubric, admin, {e: [c, m] for e, c, m in zip(experts, coefficients, marks, strict=True)}
    )
    result = review_result(review)
    # 项目基础: drop 40 and 12 → (36 + 34 + 33.6) / 3 = 34.53; 方案完备: drop 60 and 10 → (50 + 55 + 40) / 3 = 48.33.
    assert [(m.mean, m.coefficient) for m in result.criteria] == [
        (Decimal("34.53"), Decimal("0.86")),
        (Decimal("48.33"), None),
    ]
    assert (result.total, result.trimmed) == (Decimal("82.86"), True)
    # Trimming the sheet totals instead (100, 46, 84, 67, 73.6 → drop 100 and 46) gives another total.
    review.rubric.aggregation = "trimmed"
    assert review_result(review).total == Decimal("74.87")


def test_the_ranking_totals_each_subject_as_its_review_result_does(town, admin, experts, subjects):
    rubric = make_rubric(town, admin, range_spec(aggregation="trimmed_criterion", coefficient_step=Decimal("0.01")))
    panel = experts[:3]
    first_sheets = [["1", 10], ["0.9", 50], ["0.3", 55]]
    first = scored_review(subjects[0], rubric, admin, dict(zip(panel, first_sheets, strict=True)))
    second = scored_review(subjects[1], rubric, admin, dict(zip(panel, [["1", 60], ["1", 40], ["1", 0]], strict=True)))
    rows = ranking(rubric=rubric)
    # first: 36 + 50 = 86 (its sheet totals 50, 86, 67 trimmed would give 67); second: 40 + 40 = 80.
    assert [(row.review, row.total) for row in rows] == [(first, Decimal("86.00")), (second, Decimal("80.00"))]
    assert [review_result(row.review).total for row in rows] == [row.total for row in rows]


def test_the_review_page_shows_each_criterions_trimmed_average_and_coefficient(client, town, admin, experts, subjects):
    rubric = make_rubric(town, admin, range_spec(aggregation="trimmed_criterion", coefficient_step=Decimal("0.01")))
    sheets = {e: [c, "50"] for e, c in zip(experts[:3], ["1", "0.9", "0.3"], strict=True)}
    review = scored_review(subjects[0], rubric, admin, sheets)
    client.force_login(admin)
    page = client.get(f"/reviews/{review.pk}/").content.decode()
    assert "每个评分项已去掉一个最高分和一个最低分" in page
    assert "去掉最高、最低后平均" in page and "36.00" in page and "0.90" in page


def test_acceptance_standards_keep_the_four_parts_unless_the_committee_chooses_its_own(town, admin):
    five = [CriterionSpec(name, Decimal(20)) for name in ("汇报", "现场", "台账", "走访", "成效")]
    spec = RubricSpec(name="考评验收标准", purpose="acceptance", criteria=five, grades=STANDARD_GRADES)
    with pytest.raises(ValidationError) as refused:
        make_rubric(town, admin, spec)
    assert "考评验收标准须按顺序设四项" in refused.value.message_dict["criteria"][0]
    spec.free_acceptance_criteria = True
    rubric = make_rubric(town, admin, spec)
    assert rubric.free_acceptance_criteria and rubric.criteria.count() == 5


def test_the_rubric_form_saves_ranges_step_whole_numbers_and_the_acceptance_option(client, town, admin):
    client.force_login(admin)
    data = {
        "organization": town.pk,
        "name": "考评验收（自定）",
        "purpose": "acceptance",
        "free_acceptance_criteria": "on",
        "total": "100",
        "whole_numbers": "on",
        "aggregation": "trimmed_criterion",
        "top_grade_quota": "",
        "coefficient_step": "0.1",
        "description": "",
        "criteria-TOTAL_FORMS": "2",
        "criteria-INITIAL_FORMS": "0",
        "criteria-0-name": "实际成效",
        "criteria-0-weight": "70",
        "criteria-0-bands": "好=1-0.85，较好=0.84-0.7，一般=0.69-0.5，差=0.3-0",
        "criteria-1-name": "群众满意",
        "criteria-1-weight": "30",
        "grades-TOTAL_FORMS": "1",
        "grades-INITIAL_FORMS": "0",
        "grades-0-name": "合格",
        "grades-0-minimum": "0",
    }
    response = client.post("/reviews/rubrics/new/", data)
    rubric = Rubric.objects.get()
    assert response.status_code == 302
    assert (rubric.whole_numbers, rubric.coefficient_step, rubric.free_acceptance_criteria) == (
        True,
        Decimal("0.1"),
        True,
    )
    assert rubric.criteria.earliest("position").band_choices[1] == Band("较好", Decimal("0.84"), Decimal("0.7"))
    page = client.get(f"/reviews/rubrics/{rubric.pk}/edit/").content.decode()
    assert "好=1-0.85，较好=0.84-0.7，一般=0.69-0.5，差=0.3-0" in page
    assert "名额 = 对象数 × 比例，向下取整" in page

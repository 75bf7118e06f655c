"""Duplicate detection measured on the project's labelled pairs; CI fails if it gets worse."""

import io
import re

from django.core.management import call_command

from projectize.needs.evaluation import PAIRS_FILE, measure, score_pairs
from projectize.needs.similarity import (
    Profile,
    Thesaurus,
    compare,
    file_groups,
    idf_from_counts,
    profile_features,
)

# The figure reached when the set was written (F1 0.975); a change to the matching may not fall below it.
F1_FLOOR = 0.97


def test_the_evaluation_command_reports_the_figures_and_keeps_f1_at_the_floor():
    out = io.StringIO()
    call_command("evaluate_similarity", stdout=out)
    report = out.getvalue()
    figures = re.search(r"precision ([\d.]+)\s+recall ([\d.]+)\s+F1 ([\d.]+)", report)
    assert figures, report
    precision, recall, f1 = map(float, figures.groups())
    assert precision >= 0.85 and recall >= 0.85
    assert f1 >= F1_FLOOR
    assert "threshold  precision  recall  F1" in report and "worst misses" in report


def test_the_set_is_big_enough_and_about_half_duplicates():
    scored = score_pairs(PAIRS_FILE)
    duplicates = sum(s.duplicate for s in scored)
    kinds = {s.pair["kind"] for s in scored}
    assert len(scored) >= 300 and 0.4 <= duplicates / len(scored) <= 0.6
    assert kinds == {"paraphrase", "other_place", "same_place", "other_problem"}
    # Measured over every threshold the table shows, a stricter threshold never finds more duplicates.
    recalls = [measure(scored, t / 100).recall for t in range(20, 85, 5)]
    assert recalls == sorted(recalls, reverse=True)


def _profile(title, text, area="东苑"):
    return profile_features(Profile(title=title, text=text, area=area, category="社会福利"), Thesaurus(file_groups()))


def test_a_paraphrase_sharing_no_word_is_matched_through_the_field_thesaurus_and_says_why():
    idf = idf_from_counts({}, 0)
    thesaurus = Thesaurus(file_groups())
    station = _profile("卫生服务站太远", "老人看病不方便")
    hospital = _profile("希望附近设社区医院", "配药都得坐车去")
    match = compare(station, hospital, idf=idf, thesaurus=thesaurus)
    assert match.score >= 0.45
    assert "同一小区" in match.shown
    assert any(r.startswith("同义：") for r in match.shown)
    elsewhere = _profile("希望附近设社区医院", "配药都得坐车去", area="西苑")
    assert compare(station, elsewhere, idf=idf, thesaurus=thesaurus).score < 0.45


def test_only_serving_processes_load_the_dictionary_at_start_up():
    from projectize.needs.apps import is_serving

    assert is_serving(["/srv/.venv/bin/gunicorn", "projectize.wsgi"])
    assert is_serving(["manage.py", "runserver"]) and is_serving(["manage.py", "run_jobs"])
    assert is_serving(["/srv/.venv/bin/celery", "-A", "projectize", "worker"])
    assert not is_serving(["manage.py", "migrate"]) and not is_serving(["/usr/bin/pytest", "tests/needs"])

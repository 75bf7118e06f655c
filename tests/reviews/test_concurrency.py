"""Races with real threads (each with its own connection, as two web requests would have).

They pass on SQLite (IMMEDIATE transactions serialise writers) and on PostgreSQL (row locks):
DATABASE_URL=postgres://postgres@127.0.0.1:5432/<name> pytest tests/reviews/test_concurrency.py
"""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from projectize.reviews.models import Assignment, AssignmentStatus, ReviewStatus, ScoreSheet
from projectize.reviews.services import ReviewError, assignment_accept, review_close, review_open, sheet_submit
from tests.reviews.factories import make_rubric

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(jobs: list[Callable[[], Any]]) -> list[Any]:
    """Start the jobs at the same moment, each in its own thread; return each result or exception."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def run(index: int, job: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = job()
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def accepted(town, admin, experts, subjects, count=1):
    rubric = make_rubric(town, admin)
    review = review_open(subject=subjects[0], rubric=rubric, reviewers=experts[:count], actor=admin)
    assignments = [
        assignment_accept(assignment=Assignment.objects.get(review=review, reviewer=e), actor=e)
        for e in experts[:count]
    ]
    scores = {c.pk: 16 for c in rubric.criteria.all()}
    return review, assignments, scores


def test_one_sheet_is_stored_when_a_reviewer_submits_twice_at_once(town, admin, experts, subjects):
    _review, [assignment], scores = accepted(town, admin, experts, subjects)

    def submit() -> Any:
        return sheet_submit(assignment=assignment, scores=scores, comment="", actor=experts[0])

    results = run_together([submit, submit])
    assert sorted(type(r).__name__ for r in results) == ["ReviewError", "ScoreSheet"]
    assert ScoreSheet.objects.filter(assignment=assignment).count() == 1


def test_no_sheet_arrives_after_the_review_closed(town, admin, experts, subjects):
    review, assignments, scores = accepted(town, admin, experts, subjects, count=2)
    sheet_submit(assignment=assignments[0], scores=scores, comment="", actor=experts[0])

    def submit() -> Any:
        return sheet_submit(assignment=assignments[1], scores=scores, comment="", actor=experts[1])

    def close() -> Any:
        return review_close(review=review, actor=admin)

    submitted, closed = run_together([submit, close])
    review.refresh_from_db()
    assert review.status == ReviewStatus.CLOSED and not isinstance(closed, Exception)
    late = Assignment.objects.get(pk=assignments[1].pk)
    if isinstance(submitted, ReviewError):
        assert late.status == AssignmentStatus.ACCEPTED and not ScoreSheet.objects.filter(assignment=late).exists()
    else:
        # The sheet won the race: it was stored before the review closed.
        assert submitted.submitted_at <= review.closed_at
        assert late.status == AssignmentStatus.SUBMITTED

"""List pages keep a flat query count as rows grow."""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projectize.reviews.models import Assignment, AssignmentStatus, Criterion, Review, Rubric
from tests.reviews.factories import make_rubric

pytestmark = pytest.mark.django_db


def add_reviews(rubric, subjects, reviewer, count, start):
    """Reviews (bulk, for speed) of `count` subjects, each assigning `reviewer`, some already done."""
    subject_type = ContentType.objects.get_for_model(subjects[0])
    reviews = Review.objects.bulk_create(
        Review(
            subject_type=subject_type,
            # The lists show `subject_repr` and never load subjects, so the ids need not exist.
            subject_id=100_000 + start + n,
            subject_repr=f"对象{start + n}",
            rubric=rubric,
            organization=rubric.organization,
            opened_by=reviewer,
            status="closed" if n % 3 else "open",
        )
        for n in range(count)
    )
    Assignment.objects.bulk_create(
        Assignment(review=review, reviewer=reviewer, status=AssignmentStatus.SUBMITTED if n % 2 else "pending")
        for n, review in enumerate(reviews)
    )


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
        # An export streams its workbook: read it whole inside the count.
        b"".join(getattr(response, "streaming_content", []))
    return len(queries)


def test_exports_stay_flat(client, town, admin, experts, subjects):
    rubric = make_rubric(town, admin)
    add_reviews(rubric, subjects, experts[0], 10, 0)
    urls = {
        experts[0]: ["/reviews/?status=all&export=xlsx"],
        admin: [
            "/reviews/all/?export=xlsx",
            "/reviews/rubrics/?export=xlsx",
            f"/reviews/rubrics/{rubric.pk}/ranking/?export=xlsx",
        ],
    }
    small: dict[str, int] = {}
    for user, paths in urls.items():
        client.force_login(user)
        small |= {url: queries_for(client, url) for url in paths}
    add_reviews(rubric, subjects, experts[0], 300, 10)
    Rubric.objects.bulk_create(
        Rubric(organization=town, name=f"标准{n}", purpose="other", total=Decimal(100)) for n in range(50)
    )
    for user, paths in urls.items():
        client.force_login(user)
        assert {url: queries_for(client, url) for url in paths} == {url: small[url] for url in paths}


def test_my_reviews_and_the_review_list_stay_flat(client, town, admin, experts, subjects):
    rubric = make_rubric(town, admin)
    add_reviews(rubric, subjects, experts[0], 10, 0)
    client.force_login(experts[0])
    small_mine = queries_for(client, "/reviews/?status=all")
    client.force_login(admin)
    small_list = queries_for(client, "/reviews/all/")
    add_reviews(rubric, subjects, experts[0], 1000, 10)
    client.force_login(experts[0])
    assert queries_for(client, "/reviews/?status=all") == small_mine
    client.force_login(admin)
    assert queries_for(client, "/reviews/all/") == small_list


def test_the_rubric_list_stays_flat(client, town, admin):
    client.force_login(admin)
    make_rubric(town, admin)
    small = queries_for(client, "/reviews/rubrics/")
    rubrics = Rubric.objects.bulk_create(
        Rubric(organization=town, name=f"标准{n}", purpose="other", total=Decimal(100)) for n in range(200)
    )
    Criterion.objects.bulk_create(
        Criterion(rubric=rubric, position=1, name="唯一项", weight=Decimal(100)) for rubric in rubrics
    )
    assert queries_for(client, "/reviews/rubrics/") == small


def test_the_ranking_page_stays_flat(client, town, admin, experts, subjects):
    rubric = make_rubric(town, admin)
    add_reviews(rubric, subjects, experts[0], 5, 0)
    client.force_login(admin)
    small = queries_for(client, f"/reviews/rubrics/{rubric.pk}/ranking/")
    add_reviews(rubric, subjects, experts[0], 300, 5)
    assert queries_for(client, f"/reviews/rubrics/{rubric.pk}/ranking/") == small

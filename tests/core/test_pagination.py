"""Long lists count at most a capped number of rows, and say so."""

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from projectize.core.pagination import paginate
from projectize.orgs.models import Organization
from tests.factories import make_org, make_root

pytestmark = pytest.mark.django_db


@pytest.fixture
def twelve_orgs() -> None:
    root = make_root()
    for n in range(11):
        make_org(root, f"支部{n:02d}")


def page_of(number: int, cap: int = 5):
    request = RequestFactory().get("/", {"page": number})
    return paginate(request, Organization.objects.order_by("name"), 2, cap=cap)


def test_the_count_stops_at_the_cap_and_the_database_counts_no_further(twelve_orgs):
    with CaptureQueriesContext(connection) as queries:
        page = page_of(1)
        assert page.paginator.count == 5
    assert page.paginator.capped
    assert page.paginator.num_pages == 3
    count_sql = queries.captured_queries[0]["sql"].upper()
    assert "COUNT(" in count_sql and "LIMIT 6" in count_sql and "ORDER BY" not in count_sql


def test_a_page_past_the_cap_is_the_last_counted_page(twelve_orgs):
    page = page_of(99)
    assert page.number == 3
    assert [org.name for org in page] == ["支部04", "支部05"]


def test_under_the_cap_the_count_is_exact(twelve_orgs):
    page = page_of(1, cap=100)
    assert (page.paginator.count, page.paginator.capped, page.paginator.num_pages) == (12, False, 6)


@pytest.mark.parametrize(
    ("language", "capped_text", "exact_text"),
    [
        ("zh-hans", "第 1 / 3+ 页，超过 5 条", "第 1 / 6 页，共 12 条"),
        ("en", "Page 1 of 3+, more than 5 items", "Page 1 of 6, 12 items in all"),
    ],
)
def test_the_page_bar_says_when_there_are_more(twelve_orgs, language, capped_text, exact_text):
    with translation.override(language):
        capped = render_to_string("core/_pagination.html", {"page": page_of(1), "request": RequestFactory().get("/")})
        exact = render_to_string(
            "core/_pagination.html", {"page": page_of(1, cap=100), "request": RequestFactory().get("/")}
        )
    assert capped_text in capped and exact_text in exact
    assert exact_text not in capped

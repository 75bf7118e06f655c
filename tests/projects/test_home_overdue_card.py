"""The workbench's 逾期事项 card counts overdue items as the 督办 list does: up to the list's cap, "N+" beyond it,
so that a district's or a city's home page never counts every overdue item (issue 15)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projectize.projects import home, selectors
from projectize.projects.models import Milestone, ProgressReport, ProjectStatus
from tests.projects.factories import make_project

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
CAP = 3


@pytest.fixture
def capped(monkeypatch):
    """The list's cap, made small enough to pass with a few items."""
    monkeypatch.setattr(selectors, "COUNT_CAP", CAP)
    monkeypatch.setattr(home, "COUNT_CAP", CAP)


def overdue(org, items: int, days: int) -> None:
    """`items` overdue progress reports, `days` past their due date, each of a running project of its own."""
    for n in range(items):
        project = make_project(org, status=ProjectStatus.IN_PROGRESS, code=f"2026-SF-{days:03d}{n:02d}")
        Milestone.objects.filter(project=project).delete()
        ProgressReport.objects.create(project=project, number=1, due_date=TODAY - datetime.timedelta(days=days))


def card_on_the_page(client, user) -> str:
    client.force_login(user)
    page = client.get("/").content.decode()
    start = page.index("逾期事项")
    return page[start : page.index("</a>", start)]


def test_up_to_the_cap_the_card_shows_the_exact_counts(client, capped, org, admin):
    overdue(org, 2, days=20)
    overdue(org, 1, days=3)
    card = card_on_the_page(client, admin)
    assert ">3</div>" in card and "其中严重逾期 2 项" in card and "+" not in card


def test_beyond_the_cap_the_card_shows_the_cap_and_a_plus(client, capped, org, admin):
    overdue(org, 5, days=20)
    overdue(org, 2, days=3)
    with CaptureQueriesContext(connection) as captured:
        card = card_on_the_page(client, admin)
    assert f">{CAP}+</div>" in card and f"其中严重逾期 {CAP}+ 项" in card
    # Each count of overdue reports (all of them, then the long overdue) reads at most the cap's rows and one more.
    counts = [
        q["sql"] for q in captured if "COUNT(" in q["sql"] and '"projects_progressreport"."due_date" <' in q["sql"]
    ]
    assert len(counts) == 2 and all(f"LIMIT {CAP + 1}" in sql for sql in counts)

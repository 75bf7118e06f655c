"""The public home page at scale: a few queries whatever the size, its counters from the dashboard's roll-up
(saying when they were counted), and the whole page kept briefly for every visitor."""

from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projectize.projects.models import Project, ProjectStatus, ProjectType
from projectize.reports import rollup
from tests.showcase.factories import make_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_figures():
    caches["figures"].clear()
    yield
    caches["figures"].clear()


def add_projects(world, count: int) -> None:
    Project.objects.bulk_create(
        Project(
            organization=world.orgs[n % len(world.orgs)],
            year=2026,
            type=ProjectType.DEMONSTRATION,
            status=ProjectStatus.IN_PROGRESS,
            title=f"批量项目{n}",
            beneficiaries=10,
        )
        for n in range(count)
    )


def home_queries(client) -> tuple[int, Any]:
    caches["figures"].clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/public/")
    assert response.status_code == 200
    return len(queries), response


def test_the_home_page_reads_as_few_queries_for_ten_projects_as_for_thousands(client):
    world = make_world(3)
    add_projects(world, 10)
    rollup.count_all()
    few, _response = home_queries(client)
    add_projects(world, 3000)
    rollup.count_all()
    many, response = home_queries(client)
    assert many == few <= 8
    assert response.context["outcomes"]["beneficiaries"] == 30_100
    assert len(response.context["projects"]) == 6


def test_the_counters_come_from_the_roll_up_and_say_when_they_were_counted(client):
    world = make_world(2)
    Project.objects.filter(pk=world.projects[0].pk).update(beneficiaries=500)
    # Not counted yet: the page sums the projects itself.
    assert client.get("/public/").context["outcomes"]["beneficiaries"] == 500
    refreshes = rollup.count_all()
    # A change written without signals (an UPDATE) shows once it is counted again.
    Project.objects.filter(pk=world.projects[1].pk).update(beneficiaries=70)
    caches["figures"].clear()
    response = client.get("/public/")
    assert response.context["outcomes"]["beneficiaries"] == 500
    assert response.context["outcomes_counted_at"] == refreshes[0].counted_at
    assert 'data-testid="outcomes-fresh"' in response.content.decode()
    assert "数据更新于" in response.content.decode()
    rollup.count_all()
    caches["figures"].clear()
    assert client.get("/public/").context["outcomes"]["beneficiaries"] == 570


def test_every_visitor_within_a_minute_gets_the_page_without_a_query(client, settings):
    world = make_world(2)
    rollup.count_all()
    client.get("/public/")
    Project.objects.filter(pk=world.projects[0].pk).update(title="改过的标题")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/public/")
    assert len(queries) == 0
    assert "改过的标题" not in response.content.decode()

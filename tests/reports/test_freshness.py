"""The dashboard says when its figures were counted, shows that later changes are being counted, and has
them counted in the background: a town's at once, the levels above the towns at most every
FIGURES_UPPER_EVERY seconds."""

import datetime

import pytest
import time_machine
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projectize.core.jobs import jobs_run_pending
from projectize.core.models import Job
from projectize.orgs.models import Role
from projectize.projects.models import ProjectStatus
from projectize.reports import rollup
from projectize.reports.models import Refresh
from tests.factories import make_org, make_root, user_with_role
from tests.projects.factories import make_project
from tests.reports.world import add, build_city

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_figures():
    caches["figures"].clear()
    yield
    caches["figures"].clear()


def kpi(response, name: str) -> int:
    return response.context["outcomes"][name]


def test_the_page_says_when_its_figures_were_counted_and_what_is_still_being_counted(
    client, django_capture_on_commit_callbacks
):
    root = make_root()
    branch = make_org(root, "新桥居民区党总支")
    client.force_login(user_with_role(Role.LEADER, root))
    make_project(branch, status=ProjectStatus.IN_PROGRESS, complete=False, beneficiaries=30)

    # Never counted: the first view counts the town, and says when.
    response = client.get("/reports/dashboard/")
    counted = Refresh.objects.get(organization=root).counted_at
    page = response.content.decode()
    assert kpi(response, "beneficiaries") == 30
    assert 'data-testid="figures-fresh"' in page and "统计数据更新于" in page
    assert page.count("数据更新于") >= 12 + 4 + 3  # each chart, each counter, each table
    assert timezone.localtime(counted).strftime("%Y") in page
    assert 'data-testid="figures-pending"' not in page

    # A change marks the town and queues its count; until the count runs the page says so.
    with django_capture_on_commit_callbacks(execute=True):
        make_project(branch, status=ProjectStatus.IN_PROGRESS, complete=False, beneficiaries=12)
    response = client.get("/reports/dashboard/")
    assert kpi(response, "beneficiaries") == 30
    assert 'data-testid="figures-pending"' in response.content.decode()

    assert jobs_run_pending() == 1
    response = client.get("/reports/dashboard/")
    assert kpi(response, "beneficiaries") == 42
    assert 'data-testid="figures-pending"' not in response.content.decode()
    recounted = Refresh.objects.get(organization=root).counted_at
    assert counted is not None and recounted is not None
    assert recounted > counted


def test_the_levels_above_the_towns_are_counted_at_most_every_figures_upper_every(
    client, settings, django_capture_on_commit_callbacks
):
    settings.FIGURES_UPPER_EVERY = 600
    city = build_city((3, 2))
    rollup.count_all()
    town = city.towns[0]
    client.force_login(city.leader)
    before = kpi(client.get("/reports/dashboard/", {"org": city.district.pk}), "beneficiaries")
    town_before = kpi(client.get("/reports/dashboard/", {"org": town.committee.pk}), "beneficiaries")

    with django_capture_on_commit_callbacks(execute=True):
        add(town, status=ProjectStatus.IN_PROGRESS, year=2026, beneficiaries=100)
    assert jobs_run_pending() == 1
    # The town is counted at once; the district waits for its turn, and says so.
    assert kpi(client.get("/reports/dashboard/", {"org": town.committee.pk}), "beneficiaries") == town_before + 100
    district = client.get("/reports/dashboard/", {"org": city.district.pk})
    assert kpi(district, "beneficiaries") == before
    assert 'data-testid="figures-pending"' in district.content.decode()
    waiting = Job.objects.get(kind=rollup.JOB_KIND, status="queued")
    assert waiting.run_after > timezone.now() + datetime.timedelta(seconds=590)

    with time_machine.travel(waiting.run_after + datetime.timedelta(seconds=1)):
        assert jobs_run_pending() == 1
    assert kpi(client.get("/reports/dashboard/", {"org": city.district.pk}), "beneficiaries") == before + 100


def queries(client, **params) -> int:
    caches["figures"].clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/reports/dashboard/", params).status_code == 200
    return len(captured)


def test_a_district_reads_as_few_queries_as_a_town_whatever_the_number_of_rows(client):
    city = build_city((2, 2))
    rollup.count_all()
    client.force_login(city.leader)
    scopes = [{}, {"org": city.district.pk}, {"org": city.towns[0].committee.pk}]
    few = [queries(client, **scope) for scope in scopes]
    for town in city.towns:
        for n in range(30):
            add(town, status=ProjectStatus.CONCLUDED, year=2025, title=f"新增{n}", beneficiaries=n)
    rollup.count_all()
    many = [queries(client, **scope) for scope in scopes]
    assert many == few and max(many) <= 15

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projectize.orgs.models import Role
from projectize.projects.models import Project, ProjectStatus, ProjectType
from projectize.reports import rollup
from tests.factories import make_org, make_root, user_with_role

pytestmark = pytest.mark.django_db

TYPES = [ProjectType.INNOVATION, ProjectType.DEMONSTRATION, ProjectType.INSTITUTIONAL]
STATUSES = [ProjectStatus.APPROVED, ProjectStatus.IN_PROGRESS, ProjectStatus.CONCLUDED]


def add_projects(organizations, count, start=0):
    Project.objects.bulk_create(
        Project(
            organization=organizations[n % len(organizations)],
            year=2012 + n % 4,
            type=TYPES[n % 3],
            status=STATUSES[n % 3],
            title=f"项目{start + n}",
            problems_solved=n % 2,
            beneficiaries=10,
        )
        for n in range(count)
    )


def dashboard_queries(client, **params):
    """The dashboard's queries when it reads the roll-up (nothing kept in the figures cache)."""
    caches["figures"].clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/reports/dashboard/", params)
    assert response.status_code == 200
    return len(queries), response


def test_the_dashboard_reads_a_few_queries_whatever_the_number_of_projects(client):
    root = make_root()
    organizations = [make_org(root, f"第{n}党支部") for n in range(20)]
    leader = user_with_role(Role.LEADER, root)
    client.force_login(leader)
    add_projects(organizations, 100)
    client.get("/reports/dashboard/")  # the first view counts a town never counted
    small, response = dashboard_queries(client)
    assert response.context["outcomes"]["beneficiaries"] == 1000
    add_projects(organizations, 9900, start=100)
    rollup.count_all()  # rows written in bulk are counted by whoever writes them
    large, response = dashboard_queries(client)
    assert response.context["outcomes"]["beneficiaries"] == 100_000
    assert Project.objects.count() == 10_000
    assert large == small <= 15
    # Within FIGURES_CACHE_SECONDS the same figures come from the cache.
    with CaptureQueriesContext(connection) as cached:
        client.get("/reports/dashboard/")
    assert len(cached) < small


def test_it_counts_by_type_within_the_chosen_year_and_subtree(client):
    root = make_root()
    branch = make_org(root, "社区党总支")
    inside = make_org(branch, "新桥居民区党总支")
    outside = make_org(root, "新庄村党总支")
    client.force_login(user_with_role(Role.TOWN_ADMIN, root))
    add_projects([inside], 6)
    add_projects([outside], 3)
    response = client.get("/reports/dashboard/", {"org": branch.pk, "year": 2012})
    by_type = next(chart for chart in response.context["charts"] if chart.key == "projects_by_type")
    # Years cycle 2012..2015: of the six projects inside, n = 0 and 4 fall in 2012 (types 0 and 1).
    assert dict(zip(by_type.categories, by_type.series[0][1], strict=True)) == {
        "创新探索型": 1,
        "典型示范型": 1,
        "制度推广型": 0,
    }


def test_it_refuses_people_who_are_not_leaders_or_staff(client):
    root = make_root()
    client.force_login(user_with_role(Role.SECRETARY, make_org(root, "新桥居民区党总支")))
    assert client.get("/reports/dashboard/").status_code == 403


def test_it_answers_404_for_an_organization_outside_the_leaders_tree(client):
    mine = make_root()
    other = make_root("泗泾镇党委")
    client.force_login(user_with_role(Role.LEADER, mine))
    assert client.get("/reports/dashboard/", {"org": other.pk}).status_code == 404


def test_each_chart_exports_its_numbers_to_excel(client):
    from io import BytesIO

    from openpyxl import load_workbook

    root = make_root()
    client.force_login(user_with_role(Role.TOWN_ADMIN, root))
    add_projects([make_org(root, "新桥居民区党总支")], 9)
    response = client.get("/reports/dashboard/projects_by_type.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("类别", "项目数（个）")
    assert rows[1:] == [("创新探索型", 3), ("典型示范型", 3), ("制度推广型", 3)]

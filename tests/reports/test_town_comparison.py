"""The district dashboard compares its towns side by side: each town's figures as its source tables count
them, ranked on the indicator chosen, each town's name leading to its own dashboard, in a fixed number of
queries whatever the number of towns."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from projectize.needs.models import Need
from projectize.orgs.models import Organization, OrgKind, Role
from projectize.projects.models import ProjectStatus, ProjectType
from projectize.reports import rollup
from projectize.reports.selectors import Comparison, TownRow
from tests.factories import user_with_role
from tests.reports import live
from tests.reports.world import City, add, build_city, build_town

pytestmark = pytest.mark.django_db

UNDER_WAY = {ProjectStatus.APPROVED, ProjectStatus.IN_PROGRESS, ProjectStatus.ACCEPTANCE, ProjectStatus.RECTIFYING}


@pytest.fixture(autouse=True)
def _fresh_figures():
    caches["figures"].clear()
    yield
    caches["figures"].clear()


@pytest.fixture
def city() -> City:
    city = build_city((8, 5))
    # Some needs have had a reply: three of Xinqiao's, one of Sijing's.
    for town, answered in zip(city.towns, (3, 1), strict=True):
        needs = Need.objects.filter(organization=town.committee).order_by("id")[:answered]
        Need.objects.filter(pk__in=[n.pk for n in needs]).update(first_response_at=timezone.now())
    rollup.count_all()
    return city


def comparison_of(client, **params) -> Comparison:
    response = client.get("/reports/dashboard/", params)
    assert response.status_code == 200
    found: Comparison | None = response.context["comparison"]
    assert found is not None
    return found


def expected(town: Organization, year: int | None) -> dict[str, object]:
    """A town's figures counted straight from the source tables (tests.reports.live), and its answers."""
    counted = live.figures(town, year)
    needs = Need.objects.filter(organization__path__startswith=town.path)
    if year:
        needs = needs.filter(created_at__year=year)
    by_type, by_status = counted["by_type"], counted["by_status"]
    return {
        "projects": sum(by_status.values()),
        **{f"type.{kind}": by_type.get(kind, 0) for kind in ProjectType.values if kind != ProjectType.REGIONAL},
        "under_way": sum(n for status, n in by_status.items() if status in UNDER_WAY),
        "concluded": by_status.get(ProjectStatus.CONCLUDED, 0),
        "needs": needs.count(),
        "answered": needs.filter(first_response_at__isnull=False).count(),
        "claimed": counted["claim_rate"]["claimed"] or 0,
        "spent": sum((paid for _budget, _allocated, paid in counted["funds"].values()), Decimal(0)),
        **counted["outcomes"],
    }


def row_of(comparison: Comparison, town: Organization) -> TownRow:
    return next(row for row in comparison.rows if row.organization == town)


@pytest.mark.parametrize("year", [None, 2025, 2026])
def test_each_towns_figures_are_what_its_source_tables_count(client, city, year):
    client.force_login(user_with_role(Role.DISTRICT_STAFF, city.district))
    comparison = comparison_of(client, **({"year": year} if year else {}))
    assert {row.organization for row in comparison.rows} == {town.committee for town in city.towns}
    for town in city.towns:
        want = expected(town.committee, year)
        row = row_of(comparison, town.committee)
        assert {key: row.values[key] for key in want} == want
    # Something is counted in every column, so the comparison is not of zeros.
    xinqiao = row_of(comparison_of(client), city.towns[0].committee)
    assert all(xinqiao.values[key] for key in expected(city.towns[0].committee, None))


def test_towns_are_ranked_on_the_chosen_indicator_highest_first(client, city):
    xinqiao, sijing = (town.committee for town in city.towns)
    # Sijing gets more people benefited than Xinqiao, but still fewer projects.
    add(city.towns[1], status=ProjectStatus.CONCLUDED, year=2026, beneficiaries=10_000, title="泗泾大项目")
    rollup.count_all()
    client.force_login(city.leader)
    by_people = comparison_of(client, org=city.district.pk, rank="beneficiaries")
    assert by_people.rank_by.key == "beneficiaries"
    assert [(by_people.rank_of(r), r.organization) for r in by_people.rows] == [(1, sijing), (2, xinqiao)]
    by_projects = comparison_of(client, org=city.district.pk, rank="projects")
    assert [(by_projects.rank_of(r), r.organization) for r in by_projects.rows] == [(1, xinqiao), (2, sijing)]
    # An unknown indicator falls back to problems solved.
    fallback = comparison_of(client, org=city.district.pk, rank="nonsense")
    assert fallback.rank_by.key == "problems_solved"
    problems = [row.values["problems_solved"] for row in fallback.rows]
    assert problems == sorted(problems, reverse=True)


def test_equal_figures_share_a_rank_and_the_page_shows_the_ranks_in_order(client, city):
    client.force_login(city.leader)
    # Each town's three targets have a claim made on them.
    comparison = comparison_of(client, org=city.district.pk, rank="claimed")
    claimed = {row.organization: row.values["claimed"] for row in comparison.rows}
    assert len(set(claimed.values())) == 1
    assert [comparison.rank_of(row) for row in comparison.rows] == [1, 1]
    response = client.get("/reports/dashboard/", {"org": city.district.pk, "rank": "projects"})
    html = response.content.decode()
    first, second = (town.committee for town in city.towns)
    assert html.index(f'data-testid="town-{first.pk}"') < html.index(f'data-testid="town-{second.pk}"')
    assert [html.count(f'<td class="rank">{n}</td>') for n in (1, 2)] == [1, 1]
    assert '<option value="projects" selected>' in html


def test_a_town_name_leads_to_that_towns_own_dashboard_for_district_staff(client, city):
    staff = user_with_role(Role.DISTRICT_STAFF, city.district)
    client.force_login(staff)
    response = client.get("/reports/dashboard/", {"year": 2026})
    sijing = city.towns[1].committee
    link = f'href="?year=2026&amp;org={sijing.pk}"'
    assert link in response.content.decode()
    town_page = client.get("/reports/dashboard/", {"year": 2026, "org": sijing.pk})
    assert town_page.status_code == 200
    assert town_page.context["scope"].organization == sijing
    # A town's own dashboard has no comparison, and leads back to the district.
    assert town_page.context["comparison"] is None
    assert town_page.context["back_to"] == city.district
    assert town_page.context["outcomes"] == live.figures(sijing, 2026)["outcomes"]


def test_a_town_admin_sees_no_comparison_and_cannot_open_another_town(client, city):
    xinqiao, sijing = city.towns
    client.force_login(xinqiao.admin)
    own = client.get("/reports/dashboard/")
    assert own.status_code == 200
    assert own.context["scope"].organization == xinqiao.committee
    assert own.context["comparison"] is None and own.context["back_to"] is None
    assert client.get("/reports/dashboard/", {"org": sijing.committee.pk}).status_code == 404
    assert client.get("/reports/dashboard/", {"org": city.district.pk}).status_code == 404
    assert client.get("/reports/dashboard/towns.xlsx").status_code == 404


def test_the_comparison_exports_to_excel_in_its_ranking_order(client, city):
    client.force_login(city.leader)
    response = client.get("/reports/dashboard/towns.xlsx", {"org": city.district.pk, "rank": "projects"})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("名次（按项目数 · 合计（个））", "镇（街道）", "项目数 · 合计（个）")
    assert [row[:3] for row in rows[1:]] == [
        (1, "新桥镇党委", expected(city.towns[0].committee, None)["projects"]),
        (2, "泗泾镇党委", expected(city.towns[1].committee, None)["projects"]),
    ]


def queries(client) -> tuple[int, int]:
    """The dashboard's queries and the number of towns it compares (nothing kept in the figures cache)."""
    caches["figures"].clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/reports/dashboard/")
    assert response.status_code == 200
    comparison = response.context["comparison"]
    assert comparison is not None
    return len(captured), len(comparison.rows)


def test_the_comparison_reads_as_many_queries_for_five_towns_as_for_two(client):
    district = Organization.objects.add_root({"name": "松江区委", "kind": OrgKind.DISTRICT})
    for n in range(2):
        build_town(district, f"第{n}", 2)
    rollup.count_all()
    client.force_login(user_with_role(Role.DISTRICT_STAFF, district))
    two, compared = queries(client)
    assert compared == 2
    for n in range(2, 5):
        build_town(district, f"第{n}", 3)
    rollup.count_all()
    five, compared = queries(client)
    assert compared == 5
    assert five == two <= 20


def test_a_town_added_since_the_last_count_is_counted_for_the_comparison(client, city):
    newcomer = build_town(city.district, "车墩", 2)
    client.force_login(city.leader)
    comparison = comparison_of(client, org=city.district.pk)
    assert row_of(comparison, newcomer.committee).values["projects"] == expected(newcomer.committee, None)["projects"]


def test_the_towns_figures_are_read_once_until_a_town_is_counted_again(client, city):
    client.force_login(city.leader)
    comparison_of(client, org=city.district.pk)
    with CaptureQueriesContext(connection) as again:
        comparison_of(client, org=city.district.pk)
    assert not [q for q in again.captured_queries if "reports_tally" in q["sql"] and "GROUP BY" in q["sql"]]

    # A new project counted into Xinqiao's roll-up shows at once, not after the cache's time.
    xinqiao = city.towns[0]
    before = row_of(comparison_of(client, org=city.district.pk), xinqiao.committee).values["projects"]
    add(xinqiao, type=ProjectType.INNOVATION, status=ProjectStatus.IN_PROGRESS, title="新桥新项目")
    rollup.count_all()
    after = row_of(comparison_of(client, org=city.district.pk), xinqiao.committee).values["projects"]
    assert after == before + 1

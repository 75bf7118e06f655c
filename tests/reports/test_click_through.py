"""Every bar or slice of the dashboard opens a list that shows exactly the rows it counted.

Run on the whole demo, as a leader (who reads but does not handle the work), for the town, for one
branch and for one year: a list that ignored the dashboard's organization or year, or that the leader
may not open, would show a different number.
"""

import pytest
from django.core.management import call_command

from projectize.orgs.models import Organization
from tests.factories import PASSWORD
from tests.reports import live, rolled

pytestmark = pytest.mark.django_db

# Charts whose figures are sums of money or outcomes, not rows: their lists cannot be counted against them.
SUMS = {"outcomes_by_year", "beneficiaries_by_year", "funds_by_year"}


def listed(response, chart_key: str) -> int:
    """How many rows the list says it holds (distinct units, for the units-by-kind chart)."""
    assert response.status_code == 200, response.status_code
    if chart_key == "units_by_kind":
        return response.context["unit_count"]
    return response.context["page"].paginator.count


def check_every_link(client, query: dict) -> int:
    response = client.get("/reports/dashboard/", query)
    assert response.status_code == 200
    checked = 0
    for chart in response.context["charts"]:
        if chart.key in SUMS:
            continue
        for category, link, numbers in chart.table:
            assert link, f"{chart.key} / {category} opens no list"
            # The by-year chart stacks the types: its bar counts every project of the year.
            figure = sum(numbers)
            assert listed(client.get(link), chart.key) == figure, f"{chart.key} / {category}: {link}"
            checked += 1
    return checked


def test_each_chart_element_opens_the_list_of_what_it_counted_and_every_figure_is_exact(client):
    call_command("load_demo", "--i-know-this-is-a-demo", verbosity=0)
    assert client.login(username="leader1", password=PASSWORD)
    town = Organization.objects.get(kind="committee", name="新桥镇党委")
    branch = Organization.objects.get(name="社区党建服务中心党总支")

    assert check_every_link(client, {}) > 40
    assert check_every_link(client, {"org": branch.pk}) > 10
    assert check_every_link(client, {"org": town.pk, "year": 2012}) > 10

    # And every figure, for the town, a branch and two years, is what counting the source tables gives.
    district = Organization.objects.get(name="松江区委")
    scopes = [(town, None), (branch, None), (town, 2012), (town, 2017), (branch, 2017), (district, None)]
    for organization, year in scopes:
        expected = rolled.comparable(live.figures(organization, year))
        assert rolled.comparable(rolled.figures(organization, year)) == expected, (organization.name, year)

"""What keeps the needs pages fast at a city's size: a fixed number of queries whatever the rows, and no list
of every organization or area in the forms (they are typed and chosen, and checked on the server)."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projectize.needs.models import Channel, Need
from projectize.orgs.models import OrgKind, Role
from tests.factories import make_org, make_root, user_with_role
from tests.needs.factories import make_category, make_need

pytestmark = pytest.mark.django_db

OPTIONS = "/orgs/options/"


@pytest.fixture
def town():
    root = make_root()
    branch = make_org(root, "社区党总支", OrgKind.GENERAL_BRANCH)
    area = make_org(branch, "春申居民区党总支", OrgKind.RESIDENTIAL)
    other = make_root("泗泾镇党委")
    return {
        "root": root,
        "branch": branch,
        "area": area,
        "police": make_org(root, "新桥派出所党支部", OrgKind.STATIONED),
        "other": other,
        "other_area": make_org(other, "泗泾居民区党总支", OrgKind.RESIDENTIAL),
        "staff": user_with_role(Role.TOWN_ADMIN, root),
    }


def queries(client, url: str, params: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "params",
    [{}, {"status": "received"}, {"channel": Channel.PORTAL}, {"q": "停车"}, {"organization": "area"}, {"page": 2}],
)
def test_the_needs_list_reads_the_same_number_of_queries_for_10_or_70_needs(client, town, params):
    params = {k: town[v].pk if k == "organization" else v for k, v in params.items()}
    for n in range(10):
        make_need(town["root"], f"停车难{n}", area=town["area"])
    client.force_login(town["staff"])
    few = queries(client, "/needs/", params)
    for n in range(60):
        make_need(town["root"], f"停车难{n}", area=town["area"])
    assert queries(client, "/needs/", params) == few <= 15


def test_the_organization_filter_finds_needs_by_committee_or_by_area(client, town):
    inside = make_need(town["root"], "春申路灯", area=town["area"])
    make_need(town["root"], "别处路灯")
    client.force_login(town["staff"])
    shown = lambda org: {n.title for n in client.get("/needs/", {"organization": org.pk}).context["page"]}  # noqa: E731
    assert shown(town["area"]) == shown(town["branch"]) == {inside.title}
    assert shown(town["root"]) == {"春申路灯", "别处路灯"}


def test_the_forms_list_no_organization_or_area(client, town):
    for n in range(30):
        make_org(town["branch"], f"第{n}居民区党总支", OrgKind.RESIDENTIAL)
    client.force_login(town["staff"])
    staff_form = client.get("/needs/new/").content.decode()
    public_form = client.get("/needs/public/new/").content.decode()
    for page in (staff_form, public_form):
        assert "第7居民区党总支" not in page and 'role="combobox"' in page
    assert "新桥派出所党支部" not in staff_form


def test_areas_are_offered_to_anyone_units_only_to_staff_and_only_their_own(client, town):
    areas = client.get(OPTIONS, {"kind": "area", "within": town["root"].pk, "q": "春申"}).json()["results"]
    assert [(a["label"], a["detail"]) for a in areas] == [("春申居民区党总支", "社区党总支")]
    assert client.get(OPTIONS, {"kind": "unit", "within": town["root"].pk, "q": "派出所"}).status_code == 403

    client.force_login(town["staff"])
    units = client.get(OPTIONS, {"kind": "unit", "within": town["root"].pk, "q": "派出所"}).json()["results"]
    assert [u["id"] for u in units] == [town["police"].pk]
    assert client.get(OPTIONS, {"kind": "unit", "within": town["other"].pk}).json()["results"] == []


def test_the_options_are_at_most_twenty_in_a_fixed_number_of_queries(client, town):
    for n in range(30):
        make_org(town["branch"], f"第{n}居民区党总支", OrgKind.RESIDENTIAL)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(OPTIONS, {"kind": "area", "within": town["root"].pk, "q": "居民区"})
    assert len(json.loads(response.content)["results"]) == 20
    assert len(captured) <= 3


def test_a_chosen_number_outside_the_town_is_refused_beside_its_field(client, town):
    make_category(town["root"], "交通管理")
    client.force_login(town["staff"])
    response = client.post(
        "/needs/new/",
        {
            "channel": Channel.UNIT_SUGGESTION,
            "source_organization": town["other"].pk,
            "title": "路口拥堵",
            "description": "放学时路口拥堵。",
            "category": make_category(town["root"], "交通管理").pk,
            "area": town["other_area"].pk,
        },
    )
    page = response.content.decode()
    assert 'data-testid="error-area"' in page and 'data-testid="error-source_organization"' in page
    assert not Need.objects.exists()

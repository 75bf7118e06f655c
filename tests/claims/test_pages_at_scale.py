"""The claim and target pages read a fixed number of queries (at most 15) whatever the number of claims,
targets and programmes: the lists page in the database and read their figures for the page's rows only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projectize.claims.models import ClaimStatus
from projectize.orgs.models import OrgKind, Role
from projectize.programmes.models import TargetStatus
from tests.claims.helpers import make_claim
from tests.factories import make_org, make_root, user_with_role
from tests.programmes.factories import make_programme, make_section, make_target

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    root = make_root()
    unit = make_org(root, "新桥商业广场有限公司", OrgKind.ENTERPRISE)
    return {"root": root, "unit": unit, "leader": user_with_role(Role.LEADER, root), "n": 0}


def grow(town, programmes: int, targets: int) -> None:
    """More programmes, each with targets and claims from new units."""
    for _p in range(programmes):
        town["n"] += 1
        programme = make_programme(town["root"], year=2000 + town["n"], title=f"家新桥{town['n']}")
        section = make_section(programme)
        for t in range(targets):
            target = make_target(section, title=f"标的{town['n']}-{t}", order=t)
            lead = make_claim(target, town["unit"], ClaimStatus.AWARDED, contact=town.get("contact"), is_lead=True)
            make_claim(target, make_org(town["root"], f"单位{town['n']}-{t}", OrgKind.SOCIAL_ORG))
            town.setdefault("contact", lead.contact)


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url",
    [
        "/claims/all/",
        "/claims/all/?status=awarded",
        "/claims/all/?page=2",
        "/programmes/targets/",
        "/programmes/targets/?stage=claimed",
        "/programmes/targets/?page=2",
    ],
)
def test_staff_lists_read_the_same_queries_for_few_or_many_rows(client, town, url):
    grow(town, 1, 2)
    client.force_login(town["leader"])
    few = queries(client, url)
    grow(town, 3, 12)
    assert queries(client, url) == few <= 15


def test_a_claim_contacts_pages_read_the_same_queries_for_few_or_many_claims(client, town):
    grow(town, 1, 2)
    client.force_login(town["contact"])
    claim = town["contact"].claims.first()
    client.get(claim.get_absolute_url())  # the first view reads what later views find cached
    few_list, few_page = queries(client, "/claims/"), queries(client, claim.get_absolute_url())
    grow(town, 3, 12)
    assert (queries(client, "/claims/"), queries(client, claim.get_absolute_url())) == (few_list, few_page)
    assert few_list <= 15 and few_page <= 15


def test_the_public_target_list_reads_the_same_queries_for_few_or_many_programmes(client, town):
    grow(town, 1, 2)
    few = queries(client, "/programmes/public/")
    grow(town, 6, 5)
    many = queries(client, "/programmes/public/")
    assert many == few <= 15
    page = client.get("/programmes/public/").content.decode()
    # 32 targets: the first page's 30 are the six newest programmes' (one section each), the oldest's come next.
    assert page.count('data-testid="target-status"') == 30
    assert page.count('data-testid="public-targets"') == 6 and "标的1-0" not in page


def test_the_target_board_shows_each_targets_claims_and_awarded_unit(client, town):
    grow(town, 1, 2)
    draft = make_target(make_section(make_programme(town["root"], year=1999)), status=TargetStatus.DRAFT)
    client.force_login(town["leader"])
    rows = {t.title: t for t in client.get("/programmes/targets/").context["page"]}
    assert (rows["标的1-0"].made_claims, rows["标的1-0"].awarded_unit) == (2, "新桥商业广场有限公司")
    assert (rows[draft.title].made_claims, rows[draft.title].awarded_unit) == (0, None)


def test_a_contact_is_offered_the_open_targets_of_their_own_committees_only(client, town):
    grow(town, 1, 1)
    other = make_root("泗泾镇党委")
    elsewhere = make_target(make_section(make_programme(other)), title="泗泾停车")
    mine = make_target(make_section(make_programme(town["root"], title="今年")), title="新桥停车")
    client.force_login(town["contact"])
    offered = [t.title for t in client.get("/claims/").context["targets"]]
    assert mine.title in offered and elsewhere.title not in offered

"""The organization tree, list and search pages cost the same number of queries at 10 and 1,000 organizations."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projectize.orgs.models import Organization, OrgKind

pytestmark = pytest.mark.django_db


def grow(branch: Organization, total: int) -> None:
    """Add `total` children under `branch` with one bulk insert, laid out as treebeard lays them out."""
    step = Organization.steplen
    existing = Organization.objects.filter(path__startswith=branch.path, depth=branch.depth + 1).count()
    kids = [
        Organization(
            name=f"党支部{n:05d}",
            kind=OrgKind.RESIDENTIAL,
            path=branch.path + Organization._int2str(existing + n + 1).rjust(step, "0"),
            depth=branch.depth + 1,
            numchild=0,
        )
        for n in range(total)
    ]
    Organization.objects.bulk_create(kids)
    Organization.objects.filter(pk=branch.pk).update(numchild=existing + total)


def queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/orgs/", {}),
        ("/orgs/", {"q": "党支部"}),
        ("/orgs/list/", {}),
        ("/orgs/list/", {"kind": OrgKind.RESIDENTIAL, "active": "1"}),
        ("/orgs/list/", {"name": "党支部"}),
        ("/orgs/users/", {}),
    ],
)
def test_pages_stay_flat_from_10_to_1000_organizations(town, as_user, url, params):
    client = as_user(town["admin"])
    grow(town["xinqiao"], 10)
    grow(town["root"], 10)
    small = queries(client, url, **params)
    grow(town["xinqiao"], 990)
    grow(town["root"], 990)
    assert Organization.objects.count() > 2000
    assert queries(client, url, **params) == small


@pytest.mark.parametrize("page", ["children/", ""])
def test_one_level_of_children_and_the_detail_page_stay_flat(town, as_user, page):
    client = as_user(town["admin"])
    grow(town["branch"], 10)
    url = f"/orgs/{town['branch'].pk}/{page}"
    queries(client, url)  # warm the content-type cache the timeline uses
    small = queries(client, url)
    grow(town["branch"], 990)
    assert queries(client, url) == small


def test_the_subtree_list_stays_flat(town, as_user):
    client = as_user(town["admin"])
    grow(town["branch"], 10)
    small = queries(client, "/orgs/list/", subtree=town["branch"].pk)
    grow(town["branch"], 990)
    assert queries(client, "/orgs/list/", subtree=town["branch"].pk) == small

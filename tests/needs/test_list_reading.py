"""Leaders read the needs list their dashboard counts; the list narrows by year and organization subtree."""

from datetime import datetime

import pytest
from django.utils import timezone

from projectize.needs.models import Need, NeedStatus
from projectize.orgs.models import OrgKind, Role
from tests.core.test_list_exports import rows_of
from tests.factories import make_org, make_root, user_with_role
from tests.needs.factories import make_need

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    root = make_root()
    branch = make_org(root, "社区党总支", OrgKind.GENERAL_BRANCH)
    return {
        "root": root,
        "branch": branch,
        "chunshen": make_org(branch, "春申居民区党总支"),
        "village": make_org(root, "新庄村党总支", OrgKind.VILLAGE),
    }


def listed(response) -> list[str]:
    assert response.status_code == 200
    return [need.title for need in response.context["page"]]


def test_a_leader_reads_needs_and_their_pages_but_cannot_handle_them(client, town):
    need = make_need(town["root"], "路灯不亮", submitter_mobile="13912345678")
    leader = user_with_role(Role.LEADER, town["root"])
    client.force_login(leader)
    page = client.get("/needs/")
    assert listed(page) == ["路灯不亮"]
    assert "登记需求" not in page.content.decode()
    detail = client.get(need.get_absolute_url()).content.decode()
    assert "13912345678" not in detail and "139****5678" in detail
    assert client.post(f"/needs/{need.pk}/reply/", {"message": "已派人处理"}).status_code == 404
    assert client.get("/needs/new/").status_code == 403
    assert not need.updates.exists()


def test_a_leader_of_another_town_sees_none_of_these_needs(client, town):
    need = make_need(town["root"], "路灯不亮")
    stranger = user_with_role(Role.LEADER, make_root("泗泾镇党委"))
    client.force_login(stranger)
    assert listed(client.get("/needs/")) == []
    assert client.get(need.get_absolute_url()).status_code == 404


def test_year_and_subtree_filters_narrow_the_list(client, town):
    def need(title, area, year):
        made = make_need(town["root"], title, area=area)
        Need.objects.filter(pk=made.pk).update(created_at=timezone.make_aware(datetime(year, 6, 1, 10)))

    need("春申停车难", town["chunshen"], 2025)
    need("春申路灯", town["chunshen"], 2026)
    need("新庄河道", town["village"], 2026)
    client.force_login(user_with_role(Role.TOWN_ADMIN, town["root"]))

    assert sorted(listed(client.get("/needs/", {"organization": town["branch"].pk}))) == ["春申停车难", "春申路灯"]
    assert sorted(listed(client.get("/needs/", {"year": 2026}))) == ["新庄河道", "春申路灯"]
    assert listed(client.get("/needs/", {"year": 2026, "organization": town["branch"].pk})) == ["春申路灯"]
    # The export carries the same filters.
    export = client.get("/needs/", {"year": 2025, "organization": town["branch"].pk, "export": "xlsx"})
    assert [row[1] for row in rows_of(export)[1:]] == ["春申停车难"]


def test_a_bad_filter_is_named_beside_its_field_and_shows_no_rows(client, town):
    make_need(town["root"], "路灯不亮", status=NeedStatus.RECEIVED)
    outside = make_org(make_root("泗泾镇党委"), "泗泾居民区党总支")
    client.force_login(user_with_role(Role.TOWN_ADMIN, town["root"]))
    response = client.get("/needs/", {"year": "1900", "organization": outside.pk})
    assert listed(response) == []
    form = response.context["form"]
    assert form.has_error("year") and form.has_error("organization")
    assert 'data-testid="error-year"' in response.content.decode()


def test_the_list_query_count_does_not_grow_with_the_needs(client, town):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            page = client.get("/needs/", {"organization": town["branch"].pk, "year": timezone.now().year})
        assert page.status_code == 200
        return len(captured)

    client.force_login(user_with_role(Role.LEADER, town["root"]))
    for n in range(3):
        make_need(town["root"], f"需求{n}", area=town["chunshen"])
    few = queries()
    for n in range(3, 40):
        make_need(town["root"], f"需求{n}", area=town["chunshen"])
    assert queries() == few

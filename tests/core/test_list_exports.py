"""Lists export to Excel exactly what their filters show, and only what the user may see."""

import io
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from projectize.core import views
from projectize.core.activity import as_money
from projectize.core.services import log_activity
from projectize.needs.models import Channel
from projectize.orgs.models import Organization, OrgKind, Role
from tests.factories import PASSWORD, make_org, make_root, user_with_role
from tests.needs.factories import make_need


def rows_of(response) -> list[tuple]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return list(workbook.active.iter_rows(values_only=True))


@pytest.fixture
def town(db):
    root = make_root()
    branch = make_org(root, "社区党总支", OrgKind.GENERAL_BRANCH)
    make_org(branch, "春申居民区党总支")
    make_org(branch, "新庄村党总支", OrgKind.VILLAGE)
    other_town = make_root("泗泾镇党委")
    make_org(other_town, "泗泾居民区党总支")
    return root


def test_the_organization_export_follows_the_filter_and_the_scope(client, town):
    admin = user_with_role(Role.TOWN_ADMIN, town)
    client.login(username=admin.username, password=PASSWORD)
    rows = rows_of(client.get("/orgs/list/", {"kind": OrgKind.RESIDENTIAL, "export": "xlsx"}))
    assert rows[0][:2] == ("名称", "类型")
    # Only the residential organization of this town: the other town's is outside the admin's scope.
    assert [row[0] for row in rows[1:]] == ["春申居民区党总支"]


def test_the_needs_export_follows_the_filter_and_leaves_out_contact_data(client, town):
    admin = user_with_role(Role.TOWN_ADMIN, town)
    make_need(town, "小区门口停车难", channel=Channel.HOTLINE, submitter_mobile="13912345678")
    make_need(town, "路灯不亮", channel=Channel.PORTAL)
    client.login(username=admin.username, password=PASSWORD)
    rows = rows_of(client.get("/needs/", {"channel": Channel.HOTLINE, "export": "xlsx"}))
    assert [row[1] for row in rows[1:]] == ["小区门口停车难"]
    assert "13912345678" not in str(rows)


def test_the_activity_log_export_follows_the_filter(client, town):
    admin = user_with_role(Role.TOWN_ADMIN, town)
    log_activity(actor=admin, action="budget.create", target=town, params={"amount": as_money(24000)})
    log_activity(actor=admin, action="organization.update", target=town, params={"note": "第二条"})
    client.login(username=admin.username, password=PASSWORD)
    rows = rows_of(client.get("/activity/", {"action": "budget.create", "export": "xlsx"}))
    assert [row[2:4] for row in rows[1:]] == [("设立预算 ¥24,000.00", "设立预算")]


def test_a_secretary_cannot_export_the_activity_log(client, town):
    secretary = user_with_role(Role.SECRETARY, Organization.objects.get(name="春申居民区党总支"))
    client.login(username=secretary.username, password=PASSWORD)
    assert client.get("/activity/", {"export": "xlsx"}).status_code == 403


def test_the_user_export_follows_the_search_and_lists_roles(client, town):
    admin = user_with_role(Role.TOWN_ADMIN, town, username="boss")
    user_with_role(Role.SECRETARY, Organization.objects.get(name="春申居民区党总支"), username="chunshen")
    user_with_role(Role.SECRETARY, Organization.objects.get(name="新庄村党总支"), username="xinzhuang")
    client.login(username=admin.username, password=PASSWORD)
    rows = rows_of(client.get("/orgs/users/", {"q": "chunshen", "export": "xlsx"}))
    assert [(row[0], row[4]) for row in rows[1:]] == [("chunshen", "春申居民区党总支 · 组织书记")]


@pytest.mark.parametrize("dense", [True, False], ids=["read on from the last chunk", "one cursor"])
def test_the_activity_log_export_reads_on_across_chunks_with_entries_of_one_moment(client, town, monkeypatch, dense):
    # The export reads the log a chunk at a time (a district's reader: each from where the last one ended);
    # entries written in the same instant (one save logs several) must each come once, newest first.
    admin = user_with_role(Role.TOWN_ADMIN, town)
    moment = timezone.now()
    for offset, count in ((timedelta(0), 5), (timedelta(hours=-1), 3)):
        with mock.patch("django.utils.timezone.now", return_value=moment + offset):
            for number in range(count):
                log_activity(
                    actor=admin, action="organization.update", target=town, params={"note": f"{offset}-{number}"}
                )
    monkeypatch.setattr(views, "EXPORT_CHUNK", 2)
    monkeypatch.setattr(views, "activity_is_dense", lambda user: dense)
    client.login(username=admin.username, password=PASSWORD)
    rows = rows_of(client.get("/activity/", {"action": "organization.update", "export": "xlsx"}))
    notes = [row[2].split("\n")[-1] for row in rows[1:]]
    same_moment = [f"0:00:00-{n}" for n in (4, 3, 2, 1, 0)]
    an_hour_before = [f"-1 day, 23:00:00-{n}" for n in (2, 1, 0)]
    assert notes == same_moment + an_hour_before

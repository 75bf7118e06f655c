"""The activity log: append-only, scoped and filterable for admins, shown per object as a timeline."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from projectize.core.models import ActivityLog, AppendOnlyError
from projectize.core.services import log_activity
from projectize.orgs.models import OrgKind, Role
from tests.factories import PASSWORD, UserFactory, make_org, make_root, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    root = make_root()
    branch = make_org(root, "社区党建服务中心党总支", OrgKind.GENERAL_BRANCH)
    rural = make_org(root, "农村党建党总支", OrgKind.GENERAL_BRANCH)
    return {
        "root": root,
        "branch": branch,
        "rural": rural,
        "admin": user_with_role(Role.TOWN_ADMIN, root, username="admin", last_name="王", first_name="建华"),
        "branch_admin": user_with_role(Role.TOWN_ADMIN, branch, username="branchadmin"),
    }


def test_an_entry_cannot_be_changed_or_deleted(town):
    entry = log_activity(
        actor=town["admin"], action="organization.update", target=town["branch"], params={"note": "改名"}
    )
    entry.params = {"note": "篡改"}
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert ActivityLog.objects.get(pk=entry.pk).note == "改名"


def test_the_django_admin_shows_the_log_read_only(town):
    model_admin = admin.site._registry[ActivityLog]
    request = RequestFactory().get("/admin/")
    request.user = UserFactory.create(is_superuser=True, is_staff=True)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert model_admin.has_view_permission(request)


def test_the_admin_pages_refuse_edits(client, town):
    entry = log_activity(actor=town["admin"], action="organization.update", target=town["branch"])
    superuser = UserFactory.create(is_superuser=True, is_staff=True)
    client.force_login(superuser)
    assert client.get("/admin/core/activitylog/").status_code == 200
    assert client.get("/admin/core/activitylog/add/").status_code == 403
    assert client.post(f"/admin/core/activitylog/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert ActivityLog.objects.filter(pk=entry.pk).exists()


def test_the_log_records_the_request_ip(client, town):
    client.login(username="admin", password=PASSWORD)
    client.post(f"/orgs/{town['branch'].pk}/archive/", REMOTE_ADDR="192.0.2.7")
    assert ActivityLog.objects.get(action="organization.archive").ip == "192.0.2.7"


def entries(client, **params):
    return [e.target_repr for e in client.get("/activity/", params).context["page"]]


def test_the_list_filters_by_actor_action_object_organization_and_date(client, town):
    import time_machine

    other = UserFactory.create(username="zhao", last_name="赵", first_name="立新")
    with time_machine.travel("2026-06-01 10:00 +0800"):
        log_activity(actor=town["admin"], action="organization.create", target=town["branch"])
    with time_machine.travel("2026-06-20 10:00 +0800"):
        log_activity(actor=other, action="project.submit", target=town["rural"], params={"note": "提交"})
    client.login(username="admin", password=PASSWORD)
    assert entries(client, actor="王建华") == ["社区党建服务中心党总支"]
    assert entries(client, actor="zhao") == ["农村党建党总支"]
    assert entries(client, action="project.submit") == ["农村党建党总支"]
    page = client.get("/activity/", {"action": "project.submit"}).content.decode()
    assert page.count(" selected>") == 1 and '<option value="project.submit" selected>' in page
    assert entries(client, target="社区") == ["社区党建服务中心党总支"]
    assert entries(client, organization="农村") == ["农村党建党总支"]
    assert entries(client, since="2026-06-10") == ["农村党建党总支"]
    assert entries(client, until="2026-06-10") == ["社区党建服务中心党总支"]
    assert client.get("/activity/", {"since": "not-a-date"}).status_code == 200


def test_the_list_is_scoped_to_the_admins_subtree(client, town):
    log_activity(actor=town["admin"], action="organization.update", target=town["branch"])
    log_activity(actor=town["admin"], action="organization.update", target=town["rural"])
    log_activity(actor=town["admin"], action="user.create", target=town["admin"])  # no organization
    client.login(username="branchadmin", password=PASSWORD)
    assert entries(client) == ["社区党建服务中心党总支"]
    # An entry with no organization is read by whoever made it (and the staff who run the system).
    client.force_login(town["admin"])
    assert str(town["admin"]) in entries(client)


def test_only_admins_see_the_log(client, town):
    secretary = user_with_role(Role.SECRETARY, town["branch"])
    client.login(username=secretary.username, password=PASSWORD)
    assert client.get("/activity/").status_code == 403


def test_an_objects_timeline_shows_only_its_own_entries_newest_first(client, town):
    from django.template import Context, Template

    log_activity(
        actor=town["admin"],
        action="organization.update",
        target=town["branch"],
        params={"note": "第一次"},
        before={"name": "旧名"},
        after={"name": "新名"},
    )
    log_activity(actor=town["admin"], action="organization.update", target=town["rural"], params={"note": "别人的"})
    log_activity(actor=None, action="organization.update", target=town["branch"], params={"note": "第二次"})
    html = Template("{% load projectize %}{% timeline org %}").render(Context({"org": town["branch"]}))
    assert html.index("第二次") < html.index("第一次") and "别人的" not in html
    assert '<span class="fw-semibold">名称：</span> 旧名 → 新名' in html and "系统" in html
    assert html.count("修改组织信息") == 2


def test_the_list_costs_the_same_few_queries_for_10_and_300_entries_of_several_kinds(client, town):
    """Entries about organizations, projects, needs and claims (a claim is named by its unit and target):
    each kind's objects are read once for the page, with what their names are made of; a deep page costs
    what the first does."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.claims.helpers import make_claim
    from tests.needs.factories import make_need
    from tests.programmes.factories import make_programme, make_section, make_target
    from tests.projects.factories import make_project

    target = make_target(make_section(make_programme(town["root"])))
    claim = make_claim(target, make_org(town["root"], "新桥派出所党支部", OrgKind.STATIONED))

    def add(n):
        for i in range(n):
            for subject in (
                town["branch"],
                make_project(town["branch"], complete=False, title=f"项目{i}"),
                make_need(town["root"], title=f"需求{i}", area=town["rural"]),
                claim if i == n - 1 else None,
            ):
                if subject is not None:
                    log_activity(actor=town["admin"], action="organization.update", target=subject)

    def count(**params):
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/activity/", params)
            assert response.status_code == 200
        return len(captured), response

    client.login(username="admin", password=PASSWORD)
    add(4)
    count()  # warm the content-type cache
    small, response = count()
    assert "新桥派出所党支部 · 新桥路口停车治理" in response.content.decode()
    add(100)
    large, response = count()
    deep, deep_response = count(page=5)
    # One query per kind of object on the page (the deep page shows no claim): never one per row.
    assert large == small <= 15 and deep == small - 1
    assert len(response.context["page"]) == 50 and len(deep_response.context["page"]) == 50
    assert response.context["page"].paginator.count == (4 * 3 + 1) + (100 * 3 + 1)


def test_dates_filter_by_the_local_day(client, town):
    import time_machine

    with time_machine.travel("2026-06-01 00:30 +0800"):  # 31 May in UTC
        log_activity(actor=town["admin"], action="organization.create", target=town["branch"])
    with time_machine.travel("2026-05-31 23:30 +0800"):
        log_activity(actor=town["admin"], action="organization.create", target=town["rural"])
    client.login(username="admin", password=PASSWORD)
    assert entries(client, since="2026-06-01") == ["社区党建服务中心党总支"]
    assert entries(client, until="2026-05-31") == ["农村党建党总支"]
    assert entries(client, since="2026-05-31", until="2026-06-01") == ["社区党建服务中心党总支", "农村党建党总支"]


def test_the_organization_filter_finds_entries_by_the_organizations_name(client, town):
    log_activity(actor=town["admin"], action="organization.update", target=town["branch"])
    log_activity(actor=town["admin"], action="organization.update", target=town["rural"])
    client.login(username="admin", password=PASSWORD)
    assert entries(client, organization="农村") == ["农村党建党总支"]
    assert entries(client, organization="没有这个组织") == []


def test_next_starts_after_the_last_entry_shown_and_finds_what_the_page_number_finds(client, town):
    import re
    from html import unescape

    import time_machine

    with time_machine.travel("2026-06-01 10:00 +0800", tick=False) as clock:
        for i in range(120):
            # Ten entries share each second: the last entry's id breaks the tie.
            if i % 10 == 0:
                clock.shift(1)
            log_activity(
                actor=town["admin"], action="organization.update", target=town["branch"], params={"note": str(i)}
            )
    client.login(username="admin", password=PASSWORD)

    def pks(response):
        return [entry.pk for entry in response.context["page"]]

    def next_link(response):
        link = re.search(r'href="(\?[^"]*)" data-testid="next-page"', response.content.decode())
        assert link, "no link to the next page"
        return unescape(link[1])

    first = client.get("/activity/")
    second = client.get(f"/activity/{next_link(first)}")
    third = client.get(f"/activity/{next_link(second)}")
    assert "after=" in next_link(first)
    assert pks(second) == pks(client.get("/activity/", {"page": 2}))
    assert pks(third) == pks(client.get("/activity/", {"page": 3})) and len(pks(third)) == 20
    assert third.context["page"].number == 3 and not third.context["page"].has_next()
    assert len(set(pks(first) + pks(second) + pks(third))) == 120

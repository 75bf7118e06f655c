"""District staff read the activity log of every town below them (read-only), filtered by the organization
tree in the database; a large export of it is written by the background worker (issue 15)."""

import io

import pytest
from django.test import override_settings
from openpyxl import load_workbook

from projectize.core.jobs import jobs_run_pending
from projectize.core.models import ActivityLog, Job, JobStatus
from projectize.core.services import log_activity
from projectize.orgs.models import Organization, OrgKind, Role
from tests.factories import make_org, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def district():
    city = Organization.objects.add_root({"name": "市委", "kind": OrgKind.CITY})
    district = make_org(city, "松江区委", OrgKind.DISTRICT)
    xinqiao = make_org(district, "新桥镇党委", OrgKind.COMMITTEE)
    sijing = make_org(district, "泗泾镇党委", OrgKind.COMMITTEE)
    outside = make_org(make_org(city, "闵行区委", OrgKind.DISTRICT), "七宝镇党委", OrgKind.COMMITTEE)
    orgs = {
        "city": city,
        "district": district,
        "xinqiao": xinqiao,
        "area": make_org(make_org(xinqiao, "社区党总支", OrgKind.GENERAL_BRANCH), "新桥居民区党总支"),
        "sijing": sijing,
        "sijing_area": make_org(sijing, "泗泾居民区党总支"),
        "outside": outside,
        "outside_area": make_org(outside, "七宝居民区党总支"),
    }
    return {key: Organization.objects.get(pk=org.pk) for key, org in orgs.items()}


def log_everywhere(district: dict[str, Organization]) -> None:
    for key in ("xinqiao", "area", "sijing", "sijing_area", "outside", "outside_area"):
        admin = user_with_role(Role.TOWN_ADMIN, district[key], username=f"{key}_admin")
        log_activity(actor=admin, action="organization.update", target=district[key], params={"note": key})
    # An entry with no organization: its author's alone.
    log_activity(actor=admin, action="user.change_password", target=admin)


def test_district_staff_read_both_towns_log_and_nothing_outside_their_district(client, district):
    log_everywhere(district)
    staff = user_with_role(Role.DISTRICT_STAFF, district["district"], username="district_staff")
    client.force_login(staff)
    response = client.get("/activity/")
    assert response.status_code == 200
    shown = {entry.organization.name for entry in response.context["page"]}
    assert shown == {"新桥镇党委", "新桥居民区党总支", "泗泾镇党委", "泗泾居民区党总支"}
    html = response.content.decode()
    assert "七宝" not in html
    # Read-only: the log's page has nothing to change, and a town's pages stay the town admin's to edit.
    assert client.post(f"/orgs/{district['area'].pk}/archive/").status_code in (403, 404)
    assert Organization.objects.get(pk=district["area"].pk).is_active
    # A town admin still reads only their own town.
    client.force_login(user_with_role(Role.TOWN_ADMIN, district["sijing"], username="sj_admin"))
    shown = {entry.organization.name for entry in client.get("/activity/").context["page"]}
    assert shown == {"泗泾镇党委", "泗泾居民区党总支"}


def test_the_city_staff_read_every_district_and_the_organization_filter_narrows_to_a_town(client, district):
    log_everywhere(district)
    client.force_login(user_with_role(Role.DISTRICT_STAFF, district["city"], username="city_staff"))
    assert len(client.get("/activity/").context["page"]) == 6
    narrowed = client.get("/activity/", {"organization": "泗泾"}).context["page"]
    assert {entry.organization.name for entry in narrowed} == {"泗泾镇党委", "泗泾居民区党总支"}


@override_settings(EXPORT_INLINE_ROWS=3)
def test_a_large_export_goes_to_the_worker_and_its_file_holds_the_district_rows(client, district):
    log_everywhere(district)
    staff = user_with_role(Role.DISTRICT_STAFF, district["district"], username="district_staff")
    client.force_login(staff)
    response = client.get("/activity/", {"export": "xlsx"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.status == JobStatus.QUEUED and job.owner == staff and not job.result
    assert client.get(job.get_absolute_url()).status_code == 200

    assert jobs_run_pending() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.result_name == "activity-log.xlsx"
    with job.result.open("rb") as file:
        rows = list(load_workbook(io.BytesIO(file.read()), read_only=True).active.iter_rows(values_only=True))
    assert rows[0][0] == "时间"
    expected = ActivityLog.objects.filter(organization__path__startswith=district["district"].path)
    assert len(rows) - 1 == expected.count() == 4
    assert {row[5] for row in rows[1:]} == {"新桥镇党委", "新桥居民区党总支", "泗泾镇党委", "泗泾居民区党总支"}
    # Each row says what was done, with the note its entry was written with.
    assert sorted(row[2].rsplit("\n", 1)[-1] for row in rows[1:]) == ["area", "sijing", "sijing_area", "xinqiao"]


def test_a_small_export_is_answered_at_once(client, district):
    log_everywhere(district)
    client.force_login(user_with_role(Role.DISTRICT_STAFF, district["district"], username="district_staff"))
    response = client.get("/activity/", {"export": "xlsx"})
    assert response.status_code == 200 and not Job.objects.exists()
    rows = list(
        load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active.iter_rows(
            values_only=True
        )
    )
    assert len(rows) == 5

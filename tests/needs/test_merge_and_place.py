"""Merging asks first and can be undone; duplicates are ranked by place too; residents read the stage truly."""

import pytest

from projectize.claims.models import ClaimStatus
from projectize.core.models import ActivityLog
from projectize.needs import selectors, services
from projectize.needs.models import Need, NeedStatus
from projectize.orgs.models import OrgKind, Role
from projectize.programmes import services as programme_services
from projectize.programmes.models import TargetStatus
from tests.claims.helpers import make_claim
from tests.factories import make_org, make_root, user_with_role
from tests.needs.factories import make_need
from tests.programmes.factories import make_programme, make_section, make_target
from tests.projects.factories import make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    root = make_root()
    return root, user_with_role(Role.TOWN_ADMIN, root)


def logged(need: Need) -> list[str]:
    return list(ActivityLog.objects.filter(target_id=str(need.pk)).order_by("id").values_list("action", flat=True))


def test_merging_shows_both_needs_first_and_changes_nothing_until_confirmed(client, town):
    root, staff = town
    east = make_org(root, "东苑居民区党总支", OrgKind.RESIDENTIAL)
    duplicate = make_need(root, area=east, location="3 号楼门口")
    survivor = make_need(root, area=east, location="3 号楼")
    services.support_add(need=survivor, mobile="13900000001")
    client.force_login(staff)

    page = client.get(f"/needs/{duplicate.pk}/merge/", {"survivor": survivor.pk})

    assert page.status_code == 200
    pair = page.content.decode()
    for shown in ("东苑居民区党总支", "3 号楼门口", "3 号楼", "网上提交", "1 人", "确认合并"):
        assert shown in pair
    duplicate.refresh_from_db()
    assert duplicate.status == NeedStatus.RECEIVED and logged(duplicate) == []

    client.post(f"/needs/{duplicate.pk}/merge/", {"survivor": survivor.pk, "note": ""})

    duplicate.refresh_from_db()
    assert duplicate.status == NeedStatus.MERGED and duplicate.merged_into == survivor
    assert "need.merge" in logged(duplicate) and "need.absorb" in logged(survivor)


def test_staff_undo_a_merge_and_each_need_gets_its_own_supports_back(client, town):
    root, staff = town
    duplicate, survivor = make_need(root), make_need(root)
    services.support_add(need=duplicate, mobile="13900000001")
    services.support_add(need=survivor, mobile="13900000002")
    services.need_merge(duplicate=duplicate, survivor=survivor, actor=staff)
    assert survivor.supports.count() == 2
    client.force_login(staff)

    client.post(f"/workflow/needs.need/{duplicate.pk}/unmerge/", {"note": "位置不同，是两处问题。"})

    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into) == (NeedStatus.ACCEPTED, None)
    assert list(duplicate.supports.values_list("supporter_key", flat=True)) == [services.supporter_key("13900000001")]
    assert list(survivor.supports.values_list("supporter_key", flat=True)) == [services.supporter_key("13900000002")]
    assert "need.unmerge" in logged(duplicate)
    assert "need.release" in logged(survivor)
    # The resident's tracking page is the need's own again, with the reason.
    tracking = client.get(f"/needs/public/track/{duplicate.code}/").content.decode()
    assert 'data-testid="merged-notice"' not in tracking and "位置不同，是两处问题。" in tracking


def test_an_unmerge_needs_a_reason(client, town):
    root, staff = town
    duplicate, survivor = make_need(root), make_need(root)
    services.need_merge(duplicate=duplicate, survivor=survivor, actor=staff)
    client.force_login(staff)
    client.post(f"/workflow/needs.need/{duplicate.pk}/unmerge/", {"note": " "})
    duplicate.refresh_from_db()
    assert duplicate.status == NeedStatus.MERGED


def test_the_same_words_in_another_community_rank_below_the_same_building(town):
    root, _staff = town
    east = make_org(root, "东苑居民区党总支", OrgKind.RESIDENTIAL)
    west = make_org(root, "西苑居民区党总支", OrgKind.RESIDENTIAL)
    elsewhere = make_need(root, area=west, location="3 号楼")
    same_building = make_need(root, area=east, location="3 号楼")
    new = make_need(root, area=east, location="3 号楼")

    ranked = selectors.similar_needs(
        root, f"{new.title} {new.description}", exclude=new.pk, area_id=east.pk, location=new.location
    )

    assert [need for need, _score in ranked] == [same_building, elsewhere]
    scores = dict((need.pk, match.score) for need, match in ranked)
    assert scores[same_building.pk] == pytest.approx(1.0)
    assert scores[elsewhere.pk] < 0.75


def test_the_staff_page_lists_candidates_with_their_place_and_date(client, town):
    root, staff = town
    east = make_org(root, "东苑居民区党总支", OrgKind.RESIDENTIAL)
    west = make_org(root, "西苑居民区党总支", OrgKind.RESIDENTIAL)
    make_need(root, area=west)
    make_need(root, area=east, location="5 号楼")
    need = make_need(root, area=east, location="5 号楼")
    client.force_login(staff)
    page = client.get(f"/needs/{need.pk}/").content.decode()
    first, second = page.split('data-testid="merge-candidate"')[1:3]
    assert "东苑居民区党总支 · 5 号楼" in first and "相似度 1.00" in first
    assert "西苑居民区党总支" in second and "相似度 1.00" not in second


def test_hints_for_a_resident_show_community_and_date(client, town):
    root, _staff = town
    east = make_org(root, "东苑居民区党总支", OrgKind.RESIDENTIAL)
    need = make_need(root, area=east, location="3 号楼")
    response = client.get("/needs/public/similar/", {"org": root.pk, "title": "小区门口停车难", "area": east.pk})
    hint = response.content.decode()
    assert "东苑居民区党总支 · 3 号楼" in hint
    assert need.created_at.strftime("%Y") in hint


def test_a_need_on_a_draft_target_is_not_yet_a_project_for_the_resident(client, town):
    root, staff = town
    section = make_section(make_programme(root))
    draft = make_target(section, status=TargetStatus.DRAFT)
    need = make_need(root)
    programme_services.need_link_target(need=need, target=draft, actor=staff)
    assert "已纳入标的（待发布）" in client.get(f"/needs/public/track/{need.code}/").content.decode()

    draft.status = TargetStatus.AWARDED
    draft.save()
    assert "已纳入项目" in client.get(f"/needs/public/track/{need.code}/").content.decode()


def test_the_tracking_page_lists_the_units_without_a_dangling_comma(client, town):
    root, staff = town
    target = make_target(make_section(make_programme(root)), status=TargetStatus.AWARDED, max_units=2)
    need = make_need(root)
    programme_services.need_link_target(need=need, target=target, actor=staff)
    make_claim(target, make_org(root, "甲单位党支部", OrgKind.STATIONED), ClaimStatus.AWARDED, is_lead=True)
    make_claim(target, make_org(root, "乙单位党支部", OrgKind.STATIONED), ClaimStatus.AWARDED)
    make_claim(target, make_org(root, "丙单位党支部", OrgKind.STATIONED), ClaimStatus.NOT_SELECTED)
    # The trace lists the project's units once a project exists.
    project = make_project(root)
    target.claims.filter(status=ClaimStatus.AWARDED).update(project=project)

    page = client.get(f"/needs/public/track/{need.code}/").content.decode()
    units = page.split('data-testid="trace-units">')[1].split("</span>")[0]
    assert units == "甲单位党支部（牵头）、乙单位党支部"

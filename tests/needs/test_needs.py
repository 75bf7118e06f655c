"""Staff handling of needs: lifecycle with replies, merging duplicates, similar needs, contact privacy."""

from datetime import timedelta

import pytest
from django.utils import timezone

from projectize.core.models import Notification
from projectize.core.workflow import TransitionError
from projectize.needs import selectors, services
from projectize.needs.models import Channel, Need, NeedCategory, NeedStatus
from projectize.orgs.models import Role
from projectize.programmes.models import TargetStatus
from tests.factories import make_root, user_with_role
from tests.needs.factories import make_category, make_need
from tests.programmes.factories import make_programme, make_section, make_target


@pytest.fixture
def town():
    root = make_root()
    return root, user_with_role(Role.TOWN_ADMIN, root)


@pytest.mark.django_db
def test_staff_record_a_need_from_an_offline_channel(client, town):
    root, staff = town
    category = make_category(root)
    client.force_login(staff)
    response = client.post(
        "/needs/new/",
        {"channel": Channel.VISIT, "title": "楼道灯坏了", "description": "走访时居民反映。", "category": category.pk},
    )
    need = Need.objects.get()
    assert response.status_code == 302
    assert need.channel == Channel.VISIT and need.reported_by == staff and need.first_response_at is None


@pytest.mark.django_db
def test_a_decline_needs_a_reason_and_the_submitter_sees_it(client, town):
    root, staff = town
    need = make_need(root)
    client.force_login(staff)
    client.post(f"/workflow/needs.need/{need.pk}/decline/", {"note": ""})
    need.refresh_from_db()
    assert need.status == NeedStatus.RECEIVED
    client.post(f"/workflow/needs.need/{need.pk}/decline/", {"note": "属于物业职责，已转物业。"})
    need.refresh_from_db()
    assert need.status == NeedStatus.DECLINED and need.first_response_at is not None
    page = client.get(f"/needs/public/track/{need.code}/").content.decode()
    assert "不予采纳" in page and "属于物业职责，已转物业。" in page


@pytest.mark.django_db
def test_a_reply_is_shown_on_the_tracking_page_without_the_staff_name(client, town):
    root, staff = town
    need = make_need(root)
    client.force_login(staff)
    client.post(f"/needs/{need.pk}/reply/", {"message": "已联系交警，下周现场查看。"})
    client.logout()
    page = client.get(f"/needs/public/track/{need.code}/").content.decode()
    assert "已联系交警，下周现场查看。" in page and staff.get_full_name() not in page


@pytest.mark.django_db
def test_linking_a_target_plans_the_need(client, town):
    root, staff = town
    need = make_need(root)
    target = make_target(make_section(make_programme(root)), status=TargetStatus.DRAFT)
    client.force_login(staff)
    client.post(f"/programmes/needs/{need.pk}/link/", {"target": target.pk})
    need.refresh_from_db()
    assert need.target == target and need.status == NeedStatus.PLANNED
    update = need.updates.latest("id")
    assert (update.verb, update.text) == ("need.planned", f"已纳入标的《{target}》。")


@pytest.mark.django_db
def test_the_plan_step_without_a_target_is_refused(client, town):
    root, staff = town
    need = make_need(root)
    client.force_login(staff)
    client.post(f"/workflow/needs.need/{need.pk}/plan/")
    need.refresh_from_db()
    assert need.status == NeedStatus.RECEIVED


@pytest.mark.django_db
def test_a_merge_keeps_every_submitter_and_support_and_the_old_code_leads_on(client, town):
    root, staff = town
    reporter = user_with_role(Role.TOWN_ADMIN, root)
    survivor = make_need(root, "小区门口停车难", submitter_mobile="13900000001")
    duplicate = make_need(root, "门口停车难", submitter_mobile="13900000002", reported_by=reporter)
    earlier = make_need(root, "停车难", submitter_mobile="13900000003")
    services.need_merge(duplicate=earlier, survivor=duplicate, actor=staff)
    for mobile in ("13911111111", "13922222222"):
        services.support_add(need=duplicate, mobile=mobile)
    services.support_add(need=survivor, mobile="13911111111")

    client.force_login(staff)
    client.post(f"/needs/{duplicate.pk}/merge/", {"survivor": survivor.pk})

    duplicate.refresh_from_db()
    earlier.refresh_from_db()
    assert duplicate.status == NeedStatus.MERGED and duplicate.merged_into == survivor
    assert earlier.merged_into == survivor
    assert survivor.supports.count() == 2
    page = client.get(f"/needs/{survivor.pk}/").content.decode()
    assert all(m in page for m in ("13900000001", "13900000002", "13900000003"))
    assert any("合并" in n.heading for n in Notification.objects.filter(recipient=reporter))
    client.logout()
    for code in (duplicate.code, earlier.code):
        tracking = client.get(f"/needs/public/track/{code}/").content.decode()
        assert "小区门口停车难" in tracking and 'data-testid="merged-notice"' in tracking


@pytest.mark.django_db
def test_a_need_cannot_be_merged_into_itself_or_into_a_merged_one(town):
    root, staff = town
    a, b, c = (make_need(root, title) for title in ("一", "二", "三"))
    services.need_merge(duplicate=a, survivor=b, actor=staff)
    for duplicate, survivor in ((c, c), (c, a)):
        with pytest.raises(TransitionError, match="合并"):
            services.need_merge(duplicate=duplicate, survivor=survivor, actor=staff)


@pytest.mark.django_db
def test_similar_needs_are_found_by_chinese_words(client, town):
    root, _staff = town
    make_need(root, "春申小区门口停车难", description="晚上车辆乱停，消防通道堵塞。")
    make_need(root, "社区书屋图书太旧", description="希望更新图书。")
    page = client.get("/needs/public/similar/", {"title": "小区门口晚上停车很难", "description": "消防通道"})
    text = page.content.decode()
    assert "春申小区门口停车难" in text and "社区书屋" not in text


@pytest.mark.django_db
def test_only_staff_see_full_mobile_numbers(client, town):
    root, staff = town
    need = make_need(root, submitter_mobile="13912345678", reported_by=user_with_role(Role.SECRETARY, root))
    client.force_login(staff)
    assert "13912345678" in client.get(f"/needs/{need.pk}/").content.decode()
    client.force_login(need.reported_by)
    page = client.get(f"/needs/{need.pk}/").content.decode()
    assert "139****5678" in page and "13912345678" not in page
    client.force_login(user_with_role(Role.TOWN_ADMIN, make_root("另一镇党委")))
    assert client.get(f"/needs/{need.pk}/").status_code == 404


@pytest.mark.django_db
def test_categories_belong_to_the_committee(client, town):
    root, staff = town
    client.force_login(staff)
    client.post("/needs/categories/", {"name": "环境整治", "order": 3, "is_active": "on"})
    category = NeedCategory.objects.get()
    assert category.organization == root and category.is_active
    client.post(f"/needs/categories/{category.pk}/", {"name": "环境整治", "order": 3})
    category.refresh_from_db()
    assert not category.is_active
    assert category not in selectors.active_categories(root)


@pytest.mark.django_db
def test_median_time_to_first_response_is_computed_in_sql(town):
    root, _staff = town
    now = timezone.now()
    needs = [make_need(root) for _ in range(4)]
    for need, hours in zip(needs, (1, 3, 10, 30), strict=True):
        Need.objects.filter(pk=need.pk).update(created_at=now - timedelta(hours=hours), first_response_at=now)
    make_need(root)  # not answered yet: not counted
    assert selectors.median_first_response(Need.objects.all()) == timedelta(hours=6.5)
    Need.objects.filter(pk=needs[0].pk).delete()
    assert selectors.median_first_response(Need.objects.all()) == timedelta(hours=10)

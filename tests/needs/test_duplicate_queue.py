"""The duplicates queue: pairs found when a need is written, merged with confirmation or dismissed for good."""

import pytest

from projectize.core.models import ActivityLog
from projectize.needs import services
from projectize.needs.models import Channel, DuplicatePair, NeedStatus, TokenFrequency
from projectize.orgs.models import OrgKind, Role
from tests.factories import make_org, make_root, user_with_role
from tests.needs.factories import make_category

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    root = make_root()
    return root, user_with_role(Role.TOWN_ADMIN, root), make_org(root, "嘉和居民区党总支", OrgKind.RESIDENTIAL)


def resident_need(root, area, title, description, location="嘉和苑"):
    return services.need_create(
        organization=root,
        title=title,
        description=description,
        category=make_category(root, "社会福利"),
        channel=Channel.PORTAL,
        area=area,
        location=location,
    )


def test_a_paraphrase_sharing_no_word_is_queued_with_its_reasons_and_merged_after_confirmation(client, town):
    root, staff, area = town
    station = resident_need(root, area, "卫生服务站太远", "看病要跑到镇上，老人来回一个多小时。")
    hospital = resident_need(root, area, "希望附近设社区医院", "配个药都得坐车去，盼望就近开设医疗点。")
    resident_need(root, make_org(root, "瑞和居民区党总支", OrgKind.RESIDENTIAL), "社区书屋图书太旧", "希望更新。")

    pair = DuplicatePair.objects.get()
    assert (pair.newer, pair.older) == (hospital, station)
    assert "同一小区" in pair.shown_reasons and any(r.startswith("同义：") for r in pair.shown_reasons)
    assert TokenFrequency.objects.get(organization=root, feature="").count == 3

    client.force_login(staff)
    page = client.get("/needs/duplicates/").content.decode()
    assert page.count('data-testid="duplicate-pair"') == 1 and "同一小区" in page
    confirm = client.get(f"/needs/{hospital.pk}/merge/", {"survivor": station.pk})
    assert "确认合并" in confirm.content.decode()
    client.post(f"/needs/{hospital.pk}/merge/", {"survivor": station.pk})
    hospital.refresh_from_db()
    assert hospital.status == NeedStatus.MERGED and hospital.merged_into == station
    assert 'data-testid="duplicate-pair"' not in client.get("/needs/duplicates/").content.decode()


def test_not_a_duplicate_is_remembered_and_never_suggested_again(client, town):
    root, staff, area = town
    first = resident_need(root, area, "小区里狗屎多", "草坪和路边到处是狗粪。")
    second = resident_need(root, area, "遛狗不拴绳不清理粪便", "养狗的人不牵绳也不捡便便。")
    pair = DuplicatePair.objects.get(newer=second, older=first)
    client.force_login(staff)
    client.post(f"/needs/duplicates/{pair.pk}/dismiss/")
    assert DuplicatePair.objects.get(pk=pair.pk).dismissed
    assert ActivityLog.objects.filter(action="need.not_duplicate", target_id=str(second.pk)).exists()
    assert 'data-testid="duplicate-pair"' not in client.get("/needs/duplicates/").content.decode()
    # Another need like them is paired with both, but the dismissed pair stays dismissed.
    resident_need(root, area, "宠物粪便污染环境", "绿化带里全是犬类排泄物。")
    assert not DuplicatePair.objects.filter(newer=second, older=first, dismissed=False).exists()


def test_the_queue_reads_a_page_in_a_fixed_number_of_queries(client, town, django_assert_max_num_queries):
    root, staff, area = town
    for n in range(3):
        resident_need(root, area, "路灯坏了很久", f"晚上黑漆漆的，第 {n} 次反映。", location=f"{n} 号楼")
    client.force_login(staff)
    with django_assert_max_num_queries(12) as small:
        client.get("/needs/duplicates/")
    for n in range(8):
        resident_need(root, area, "夜间照明不足", f"天黑以后一点光都没有，第 {n} 次。", location=f"{n} 号楼")
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get("/needs/duplicates/").content.decode()
    assert page.count('data-testid="duplicate-pair"') >= 10


def test_only_town_staff_reach_the_queue(client, town):
    _root, _staff, area = town
    client.force_login(user_with_role(Role.SECRETARY, area))
    assert client.get("/needs/duplicates/").status_code == 403

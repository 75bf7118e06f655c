"""Demo needs: about 200 residents' needs of 新桥镇 from every channel (illustrative text), a few dozen of
the second town, 泗泾镇, and the district's default categories (copied into a new town)."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from projectize.core.demo_clock import at, days_before
from projectize.needs import services
from projectize.needs.models import Channel, Need, NeedCategory
from projectize.orgs.demo import GRASSROOTS, SECOND_GRASSROOTS, district, required, second_town, xinqiao
from projectize.orgs.models import Organization, User

CATEGORIES = ["交通管理", "社区服务", "社会福利", "环境整治", "平安建设", "文化教育"]
# Per category: (title, description) patterns; {area} is a residential area.
PATTERNS: dict[str, list[tuple[str, str]]] = {
    "交通管理": [
        ("{area}门口晚上停车难", "晚上车辆乱停，消防通道经常被堵。"),
        ("{area}附近路口缺少红绿灯", "上下学高峰车多，老人孩子过马路危险。"),
        ("{area}非机动车乱停放", "电动车堆在楼道口，出行不便也有安全隐患。"),
    ],
    "社区服务": [
        ("{area}缺少便民服务点", "修鞋、配钥匙、理发要走很远。"),
        ("{area}希望开设社区食堂", "独居老人吃饭不方便，希望有助餐点。"),
        ("{area}快递无处存放", "快递堆在门口容易丢失。"),
    ],
    "社会福利": [
        ("{area}独居老人需要定期探访", "几位独居老人身体不好，希望有人定期上门。"),
        ("{area}残疾人出行无障碍设施不足", "楼道没有扶手，轮椅进出困难。"),
        ("{area}困难家庭子女课后无人照看", "父母上班晚，孩子放学后没人管。"),
    ],
    "环境整治": [
        ("{area}垃圾分类投放点太少", "投放点离得远，垃圾常被随意堆放。"),
        ("{area}河道有异味", "夏天河道发臭，希望清理整治。"),
        ("{area}绿化带缺少养护", "绿地杂草丛生，蚊虫很多。"),
    ],
    "平安建设": [
        ("{area}夜间路灯损坏", "几盏路灯坏了很久，晚上走路不安全。"),
        ("{area}群租现象突出", "一套房住了十几个人，存在消防隐患。"),
        ("{area}电动车楼道充电隐患", "有人从楼上拉电线给电动车充电。"),
    ],
    "文化教育": [
        ("{area}缺少老年活动室", "老人们没有地方下棋、唱歌。"),
        ("{area}希望开设青少年暑期课堂", "暑假孩子没人管，希望有公益课堂。"),
        ("{area}社区书屋图书太旧", "书屋里多是旧书，希望更新。"),
    ],
}
CHANNELS = [
    Channel.PORTAL,
    Channel.HOTLINE,
    Channel.VISIT,
    Channel.QUESTIONNAIRE,
    Channel.FORUM,
    Channel.GRASSROOTS,
    Channel.UNIT_SUGGESTION,
]
NEEDS_WANTED = 198
# Every tenth need came in over the past days and waits for staff; the others were collected before
# the 家新桥 programme was designed (see programmes.demo: DESIGNED days ago) and shaped its targets.
RECENT_EVERY = 10
COLLECTED_DAYS_AGO = 215


def load(stdout: Any = None) -> None:
    load_xinqiao(stdout)
    load_categories(required(district()), User.objects.get(username="district"))
    load_second_town(stdout)


def load_categories(committee: Organization, admin: User) -> dict[str, NeedCategory]:
    categories = {}
    for order, name in enumerate(CATEGORIES, start=1):
        category = NeedCategory.objects.filter(organization=committee, name=name).first()
        categories[name] = category or services.category_save(
            actor=admin, organization=committee, name=name, order=order, is_active=True, category=None
        )
    return categories


# The second town's needs: fewer, over the last eight months (the older ones shaped its targets).
SECOND_NEEDS = 36


def load_second_town(stdout: Any = None) -> None:
    town = required(second_town())
    admin = User.objects.get(username="sjadmin")
    categories = load_categories(town, admin)
    if Need.objects.filter(organization=town).exists():
        return
    areas = list(Organization.objects.filter(name__in=SECOND_GRASSROOTS[0][2]).order_by("name"))
    now = timezone.now()
    for n in range(SECOND_NEEDS):
        name = CATEGORIES[(n * 5) % len(CATEGORIES)]
        title, description = PATTERNS[name][n % 3]
        area = areas[n % len(areas)]
        channel = CHANNELS[(n + 3) % len(CHANNELS)]
        with at(days_before(now, 240 - n * 6, 9 + n % 8)):
            services.need_create(
                organization=town,
                title=title.format(area=area.name.removesuffix("居民区党总支") + "小区"),
                description=description,
                category=categories[name],
                channel=channel,
                area=area,
                submitter_name="" if n % 3 else "居民",
                actor=None if channel == Channel.PORTAL else admin,
                source_organization=area if channel == Channel.GRASSROOTS else None,
            )
    if stdout is not None:
        stdout.write(f"needs of {town}: {Need.objects.filter(organization=town).count()}")


def load_xinqiao(stdout: Any = None) -> None:
    root = Organization.objects.get(pk=required(xinqiao()).pk)
    admin = User.objects.get(username="admin")
    categories = {}
    for order, name in enumerate(CATEGORIES, start=1):
        category = NeedCategory.objects.filter(organization=root, name=name).first()
        categories[name] = category or services.category_save(
            actor=admin, organization=root, name=name, order=order, is_active=True, category=None
        )
    if Need.objects.filter(organization=root).exists():
        return
    areas = list(Organization.objects.filter(name__in=GRASSROOTS[0][2]).order_by("name"))
    now = timezone.now()
    for n in range(NEEDS_WANTED):
        if n % RECENT_EVERY == RECENT_EVERY - 1:
            # Arrived over the past days, so the time to a first response is realistic.
            arrived = now - timedelta(hours=6 + (n * 7) % 90)
        else:
            arrived = days_before(now, COLLECTED_DAYS_AGO - (n * 7) % 14, 8 + n % 10)
        name = CATEGORIES[n % len(CATEGORIES)]
        title, description = PATTERNS[name][(n // len(CATEGORIES)) % 3]
        area = areas[n % len(areas)]
        channel = CHANNELS[n % len(CHANNELS)]
        portal = channel == Channel.PORTAL
        with at(arrived):
            services.need_create(
                organization=root,
                title=title.format(area=area.name.removesuffix("居民区党总支") + "小区"),
                description=description,
                category=categories[name],
                channel=channel,
                area=area,
                location=f"{(n // 7) % 9 + 1} 号楼" if n % 4 else "",
                submitter_name="" if n % 3 else "居民",
                submitter_mobile=f"139{n:08d}" if n % 2 else "",
                actor=None if portal else admin,
                source_organization=area if channel == Channel.GRASSROOTS else None,
            )
    if stdout is not None:
        stdout.write(f"needs: {Need.objects.filter(organization=root).count()}")

"""Demo 家新桥 programme: 6 sections, 18 targets, published, with the demo needs linked to them; and the
second town's own brand programme, smaller: 2 sections, 4 targets, on the same calendar."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from projectize.core.demo_clock import at, days_before
from projectize.needs.models import Need, NeedStatus
from projectize.needs.workflows import NEED
from projectize.orgs.demo import PROFILES, SECOND_TOWN_NAME, required, second_town, xinqiao
from projectize.orgs.models import Organization, User
from projectize.programmes import services
from projectize.programmes.models import Programme, Section, Target

TITLE = "家新桥"
# 交通管理, 社区服务 and 社会福利 are named in the paper; the other three are illustrative.
SECTIONS: list[tuple[str, list[str]]] = [
    ("交通管理", ["居民区停车秩序治理", "学校周边交通安全护航", "非机动车规范停放"]),
    ("社区服务", ["社区睦邻食堂", "十五分钟便民服务圈", "快递驿站进小区"]),
    ("社会福利", ["独居老人结对关爱", "无障碍设施改造", "困难家庭儿童课后托管"]),
    ("环境整治", ["垃圾分类示范小区", "河道清洁守护", "绿地认养"]),
    ("平安建设", ["路灯亮化工程", "群租整治联动", "电动车安全充电"]),
    ("文化教育", ["老年活动室共建", "青少年暑期公益课堂", "社区书屋更新"]),
]
# The first nine targets may be taken by two units (27 units for 18 targets in all).
SHARED_TARGETS = 9
# The programme's calendar, in days before today: the needs collected before it shape its targets.
DESIGNED = 200
PUBLISHED = 195
CLAIMS_CLOSE = 165
SELECTION = 163
NOTICE = 160
NOTICE_DAYS = 7
AWARDED = NOTICE - NOTICE_DAYS - 1


def day(days: float, hour: int = 10) -> datetime:
    """A day of the calendar above (call it outside `at`: it counts from the real today)."""
    return days_before(timezone.now(), days, hour)


def load(stdout: Any = None) -> None:
    load_xinqiao(stdout)
    load_second_town(stdout)


SECOND_TITLE = PROFILES[SECOND_TOWN_NAME][1]
SECOND_SECTIONS: list[tuple[str, list[str]]] = [
    ("社区服务", ["古镇老街便民服务点", "社区睦邻食堂"]),
    ("平安建设", ["电动车集中充电棚", "老街消防安全联防"]),
]


def load_second_town(stdout: Any = None) -> None:
    town = Organization.objects.get(pk=required(second_town()).pk)
    admin = User.objects.get(username="sjadmin")
    if Programme.objects.filter(organization=town, title=SECOND_TITLE).exists():
        return
    designed, published, closes = day(DESIGNED), day(PUBLISHED), day(CLAIMS_CLOSE, 17)
    with at(designed):
        programme = services.programme_save(
            programme=Programme(
                organization=town,
                year=designed.year,
                title=SECOND_TITLE,
                description="以“泗泾同心圆”为品牌，围绕古镇老街的服务和安全，面向驻区单位、企业和社会组织公开认领。",
                claim_opens=published,
                claim_closes=closes,
                notice_days=NOTICE_DAYS,
            ),
            actor=admin,
        )
        for order, (section_title, titles) in enumerate(SECOND_SECTIONS, start=1):
            section = services.section_save(
                section=Section(programme=programme, title=section_title, order=order), actor=admin
            )
            for position, title in enumerate(titles, start=1):
                services.target_save(
                    target=Target(
                        programme=programme,
                        section=section,
                        order=position,
                        title=title,
                        description=f"回应泗泾镇居民在“{section_title}”方面的需求：{title}。",
                        expected_outcomes="解决居民反映的问题；受益居民不少于 300 人次。",
                        resources_required="场地、志愿者和必要的经费。",
                        support_funds=Decimal(15000 + 5000 * position),
                        max_units=2 if order == 1 and position == 1 else 1,
                        requirements="在泗泾镇辖区内，有相应资源和工作基础。",
                    ),
                    actor=admin,
                )
        targets = {t.section.title: t for t in programme.targets.select_related("section").order_by("-order")}
        needs = Need.objects.filter(
            organization=town, status=NeedStatus.RECEIVED, category__name__in=list(targets), created_at__lt=designed
        )
        for need in needs.select_related("category").order_by("id")[:6]:
            NEED.apply(need, "accept", actor=admin, note="已受理，纳入品牌项目标的。")
            services.need_link_target(need=need, target=targets[need.category.name], actor=admin)
    with at(published):
        services.target_publish_all(programme=programme, actor=admin)
    if stdout is not None:
        stdout.write(f"programme {programme}: {programme.targets.count()} targets")


def load_xinqiao(stdout: Any = None) -> None:
    root = Organization.objects.get(pk=required(xinqiao()).pk)
    admin = User.objects.get(username="admin")
    if Programme.objects.filter(organization=root, title=TITLE).exists():
        return
    designed, published, closes = day(DESIGNED), day(PUBLISHED), day(CLAIMS_CLOSE, 17)
    with at(designed):
        programme = services.programme_save(
            programme=Programme(
                organization=root,
                year=designed.year,
                title=TITLE,
                description="以“家新桥”为品牌，聚焦居民需求，分层分类设计标的，面向驻区单位、居民区党组织、企业和社会组织公开认领。",
                claim_opens=published,
                claim_closes=closes,
                notice_days=NOTICE_DAYS,
            ),
            actor=admin,
        )
        design(programme, admin)
        link_needs(programme, admin)
    with at(published):
        services.target_publish_all(programme=programme, actor=admin)
    if stdout is not None:
        stdout.write(f"programme {programme}: {programme.targets.count()} targets")


def design(programme: Programme, admin: User) -> None:
    """Six sections of three targets each, drafted from the needs."""
    number = 0
    for order, (section_title, titles) in enumerate(SECTIONS, start=1):
        section = services.section_save(
            section=Section(programme=programme, title=section_title, order=order), actor=admin
        )
        for position, title in enumerate(titles, start=1):
            services.target_save(
                target=Target(
                    programme=programme,
                    section=section,
                    order=position,
                    title=title,
                    description=f"回应居民在“{section_title}”方面反映集中的问题：{title}。",
                    expected_outcomes="解决居民反映的问题，形成长效机制；受益居民不少于 500 人次。",
                    resources_required="场地、志愿者、专业力量和必要的经费。",
                    support_funds=Decimal(20000 + 5000 * (number % 4)),
                    max_units=2 if number < SHARED_TARGETS else 1,
                    requirements="在新桥镇辖区内，有相应资源和工作基础。",
                ),
                actor=admin,
            )
            number += 1


def link_needs(programme: Programme, admin: User) -> None:
    """The needs that came in before the design answer a target of their category, a few are declined;
    the needs that came in since are still waiting."""
    targets: dict[str, list[Target]] = {}
    for target in programme.targets.select_related("section"):
        targets.setdefault(target.section.title, []).append(target)
    needs = Need.objects.filter(
        organization=programme.organization, status=NeedStatus.RECEIVED, created_at__lt=timezone.now()
    ).select_related("category")
    for n, need in enumerate(needs.order_by("id")):
        if n % 20 == 19:
            NEED.apply(need, "decline", actor=admin, note="经核实不属于本镇职责，已转交相关部门。")
        else:
            section_targets = targets[need.category.name]
            NEED.apply(need, "accept", actor=admin, note="已受理，正在研究办理。")
            target = section_targets[(n // len(targets)) % len(section_targets)]
            services.need_link_target(need=need, target=target, actor=admin)

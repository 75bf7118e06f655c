"""The 家新桥 flow: a target being designed is shown the open needs it answers; a published one, likely units."""

import pytest

from projectize.claims.models import ClaimStatus, ResourceKind
from projectize.needs import services
from projectize.needs.models import Channel
from projectize.orgs.models import OrgKind, Role
from projectize.programmes.models import TargetStatus
from tests.claims.helpers import make_claim
from tests.factories import make_org, make_root, user_with_role
from tests.needs.factories import make_category
from tests.programmes.factories import make_programme, make_section, make_target

pytestmark = pytest.mark.django_db


def test_a_draft_target_shows_the_open_needs_it_answers_with_why(client):
    root = make_root()
    staff = user_with_role(Role.TOWN_ADMIN, root)
    area = make_org(root, "嘉和居民区党总支", OrgKind.RESIDENTIAL)
    for title, description in (("卫生服务站太远", "老人看病要跑到镇上。"), ("社区书屋图书太旧", "希望更新图书。")):
        services.need_create(
            organization=root,
            title=title,
            description=description,
            category=make_category(root),
            channel=Channel.PORTAL,
            area=area,
        )
    target = make_target(
        make_section(make_programme(root)),
        status=TargetStatus.DRAFT,
        title="开设社区医院分诊点",
        description="在居民区就近设立医疗点，方便老人就医配药。",
        expected_outcomes="每周开诊 5 天。",
    )
    client.force_login(staff)
    page = client.get(target.get_absolute_url()).content.decode()
    section = page.split('data-testid="fitting-needs"')[1].split("</section>")[0]
    assert "卫生服务站太远" in section and "社区书屋" not in section
    assert "同义：" in section


def test_a_published_target_suggests_units_that_claimed_alike_targets_and_says_why(client):
    root = make_root()
    staff = user_with_role(Role.TOWN_ADMIN, root)
    section = make_section(make_programme(root), "为老服务")
    clinic = make_org(root, "仁和医院党支部", OrgKind.INSTITUTION)
    printer = make_org(root, "星光印刷厂", OrgKind.ENTERPRISE)
    past = make_target(section, title="老年人就医陪诊", description="为独居老人提供看病陪同和配药服务。")
    other = make_target(make_section(past.programme, "文化教育", 2), title="社区书屋更新", description="添置新书。")
    claim = make_claim(past, clinic, status=ClaimStatus.AWARDED)
    claim.resources.create(kind=ResourceKind.SOCIAL, description="医生志愿者上门")
    make_claim(other, printer)
    target = make_target(section, title="社区医院巡诊进小区", description="医生定期到小区为老人看病。")
    client.force_login(staff)
    page = client.get(target.get_absolute_url()).content.decode()
    units = page.split('data-testid="likely-units"')[1].split("</section>")[0]
    # A unit whose only claim was on an unrelated target elsewhere is not put forward.
    assert "仁和医院党支部" in units and "星光印刷厂" not in units
    assert "曾认领相似标的《老年人就医陪诊》" in units and "曾认领成功" in units and "曾认领同一板块的标的" in units

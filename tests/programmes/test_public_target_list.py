"""The residents' target list (/programmes/public/): 30 targets a page under their programme and section headings,
filtered by programme, section and status, each with its numbers of linked needs and of claims; the same few
queries for 10 targets as for 200 (issue 15)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projectize.claims.models import Claim, ClaimStatus
from projectize.needs.models import Need
from projectize.orgs.models import CommitteeProfile, Organization, OrgKind
from projectize.programmes.models import Programme, Section, Target, TargetStatus
from projectize.programmes.views import PUBLIC_TARGETS_PER_PAGE
from tests.claims.helpers import make_claim
from tests.factories import make_org, make_root
from tests.needs.factories import make_category, make_need
from tests.programmes.factories import make_programme, make_section, make_target

pytestmark = pytest.mark.django_db


def titles(page: str) -> list[str]:
    return re.findall(r'<span class="fw-bold">([^<]+)</span>', page)


def headings(page: str, level: str) -> list[str]:
    return [text.strip() for text in re.findall(rf"<{level}[^>]*>([^<]+)</{level}>", page)]


def options(page: str, name: str) -> dict[str, str]:
    """The options of the drop-down `name` as a resident sees them: {label: value}."""
    select = re.search(rf'<select name="{name}".*?</select>', page, re.S)
    assert select is not None, name
    return {label.strip(): value for value, label in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)', select[0])}


def test_a_page_holds_30_targets_under_their_programme_and_section_headings(client):
    root = make_root()
    programme = make_programme(root, title="家新桥", description="聚焦居民需求")
    traffic, service = make_section(programme, "交通管理", 1), make_section(programme, "社区服务", 2)
    for n in range(20):
        make_target(traffic, title=f"交通{n:02}", order=n)
    for n in range(15):
        make_target(service, title=f"服务{n:02}", order=n)
    make_target(service, status=TargetStatus.DRAFT, title="内部草稿")

    first = client.get("/programmes/public/").content.decode()
    assert titles(first) == [f"交通{n:02}" for n in range(20)] + [f"服务{n:02}" for n in range(10)]
    assert headings(first, "h2") == [str(programme)] and headings(first, "h3") == ["交通管理", "社区服务"]
    assert "共 35 个标的" in first and "聚焦居民需求" in first
    # The next page carries on under the same headings.
    second = client.get("/programmes/public/", {"page": 2}).content.decode()
    assert titles(second) == [f"服务{n:02}" for n in range(10, 15)]
    assert headings(second, "h2") == [str(programme)] and headings(second, "h3") == ["社区服务"]


def test_each_target_shows_its_linked_needs_and_the_claims_made_on_it(client):
    root = make_root()
    target = make_target(make_section(make_programme(root)), title="停车治理")
    category = make_category(root)
    for n in range(3):
        make_need(root, f"停车难{n}", category=category, target=target)
    make_claim(target, make_org(root, "派出所党支部"))
    make_claim(target, make_org(root, "物业公司", OrgKind.ENTERPRISE))
    make_claim(target, make_org(root, "商场", OrgKind.ENTERPRISE), ClaimStatus.DRAFT)
    page = client.get("/programmes/public/").content.decode()
    assert "回应 3 条居民需求" in page and "2 家单位认领" in page


def test_residents_filter_by_programme_then_section_and_by_status(client):
    root = make_root()
    older, newer = make_programme(root, year=2025, title="家新桥"), make_programme(root, year=2026, title="家新桥")
    traffic, safety = make_section(newer, "交通管理", 1), make_section(newer, "平安建设", 2)
    make_target(traffic, title="停车治理", status=TargetStatus.PUBLISHED)
    make_target(traffic, title="护学岗", status=TargetStatus.AWARDED)
    make_target(safety, title="电动车充电", status=TargetStatus.PUBLISHED)
    make_target(make_section(older, "交通管理"), title="去年的路口", status=TargetStatus.AWARDED)

    page = client.get("/programmes/public/").content.decode()
    programmes = options(page, "programme")
    assert list(programmes) == ["全部品牌项目", "2026 家新桥", "2025 家新桥"]
    assert '<select name="section"' not in page  # offered once a programme is chosen
    page = client.get("/programmes/public/", {"programme": programmes["2026 家新桥"]}).content.decode()
    assert titles(page) == ["停车治理", "护学岗", "电动车充电"]
    sections = options(page, "section")
    assert list(sections) == ["全部板块", "交通管理", "平安建设"]
    chosen = {"programme": programmes["2026 家新桥"], "section": sections["交通管理"]}
    assert titles(client.get("/programmes/public/", chosen).content.decode()) == ["停车治理", "护学岗"]
    statuses = options(page, "status")
    assert list(statuses) == ["全部状态", "认领中", "综合考量", "公示中", "已授予"]
    awarded = client.get("/programmes/public/", {"status": statuses["已授予"]}).content.decode()
    assert titles(awarded) == ["护学岗", "去年的路口"]
    open_now = client.get("/programmes/public/", {**chosen, "status": statuses["认领中"]}).content.decode()
    assert titles(open_now) == ["停车治理"] and "清除筛选" in open_now


def test_a_section_of_the_programme_left_behind_is_let_go_and_a_wrong_programme_is_reported(client):
    root = make_root()
    first, second = make_programme(root, year=2025), make_programme(root, year=2026)
    old_section = make_section(first, "交通管理")
    make_target(old_section, title="去年的路口")
    make_target(make_section(second, "平安建设"), title="电动车充电")
    # The resident changed the programme: the section chosen under the other one no longer applies.
    page = client.get("/programmes/public/", {"programme": second.pk, "section": old_section.pk}).content.decode()
    assert titles(page) == ["电动车充电"] and "error-section" not in page
    page = client.get("/programmes/public/", {"programme": 999999}).content.decode()
    assert "没有这个品牌项目，请重新选择。" in page and titles(page) == []
    assert "请先修改筛选条件。" in page


def test_a_town_site_lists_and_offers_its_own_programmes_alone(client):
    district = Organization.objects.add_root({"name": "松江区委", "kind": OrgKind.DISTRICT})
    towns = []
    for word, slug in (("新桥", "xinqiao"), ("泗泾", "sijing")):
        committee = Organization.objects.add_child(district, {"name": f"{word}镇党委", "kind": OrgKind.COMMITTEE})
        CommitteeProfile.objects.create(organization=committee, slug=slug, brand_name=f"{word}品牌")
        make_target(make_section(make_programme(committee, title=f"{word}品牌")), title=f"{word}停车治理")
        towns.append(committee)
    page = client.get("/t/sijing/programmes/").content.decode()
    year = timezone.now().year
    assert list(options(page, "programme")) == ["全部品牌项目", f"{year} 泗泾品牌"]
    assert titles(page) == ["泗泾停车治理"]
    xinqiao = Programme.objects.get(organization=towns[0])
    page = client.get("/t/sijing/programmes/", {"programme": xinqiao.pk}).content.decode()
    assert "没有这个品牌项目" in page and titles(page) == []
    # The district's site lists both towns' programmes and names each one's committee.
    page = client.get("/programmes/public/").content.decode()
    assert list(options(page, "programme"))[1:] == [f"{year} 新桥品牌 · 新桥镇党委", f"{year} 泗泾品牌 · 泗泾镇党委"]


def add_targets(claim: Claim, count: int) -> None:
    """`count` public targets over programmes of 40 targets in two sections, each with a need and two claims (one
    withdrawn) by the unit and contact of `claim`."""
    now, root, unit, contact = timezone.now(), claim.target.organization, claim.organization, claim.contact
    category = make_category(root)
    made = 0
    while made < count:
        programme = make_programme(root, year=2000 + Programme.objects.count())
        sections = [make_section(programme, "交通管理", 1), make_section(programme, "社区服务", 2)]
        batch = Target.objects.bulk_create(
            Target(
                programme=programme,
                section=sections[n % 2],
                title=f"标的{made + n}",
                description="d",
                expected_outcomes="o",
                status=TargetStatus.PUBLISHED,
                published_at=now,
            )
            for n in range(min(40, count - made))
        )
        Need.objects.bulk_create(
            Need(organization=root, category=category, title="停车难", description="d", target=t) for t in batch
        )
        Claim.objects.bulk_create(
            Claim(target=t, organization=unit, contact=contact, status=status, plan="p", reasons="r", team="t")
            for t in batch
            for status in (ClaimStatus.SUBMITTED, ClaimStatus.WITHDRAWN)
        )
        made += len(batch)


def test_the_list_reads_the_same_queries_for_10_targets_as_for_200(client):
    root = make_root()
    first = make_claim(make_target(make_section(make_programme(root, year=1990))), make_org(root, "派出所党支部"))
    add_targets(first, 9)
    chosen = Programme.objects.filter(year__gte=2000).values_list("pk", "sections").first()
    assert chosen is not None
    programme, section = chosen
    urls = [
        "/programmes/public/",
        "/programmes/public/?status=published",
        f"/programmes/public/?programme={programme}&section={section}",
    ]

    def queries() -> list[int]:
        counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured))
        return counts

    few = queries()
    add_targets(first, 190)
    assert Target.objects.filter(status=TargetStatus.PUBLISHED).count() == 200
    assert queries() == few and max(few) <= 10
    page = client.get("/programmes/public/").content.decode()
    assert len(titles(page)) == PUBLIC_TARGETS_PER_PAGE and "超过" not in page
    assert page.count("回应 1 条居民需求") == PUBLIC_TARGETS_PER_PAGE and "1 家单位认领" in page


def test_a_section_without_its_programme_is_let_go(client):
    """Sections are chosen under a programme; a hand-made address naming a section alone lists every target."""
    root = make_root()
    programme = make_programme(root)
    section = make_section(programme)
    make_target(section, title="停车治理")
    other = Section.objects.create(programme=make_programme(root, year=2000), title="别的板块")
    make_target(other, title="别的标的")
    page = client.get("/programmes/public/", {"section": section.pk}).content.decode()
    assert sorted(titles(page)) == ["停车治理", "别的标的"]

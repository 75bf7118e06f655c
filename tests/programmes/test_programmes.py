"""Programme design: the board, publishing, and the public pages."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projectize.claims.models import Claim, ClaimStatus
from projectize.orgs.models import OrgKind, Role
from projectize.programmes.models import Programme, Section, Target, TargetStatus
from tests.factories import make_org, make_root, user_with_role
from tests.needs.factories import make_need
from tests.programmes.factories import make_programme, make_section, make_target


@pytest.fixture
def town():
    root = make_root()
    return root, user_with_role(Role.TOWN_ADMIN, root)


@pytest.mark.django_db
def test_staff_design_a_programme_with_ordered_sections_and_targets(client, town):
    root, staff = town
    client.force_login(staff)
    client.post(
        "/programmes/new/",
        {
            "year": 2013,
            "title": "家新桥",
            "claim_opens": "2013-03-01T09:00",
            "claim_closes": "2099-03-31T17:00",
            "notice_days": 7,
        },
    )
    programme = Programme.objects.get()
    assert programme.organization == root
    client.post(f"/programmes/{programme.pk}/sections/new/", {"title": "社区服务", "order": 2})
    client.post(f"/programmes/{programme.pk}/sections/new/", {"title": "交通管理", "order": 1})
    assert list(programme.sections.values_list("title", flat=True)) == ["交通管理", "社区服务"]
    section = programme.sections.get(order=1)
    client.post(
        f"/programmes/{programme.pk}/targets/new/",
        {
            "section": section.pk,
            "order": 1,
            "title": "停车治理",
            "description": "说明",
            "expected_outcomes": "新增车位 50 个",
            "resources_required": "场地",
            "support_funds": "50000.00",
            "max_units": 2,
            "requirements": "辖区单位",
        },
    )
    target = Target.objects.get()
    assert target.status == TargetStatus.DRAFT and str(target.support_funds) == "50000.00"
    client.post(f"/workflow/programmes.target/{target.pk}/publish/")
    target.refresh_from_db()
    assert target.status == TargetStatus.PUBLISHED and target.published_at is not None


@pytest.mark.django_db
def test_a_bad_claim_window_is_refused_beside_the_field(client, town):
    _root, staff = town
    client.force_login(staff)
    response = client.post(
        "/programmes/new/",
        {
            "year": 2013,
            "title": "家新桥",
            "claim_opens": "2013-03-31T09:00",
            "claim_closes": "2013-03-01T09:00",
            "notice_days": 0,
        },
    )
    assert 'data-testid="error-notice_days"' in response.content.decode()
    assert not Programme.objects.exists()


@pytest.mark.django_db
def test_a_published_target_cannot_be_edited_and_a_past_deadline_blocks_publishing(client, town):
    root, staff = town
    programme = make_programme(root, claim_closes=timezone.now() + timedelta(days=1))
    target = make_target(make_section(programme))
    client.force_login(staff)
    response = client.post(
        f"/programmes/{programme.pk}/targets/{target.pk}/edit/",
        {
            "section": target.section_id,
            "order": 1,
            "title": "改名",
            "description": "d",
            "expected_outcomes": "o",
            "support_funds": "1",
            "max_units": 1,
        },
    )
    assert "不能再修改" in response.content.decode()
    draft = make_target(target.section, status=TargetStatus.DRAFT, title="草稿")
    Programme.objects.filter(pk=programme.pk).update(claim_closes=timezone.now() - timedelta(minutes=1))
    client.post(f"/workflow/programmes.target/{draft.pk}/publish/")
    draft.refresh_from_db()
    assert draft.status == TargetStatus.DRAFT


@pytest.mark.django_db
def test_the_board_shows_needs_and_claims_per_target_with_a_flat_query_count(client, town):
    root, staff = town
    programme = make_programme(root)
    unit = make_org(root, "新桥派出所党支部", OrgKind.STATIONED)
    contact = user_with_role(Role.CLAIM_CONTACT, unit)

    def fill(sections: int) -> None:
        for n in range(sections):
            section = Section.objects.create(programme=programme, title=f"板块{n}", order=n)
            target = make_target(section, title=f"标的{n}")
            make_need(root, f"需求{n}", target=target)
            Claim.objects.create(
                target=target,
                organization=unit,
                contact=contact,
                status=ClaimStatus.SUBMITTED,
                plan="p",
                reasons="r",
                team="t",
                timeline="t",
            )

    client.force_login(staff)
    fill(2)
    with CaptureQueriesContext(connection) as small:
        page = client.get(f"/programmes/{programme.pk}/").content.decode()
    assert "1 条需求" in page and "1 家认领" in page
    fill(40)
    with CaptureQueriesContext(connection) as large:
        assert client.get(f"/programmes/{programme.pk}/").status_code == 200
    assert len(large) == len(small)


@pytest.mark.django_db
def test_public_pages_show_published_targets_only(client, town):
    root, _staff = town
    section = make_section(make_programme(root))
    published = make_target(section, title="公开的标的")
    draft = make_target(section, status=TargetStatus.DRAFT, title="内部草稿")
    index = client.get("/programmes/public/").content.decode()
    assert "公开的标的" in index and "内部草稿" not in index
    assert client.get(f"/programmes/public/targets/{published.pk}/").status_code == 200
    assert client.get(f"/programmes/public/targets/{draft.pk}/").status_code == 404


@pytest.mark.django_db
def test_another_committee_cannot_open_the_board(client, town):
    root, _staff = town
    programme = make_programme(root)
    client.force_login(user_with_role(Role.TOWN_ADMIN, make_root("另一镇党委")))
    assert client.get(f"/programmes/{programme.pk}/").status_code == 404


@pytest.mark.django_db
def test_the_public_target_page_is_paged_by_target_newest_programme_first(client, town):
    from projectize.programmes.views import PUBLIC_TARGETS_PER_PAGE

    root, _staff = town
    count = PUBLIC_TARGETS_PER_PAGE + 2
    for year in range(2000, 2000 + count):
        make_target(make_section(make_programme(root, year=year, title=f"品牌{year}")), title=f"标的{year}")
    first = client.get("/programmes/public/").content.decode()
    second = client.get("/programmes/public/", {"page": 2}).content.decode()
    newest, oldest = f"标的{2000 + count - 1}", "标的2000"
    assert newest in first and oldest not in first
    assert oldest in second and newest not in second
    assert f"共 {count} 个标的" in first and f"共 {count} 条" in first

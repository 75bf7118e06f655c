import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projectize.orgs.models import Role
from projectize.projects.models import Promotion
from projectize.showcase import services
from projectize.showcase.models import Nomination, ShowcaseStatus
from projectize.showcase.workflows import SHOWCASE
from tests.factories import make_org, user_with_role
from tests.showcase.factories import make_project, make_showcase, make_world

pytestmark = pytest.mark.django_db


def add_nominations(world, showcase, count, start):
    orgs = [make_org(world.committee, f"第{start + n}党支部") for n in range(count)]
    projects = [make_project(org, f"项目{start + n}") for n, org in enumerate(orgs)]
    Nomination.objects.bulk_create(
        Nomination(showcase=showcase, project=p, organization=p.organization, summary="s", highlights="a\nb")
        for p in projects
    )
    Promotion.objects.bulk_create(Promotion(project=p, summary="经验", promoted_by=world.admin) for p in projects)


def count_queries(client, url):
    client.get(url)  # warm the content-type cache, as any running server has
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_showcase_pages_keep_a_flat_query_count(client):
    world = make_world(1)
    showcase = make_showcase(world.admin, world.committee, status=ShowcaseStatus.JUDGING)
    client.force_login(world.admin)
    pages = [f"/showcase/{showcase.pk}/", "/showcase/"]
    public = [f"/public/showcase/{showcase.pk}/", "/public/cases/", "/public/"]
    add_nominations(world, showcase, 5, 0)
    small = [count_queries(client, url) for url in pages]
    client.logout()
    small += [count_queries(client, url) for url in public]
    add_nominations(world, showcase, 60, 100)
    client.force_login(world.admin)
    large = [count_queries(client, url) for url in pages]
    client.logout()
    large += [count_queries(client, url) for url in public]
    assert large == small


def test_a_secretary_sees_a_card_for_projects_to_nominate(client):
    world = make_world(2)
    showcase = make_showcase(world.admin, world.committee)
    showcase = SHOWCASE.apply(showcase, "open_nominations", actor=world.admin)
    client.force_login(world.secretaries[0])
    cards = client.get("/").context["cards"]
    card = next(card for card in cards if card.title == "可推荐参加七一展评的项目")
    assert card.count == 1 and card.url == f"/showcase/{showcase.pk}/nominate/"
    services.nomination_create(
        actor=world.secretaries[0], showcase=showcase, project=world.projects[0], summary="s", highlights="h"
    )
    assert all(card.title != "可推荐参加七一展评的项目" for card in client.get("/").context["cards"])


def test_staff_export_the_nominations_with_their_scores(client):
    from io import BytesIO

    from openpyxl import load_workbook

    world = make_world(1)
    showcase = make_showcase(world.admin, world.committee, status=ShowcaseStatus.JUDGING)
    add_nominations(world, showcase, 3, 0)
    Nomination.objects.filter(organization__name="第1党支部").update(vote_count=7, rank=1)
    client.force_login(world.secretaries[0])
    assert client.get(f"/showcase/{showcase.pk}/nominations.xlsx").status_code == 404
    client.force_login(world.admin)
    response = client.get(f"/showcase/{showcase.pk}/nominations.xlsx")
    rows = list(load_workbook(BytesIO(response.getvalue())).active.iter_rows(values_only=True))
    assert rows[0] == ("名次", "项目", "推荐组织", "评委评分", "得票数", "综合得分", "奖项")
    assert rows[1][:5] == (1, "项目1", "第1党支部", None, 7)
    assert len(rows) == 4


def test_the_next_step_and_the_buttons_come_from_the_showcase_table(client):
    world = make_world(1)
    showcase = make_showcase(world.admin, world.committee)
    url = f"/showcase/{showcase.pk}/"
    client.force_login(world.admin)
    page = client.get(url).content.decode()
    assert "核对推荐期、投票期和奖项设置，然后“开始推荐”" in page
    assert 'data-status="draft"' in page and "修改设置" in page
    client.force_login(world.secretaries[0])
    page = client.get(url).content.decode()
    assert "主办党委正在筹备本次展评。" in page and "开始推荐" not in page and "修改设置" not in page

    showcase = SHOWCASE.apply(showcase, "open_nominations", actor=world.admin)
    client.force_login(world.admin)
    page = client.get(url).content.decode()
    # No nomination yet: the step waits, disabled, with its reason; staff read what happens meanwhile.
    assert 'data-testid="blocked-start_judging"' in page and "还没有任何推荐项目，不能结束推荐。" in page
    assert "各组织在推荐期内推荐本组织的项目" in page


def test_a_showcase_step_outside_the_users_scope_is_not_found_and_others_may_not_take_it(client):
    from tests.factories import make_root

    world = make_world(1)
    showcase = make_showcase(world.admin, world.committee)
    step = f"/workflow/showcase.showcase/{showcase.pk}/open_nominations/"
    client.force_login(user_with_role(Role.TOWN_ADMIN, make_root("泗泾镇党委")))
    assert client.post(step).status_code == 404
    client.force_login(world.secretaries[0])  # sees the showcase, may not run it
    assert client.post(step).status_code == 403
    showcase.refresh_from_db()
    assert showcase.status == ShowcaseStatus.DRAFT
    client.force_login(world.admin)
    client.post(step)
    showcase.refresh_from_db()
    assert showcase.status == ShowcaseStatus.NOMINATING


def test_the_published_showcase_links_to_its_commendation_list(client):
    world = make_world(1)
    showcase = make_showcase(world.admin, world.committee, status=ShowcaseStatus.PUBLISHED)
    client.force_login(world.secretaries[0])
    page = client.get(f"/showcase/{showcase.pk}/").content.decode()
    assert "表彰名单已发布。" in page and f"/public/showcase/{showcase.pk}/commendation/" in page
    assert 'data-status="published"' in page and "修改设置" not in page

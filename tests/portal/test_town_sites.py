"""Each town's own public site (projectize.orgs.sites): found by its address /t/<slug>/ or by its host, in its
own brand, showing its own figures and items alone; a resident's need lands in that town; the installation's
home with several towns is the district's portal listing them."""

import re
from dataclasses import dataclass

import pytest
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projectize.needs.models import Need
from projectize.needs.services import supporter_key
from projectize.orgs.models import CommitteeProfile, Organization, OrgKind, Role, User
from projectize.programmes.models import Target
from projectize.projects.models import Project, ProjectStatus, ProjectType, Promotion
from projectize.reports import rollup
from projectize.showcase.models import Showcase, ShowcaseStatus
from tests.factories import make_org, user_with_role
from tests.needs.factories import make_category, make_need
from tests.programmes.factories import make_programme, make_section, make_target
from tests.showcase.factories import make_showcase

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7V\xbd\xfa\x00\x00\x00\x00IEND\xaeB`\x82"
)


@dataclass
class Town:
    committee: Organization
    slug: str
    brand: str
    colour: str
    admin: User
    branch: Organization
    project: Project
    case: Promotion
    showcase: Showcase
    target: Target
    need: Need
    # The outcome the town's project reached: each town's differ.
    solved: int


def make_town(district: Organization, word: str, slug: str, brand: str, colour: str, solved: int) -> Town:
    committee = Organization.objects.add_child(district, {"name": f"{word}镇党委", "kind": OrgKind.COMMITTEE})
    CommitteeProfile.objects.create(
        organization=committee, slug=slug, brand_name=brand, brand_colour=colour, accent_colour="#f6e7c1"
    )
    admin = user_with_role(Role.TOWN_ADMIN, committee)
    branch = make_org(committee, f"{word}居民区党总支")
    project = add_project(branch, f"{word}楼组议事会", solved=solved)
    case = Promotion.objects.create(project=project, summary=f"{word}的议事做法", promoted_by=admin)
    showcase = make_showcase(admin, committee, status=ShowcaseStatus.JUDGING, title=f"{word}七一展评")
    target = make_target(make_section(make_programme(committee, title=brand)), title=f"{word}路口停车治理")
    need = make_need(committee, f"{word}小区门口停车难")
    return Town(committee, slug, brand, colour, admin, branch, project, case, showcase, target, need, solved)


def add_project(organization: Organization, title: str, solved: int = 1) -> Project:
    return Project.objects.create(
        organization=organization,
        year=2025,
        type=ProjectType.DEMONSTRATION,
        status=ProjectStatus.CONCLUDED,
        title=title,
        progress=100,
        rules_established=1,
        problems_solved=solved,
        service_brands=1,
        beneficiaries=100 * solved,
    )


@pytest.fixture
def towns() -> tuple[Town, Town]:
    district = Organization.objects.add_root({"name": "松江区委", "kind": OrgKind.DISTRICT})
    CommitteeProfile.objects.create(organization=district, slug="songjiang", brand_name="松江区域化党建")
    return (
        make_town(district, "新桥", "xinqiao", "家新桥", "#b3001b", solved=48),
        make_town(district, "泗泾", "sijing", "泗泾同心圆", "#9c1c1f", solved=9),
    )


def words(town: Town) -> list[str]:
    """What only this town's pages show: its items' titles and its brand."""
    return [town.project.title, town.case.summary, town.showcase.title, town.target.title, town.brand]


def public_lists(town: Town) -> list[str]:
    prefix = f"/t/{town.slug}"
    return [f"{prefix}/", f"{prefix}/cases/", f"{prefix}/showcase/", f"{prefix}/programmes/", f"{prefix}/needs/new/"]


def test_a_town_site_is_found_by_its_address_in_its_own_brand_and_colours(client, towns):
    sijing = towns[1]
    response = client.get("/t/sijing/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "泗泾同心圆" in page and "泗泾镇党委" in page
    assert re.search(r'<body class="public" style="--brand-red: #9c1c1f; --brand-accent: #f6e7c1;"', page)
    assert response.context["outcomes"]["problems_solved"] == 9
    assert [project.title for project in response.context["projects"]] == [sijing.project.title]


@pytest.mark.parametrize("way", ["path", "host"])
def test_every_public_list_and_figure_of_a_town_shows_its_own_items_alone(client, settings, towns, way):
    settings.TOWN_HOSTS = {"xinqiao.example.org": "xinqiao", "sijing.example.org": "sijing"}
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "xinqiao.example.org", "sijing.example.org"]
    for town, other in (towns, towns[::-1]):
        urls = public_lists(town)
        host = {}
        if way == "host":
            urls = [url.replace(f"/t/{town.slug}", "/public", 1) for url in urls[:3]] + [
                "/programmes/public/",
                "/needs/public/new/",
            ]
            host = {"HTTP_HOST": f"{town.slug}.example.org"}
        for url in urls:
            response = client.get(url, **host)
            page = response.content.decode()
            assert response.status_code == 200, url
            assert town.brand in page, url
            assert not [word for word in words(other) if word in page], url
        home = client.get(urls[0], **host)
        assert home.context["outcomes"] == {
            "rules_established": 1,
            "problems_solved": town.solved,
            "service_brands": 1,
            "beneficiaries": 100 * town.solved,
        }
        assert [case.pk for case in home.context["cases"]] == [town.case.pk]
        assert [target.pk for target in home.context["targets"]] == [town.target.pk]
        assert home.context["showcase"] == town.showcase


def test_the_other_towns_items_answer_404_on_a_town_site(client, towns):
    xinqiao = towns[0]
    for url in (
        f"/t/sijing/cases/{xinqiao.case.pk}/",
        f"/t/sijing/showcase/{xinqiao.showcase.pk}/",
        f"/t/sijing/programmes/targets/{xinqiao.target.pk}/",
        f"/t/sijing/needs/track/{xinqiao.need.code}/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.get(f"/t/xinqiao/cases/{xinqiao.case.pk}/").status_code == 200
    assert client.get(f"/t/xinqiao/needs/track/{xinqiao.need.code}/").status_code == 200
    # The tracking code of another town's need is not found there either.
    lookup = client.get("/t/sijing/needs/track/", {"code": xinqiao.need.code})
    assert lookup.status_code == 200 and "没有找到这个查询码" in lookup.content.decode()
    response = client.post(f"/t/sijing/needs/{xinqiao.need.pk}/support/", {"mobile": "13900000077"})
    assert response.status_code == 404 and not xinqiao.need.supports.exists()


def test_an_unknown_town_is_not_found(client, towns):
    for url in ("/t/nowhere/", "/t/nowhere/cases/", "/t/nowhere/needs/new/", "/t/nowhere/programmes/"):
        assert client.get(url).status_code == 404, url


def test_a_need_raised_and_supported_on_a_town_site_lands_in_that_town(client, towns):
    xinqiao, sijing = towns
    category = make_category(sijing.committee, "环境卫生")
    form = {"title": "泗泾路灯坏了", "description": "晚上很黑。", "category": category.pk}
    # Even a form that names the other town (a link's ?org=) goes to the town whose site it is.
    response = client.post("/t/sijing/needs/new/", {**form, "org": xinqiao.committee.pk})
    need = Need.objects.get(title="泗泾路灯坏了")
    assert need.organization == sijing.committee
    assert response["Location"] == f"/t/sijing/needs/track/{need.code}/?new=1"

    response = client.post(
        f"/t/sijing/needs/{need.pk}/support/", {"mobile": "13900000077", "next": f"/t/sijing/needs/track/{need.code}/"}
    )
    assert response["Location"] == f"/t/sijing/needs/track/{need.code}/"
    assert list(need.supports.values_list("supporter_key", flat=True)) == [supporter_key("13900000077")]


def test_links_on_a_town_site_stay_on_it(client, towns):
    sijing = towns[1]
    pages = [*public_lists(sijing), f"/t/sijing/cases/{sijing.case.pk}/", f"/t/sijing/showcase/{sijing.showcase.pk}/"]
    pages.append(f"/t/sijing/programmes/targets/{sijing.target.pk}/")
    # Pages that are not the site's: the staff's sign-in, a claiming unit's form (after sign-in), the language
    # switch, static files.
    elsewhere = ("/accounts/login/", "/claims/new/", "/i18n/setlang/", "/static/")
    for url in pages:
        page = client.get(url).content.decode()
        links = re.findall(r'(?:href|action|hx-post|hx-get|data-similar-url)="(/[^"]*)"', page)
        assert links, url
        leaving = [link for link in links if not link.startswith("/t/sijing/") and not link.startswith(elsewhere)]
        assert not leaving, (url, leaving)
    assert 'href="/t/sijing/needs/new/"' in client.get("/t/sijing/").content.decode()


def test_the_installations_home_with_several_towns_is_the_districts_portal(client, towns):
    response = client.get("/", follow=True)
    assert response.redirect_chain == [("/public/", 302)]
    page = response.content.decode()
    assert response.templates[0].name == "portal/district.html"
    assert "松江区域化党建" in page
    for town in towns:
        card = page.split(f'data-testid="town-{town.slug}"')[1].split("town-go")[0]
        assert f'href="/t/{town.slug}/"' in card and town.brand in card and town.committee.name in card
        assert f"<dd>{town.solved}</dd>" in card
    assert response.context["outcomes"]["problems_solved"] == 48 + 9
    # The district's own address leads to the same portal.
    assert client.get("/t/songjiang/").templates[0].name == "portal/district.html"


def test_the_district_portals_town_figures_come_from_the_roll_up_once_counted(client, towns):
    def card(town: Town) -> str:
        caches["figures"].clear()
        page = client.get("/public/").content.decode()
        return page.split(f'data-testid="town-{town.slug}"')[1].split("town-go")[0]

    rollup.count_all()
    town = towns[0]
    # Written past the signals, as an import does: the portal shows it once the town is counted again.
    Project.objects.filter(pk=town.project.pk).update(problems_solved=town.solved + 5)
    assert f"<dd>{town.solved}</dd>" in card(town)
    rollup.count_all()
    assert f"<dd>{town.solved + 5}</dd>" in card(town)
    assert f"<dd>{towns[1].solved}</dd>" in card(towns[1])


def test_a_single_town_under_its_district_keeps_its_own_home_at_the_root(client):
    district = Organization.objects.add_root({"name": "松江区委", "kind": OrgKind.DISTRICT})
    town = make_town(district, "新桥", "xinqiao", "家新桥", "#b3001b", solved=48)
    response = client.get("/public/")
    assert response.templates[0].name == "portal/home.html"
    assert [project.title for project in response.context["projects"]] == [town.project.title]
    assert 'href="/needs/public/new/"' in response.content.decode()


def test_the_home_page_is_kept_for_each_town_apart(client, towns):
    sijing = towns[1]
    assert client.get("/t/xinqiao/").context["outcomes"]["problems_solved"] == 48
    assert client.get("/t/sijing/").context["outcomes"]["problems_solved"] == 9
    assert client.get("/public/").context["outcomes"]["problems_solved"] == 57
    Project.objects.filter(pk=sijing.project.pk).update(problems_solved=10)
    # Within the minute each town gets its own copy back, for no more than finding the town.
    for path, solved in (("/t/xinqiao/", 48), ("/t/sijing/", 9), ("/public/", 57)):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.context["outcomes"]["problems_solved"] == solved
        assert len(queries) <= 1, path
    caches["figures"].clear()
    assert client.get("/t/sijing/").context["outcomes"]["problems_solved"] == 10


def test_a_town_sites_pages_read_as_few_queries_for_one_item_as_for_many(client, towns):
    sijing = towns[1]

    def counts() -> list[int]:
        found = []
        for url in public_lists(sijing):
            caches["figures"].clear()
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    few = counts()
    for town in towns:
        section = town.target.section
        for n in range(8):
            project = add_project(town.branch, f"{town.brand}第{n}个项目")
            Promotion.objects.create(project=project, summary=f"做法{n}", promoted_by=town.admin)
            make_target(section, title=f"{town.brand}标的{n}")
            make_showcase(town.admin, town.committee, year=2014 + n, status=ShowcaseStatus.JUDGING)
    assert counts() == few


def test_a_towns_logo_stands_in_its_header(client, towns):
    sijing = towns[1]
    profile = CommitteeProfile.objects.get(organization=sijing.committee)
    profile.logo.save("sijing.png", ContentFile(PNG))
    page = client.get("/t/sijing/").content.decode()
    assert '<img class="brand-logo" src="/t/sijing/logo/" alt="">' in page
    logo = client.get("/t/sijing/logo/")
    assert logo.status_code == 200 and b"".join(logo.streaming_content) == PNG
    # A town without one keeps its brand's first character, and has no logo to fetch.
    assert 'class="brand-mark"' in client.get("/t/xinqiao/").content.decode()
    assert client.get("/t/xinqiao/logo/").status_code == 404

"""The residents' pages are one site: one header, one menu, one brand, one 关怀模式; `/` is the right door."""

import re

import pytest

from projectize.orgs.models import Role
from projectize.projects.models import Acceptance
from tests.factories import make_root, user_with_role
from tests.needs.factories import make_need
from tests.projects.factories import make_project

pytestmark = pytest.mark.django_db

MENU = ["首页", "我有需求", "查询办理进度", "公开认领标的", "典型案例", "七一展评"]


def public_pages(root) -> list[str]:
    need = make_need(root)
    return [
        "/public/",
        "/needs/public/new/",
        "/needs/public/track/",
        f"/needs/public/track/{need.code}/",
        "/programmes/public/",
        "/public/cases/",
        "/public/showcase/",
    ]


def test_every_resident_page_has_the_same_header_menu_and_brand(client):
    root = make_root()
    for url in public_pages(root):
        page = client.get(url).content.decode()
        brand = re.search(r'<a [^>]*href="([^"]+)"[^>]*data-testid="public-brand"', page)
        assert brand and brand.group(1) == "/public/", url
        menu = page.split('aria-label="公众导航"')[1].split("</nav>")[0]
        assert re.findall(r'class="nav-link"[^>]*>([^<]+)</a>', menu) == MENU, url
        assert 'data-testid="care-mode"' in page and 'href="/accounts/login/"' in page, url


def test_care_mode_holds_on_every_resident_page(client):
    root = make_root()
    client.post("/public/care-mode/", {"care_mode": "1", "next": "/public/"})
    for url in public_pages(root):
        assert 'class="public care-mode"' in client.get(url).content.decode(), url


def test_the_survey_page_is_part_of_the_site(client):
    root = make_root()
    acceptance = Acceptance.objects.create(project=make_project(root), scheduled_on="2026-06-01")
    page = client.get(f"/projects/survey/{acceptance.survey_token}/").content.decode()
    assert 'data-testid="public-brand"' in page and 'aria-label="公众导航"' in page


def test_the_root_address_is_the_portal_for_residents_and_the_workbench_for_staff(client):
    root = make_root()
    response = client.get("/", follow=True)
    assert response.redirect_chain == [("/public/", 302)]
    assert 'data-testid="public-brand"' in response.content.decode()

    client.force_login(user_with_role(Role.TOWN_ADMIN, root))
    workbench = client.get("/")
    assert workbench.status_code == 200 and 'data-testid="public-brand"' not in workbench.content.decode()

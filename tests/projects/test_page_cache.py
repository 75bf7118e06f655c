"""Whole pages kept for their reader (projectize.core.pagecache): read again, a page costs no rendering, yet
nobody ever reads a page made for someone else or one older than a change they may see."""

import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from projectize.core.pagecache import TOKEN_NAMES, mark_changed
from projectize.core.services import log_activity
from projectize.orgs.models import OrgKind
from projectize.projects import services
from projectize.projects.models import ProjectStatus
from tests.factories import make_org
from tests.programmes.factories import make_programme, make_section, make_target
from tests.projects.factories import make_project

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_copies")]


def read(client: Client, url: str = "/projects/") -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def rename(project, title: str, actor) -> None:
    services.report_schedule_set(actor=actor, project=project, interval_days=30)  # logs at the project's org
    project.title = title
    project.save(update_fields=["title"])


def test_a_page_read_again_is_served_from_its_copy(org, admin):
    make_project(org, title="楼道微更新", status=ProjectStatus.IN_PROGRESS)
    client = signed_in(admin)
    first, first_queries = read(client)
    again, again_queries = read(client)
    assert "楼道微更新" in again
    # The copy needs the session, the user, their grants and the tokens; the list's own queries are gone.
    assert again_queries < first_queries
    assert again_queries <= 5
    assert _without_tokens(first) == _without_tokens(again)


def test_a_kept_page_is_read_with_its_tokens_in_one_round_trip(org, admin, monkeypatch):
    """The session names the reader's tokens, so the copy and the tokens are asked for at once."""
    client = signed_in(admin)
    read(client), read(client)  # the first reading notes the tokens' names in the session, the second keeps
    pages = caches["pages"]
    asked: list[list[str]] = []
    get_many = pages.get_many

    def noted(keys, **kwargs):
        asked.append(list(keys))
        return get_many(keys, **kwargs)

    monkeypatch.setattr(pages, "get_many", noted)
    _page, queries = read(client)
    assert queries <= 5  # the copy
    assert len(asked) == 1 and len(asked[0]) == 1 + len(client.session[TOKEN_NAMES])


def test_a_copy_kept_under_other_tokens_than_the_session_names_is_checked_against_its_own(org, admin, secretary):
    """Names noted before the reader's grants changed read the wrong tokens: the copy's own are read then."""
    project = make_project(org, title="楼道微更新", status=ProjectStatus.IN_PROGRESS)
    client = signed_in(secretary)
    read(client), read(client)
    session = client.session
    session[TOKEN_NAMES] = ["page-token:up:elsewhere"]
    session.save()
    rename(project, "楼道微更新（二期）", admin)
    assert "楼道微更新（二期）" in read(client)[0]


def test_a_change_logged_at_an_organization_renews_the_pages_of_its_readers(org, admin, secretary):
    project = make_project(org, title="楼道微更新", status=ProjectStatus.IN_PROGRESS)
    staff, branch = signed_in(admin), signed_in(secretary)
    read(staff), read(branch)
    rename(project, "楼道微更新（二期）", admin)
    assert "楼道微更新（二期）" in read(staff)[0]  # the town above the change
    assert "楼道微更新（二期）" in read(branch)[0]  # the organization itself


def test_a_change_elsewhere_keeps_the_copy(town, org, admin, secretary):
    make_project(org, title="楼道微更新", status=ProjectStatus.IN_PROGRESS)
    elsewhere = make_org(make_org(town, "另一个党总支", OrgKind.GENERAL_BRANCH), "明华居民区党总支")
    other = make_project(elsewhere, title="明华议事会", status=ProjectStatus.IN_PROGRESS)
    branch = signed_in(secretary)
    read(branch)
    rename(other, "明华议事会（新）", admin)
    _page, queries = read(branch)
    assert queries <= 5  # still the copy: nothing the secretary may see changed


def test_the_committee_s_decision_renews_the_pages_below_it(town, org, admin, secretary):
    """A change logged at the town (say, a call it publishes) reaches its organizations' readers."""
    make_project(org, title="楼道微更新", status=ProjectStatus.IN_PROGRESS)
    branch = signed_in(secretary)
    read(branch)
    log_activity(actor=admin, action="project.update", organization=town)
    _page, queries = read(branch)
    assert queries > 5


def test_a_form_sent_by_a_person_renews_their_pages(org, secretary):
    client = signed_in(secretary)
    read(client)
    client.post("/notifications/read-all/")
    _page, queries = read(client)
    assert queries > 5


def test_nobody_reads_a_copy_made_for_someone_else(org, other_org, secretary, other_secretary):
    make_project(org, title="春申的项目", status=ProjectStatus.IN_PROGRESS)
    make_project(other_org, title="明华的项目", status=ProjectStatus.IN_PROGRESS)
    mine = read(signed_in(secretary))[0]
    theirs = read(signed_in(other_secretary))[0]
    assert "春申的项目" in mine and "明华的项目" not in mine
    assert "明华的项目" in theirs and "春申的项目" not in theirs


def test_each_language_has_its_own_copy(org, admin, settings):
    client = signed_in(admin)
    assert re.search(r'<html[^>]*lang="zh-hans"', read(client)[0])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert re.search(r'<html[^>]*lang="en"', read(client)[0])


def test_a_waiting_message_is_shown_not_skipped(town, org, admin):
    client = signed_in(admin)
    read(client)
    # A form sent elsewhere leaves a message for the next page: that page is rendered, with the message.
    sent = client.post(f"/orgs/{town.pk}/add/", {"name": "新成立党支部", "kind": OrgKind.BRANCH})
    assert sent.status_code == 302
    page, _queries = read(client)
    assert "已新建“新成立党支部”。" in page
    assert "已新建" not in read(client)[0]


def test_a_kept_page_s_form_is_accepted(org, admin):
    """The copy carries a CSRF token of the reader's own secret: a form sent from it goes through."""
    project = make_project(org, title="楼道微更新", status=ProjectStatus.IN_PROGRESS)
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    client.get(f"/projects/{project.pk}/")  # the first reading gives the CSRF cookie
    read(client, f"/projects/{project.pk}/")
    page, queries = read(client, f"/projects/{project.pk}/")
    assert queries <= 5
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found is not None and "@@" not in page
    response = client.post("/notifications/read-all/", {"csrfmiddlewaretoken": found.group(1)})
    assert response.status_code == 302  # accepted (a refused token answers 403)


def test_a_visitor_s_public_page_is_kept_for_every_visitor(town, org):
    section = make_section(make_programme(town))
    make_target(section, title="新桥路口停车治理")
    first = read(Client(), "/programmes/public/")
    # A row written behind the services' back marks nothing: a copy is what shows it is not there yet.
    make_target(section, title="明华小区加装电梯")
    again = read(Client(), "/programmes/public/")
    assert again[1] <= 2
    assert _without_tokens(first[0]) == _without_tokens(again[0])
    assert "明华小区加装电梯" not in again[0]
    mark_changed([town.path])
    assert "明华小区加装电梯" in read(Client(), "/programmes/public/")[0]


def test_without_redis_pages_and_tokens_are_kept_in_a_table_every_process_reads(town, settings):
    """The embedded default and a server without Redis: the pages cache is a database table (settings), which
    `migrate` makes."""
    table = "projectize_pages"
    database_cache = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": table}
    settings.CACHES = {**settings.CACHES, "pages": database_cache}
    section = make_section(make_programme(town))
    first = read(Client(), "/programmes/public/")[0]
    make_target(section, title="明华小区加装电梯")
    again = read(Client(), "/programmes/public/")[0]
    assert _without_tokens(first) == _without_tokens(again)
    mark_changed([town.path])
    assert "明华小区加装电梯" in read(Client(), "/programmes/public/")[0]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key FROM {table}")
        keys = [key for (key,) in cursor.fetchall()]
    assert any("page-token:" in key for key in keys) and any(":page:" in key for key in keys)


def test_pages_are_not_kept_when_switched_off(org, admin, settings):
    """PAGE_CACHE_SECONDS=0 (the tests' own default, set here as an operator would)."""
    settings.PAGE_CACHE_SECONDS = 0
    client = signed_in(admin)
    first = read(client)[1]
    assert read(client)[1] == first


def _without_tokens(page: str) -> str:
    """The page without its CSRF tokens, which differ each time a page is given out."""
    return re.sub(r"\b[A-Za-z0-9]{64}\b", "", page)

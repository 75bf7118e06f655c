"""The API's conventions: problem details in the caller's language, ETags, money, ISO dates, cursor pages."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projectize.orgs.models import Role
from projectize.projects.models import ProjectStatus
from tests.api.conftest import token_client
from tests.factories import make_org, user_with_role
from tests.needs.factories import make_need
from tests.projects.factories import make_project

pytestmark = pytest.mark.django_db


def test_errors_are_problem_details_in_chinese_by_default_and_english_on_request(read_key):
    chinese = token_client(read_key).get("/api/v1/projects/999999/")
    assert chinese.status_code == 404 and chinese["Content-Type"] == "application/problem+json"
    assert chinese.json() == {
        "type": "urn:projectize:problem:not-found",
        "title": "未找到",
        "status": 404,
        "detail": "未找到该对象，或您无权查看。",
        "instance": "/api/v1/projects/999999/",
    }
    english = token_client(read_key, language="en").get("/api/v1/projects/999999/")
    assert english.json()["title"] == "Not found"
    assert english.json()["detail"] == "No such object, or you may not see it."


def test_validation_errors_name_their_fields(write_key):
    answer = token_client(write_key, language="en").post("/api/v1/needs/", {"title": ""}, format="json")
    problem = answer.json()
    assert answer.status_code == 400 and problem["title"] == "Bad request"
    assert {"organization", "title", "category", "channel"} <= set(problem["errors"])


def test_a_bad_filter_is_a_bad_request_not_a_server_error(read_key):
    answer = token_client(read_key).get("/api/v1/needs/?category=abc")
    assert answer.status_code == 400 and "category" in answer.json()["errors"]


@pytest.mark.parametrize("url", ["/api/v1/letters/", "/api/v1/needs/", "/api/v1/projects/", "/api/v1/targets/"])
def test_a_null_character_in_a_search_is_named_not_a_server_error(read_key, url):
    answer = token_client(read_key, language="en").get(url, {"q": "路灯\x00"})
    assert answer.status_code == 400 and answer["Content-Type"] == "application/problem+json"
    assert "q" in answer.json()["errors"]


def test_details_carry_an_etag_and_answer_304_when_unchanged(read_key, town):
    project = make_project(town, status=ProjectStatus.IN_PROGRESS)
    api = token_client(read_key)
    first = api.get(f"/api/v1/projects/{project.pk}/")
    tag = first["ETag"]
    assert first.status_code == 200 and tag.startswith('"')
    assert api.get(f"/api/v1/projects/{project.pk}/", HTTP_IF_NONE_MATCH=tag).status_code == 304
    project.title = "改名了"
    project.save()
    assert api.get(f"/api/v1/projects/{project.pk}/", HTTP_IF_NONE_MATCH=tag).status_code == 200


def test_money_is_a_string_with_two_decimals_and_dates_are_iso(read_key, town):
    project = make_project(town, status=ProjectStatus.IN_PROGRESS, budget_requested=Decimal("20000"))
    data = token_client(read_key).get(f"/api/v1/projects/{project.pk}/").json()
    assert data["budget_requested"] == "20000.00"
    assert project.start_date is not None and data["start_date"] == project.start_date.isoformat()
    datetime.datetime.fromisoformat(data["updated_at"])
    assert data["indicators"][0]["target"] == "12.00"
    assert [m["title"] for m in data["milestones"]] == ["成立议事会", "形成议事规则"]


def test_lists_page_by_cursor(read_key, town, category):
    for n in range(5):
        make_need(town, title=f"需求{n}", category=category)
    api = token_client(read_key)
    first = api.get("/api/v1/needs/?page_size=2").json()
    assert [r["title"] for r in first["results"]] == ["需求4", "需求3"] and first["previous"] is None
    second = api.get(first["next"]).json()
    assert [r["title"] for r in second["results"]] == ["需求2", "需求1"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/needs/",
        "/api/v1/projects/",
        "/api/v1/organizations/",
        "/api/v1/claims/",
        "/api/v1/targets/",
        "/api/v1/open/projects/",
        "/api/v1/open/awards/",
    ],
)
def test_list_queries_stay_flat_as_rows_grow(read_key, town, category, url):
    api = token_client(read_key)

    def grow(n: int) -> None:
        for i in range(n):
            unit = make_org(town, f"居民区{url}{i}-{n}")
            make_need(town, title=f"需求{i}", category=category, area=unit)
            make_project(unit, status=ProjectStatus.IN_PROGRESS)

    grow(2)
    api.get(url)
    with CaptureQueriesContext(connection) as few:
        assert api.get(url).status_code == 200
    grow(8)
    with CaptureQueriesContext(connection) as many:
        assert api.get(url).status_code == 200
    assert len(many) == len(few)


def test_reads_follow_the_pages_permissions(town, category):
    unit = make_org(town, "明华居民区党总支")
    mine = make_project(unit, status=ProjectStatus.IN_PROGRESS, title="明华的项目")
    make_project(make_org(town, "别的居民区"), status=ProjectStatus.IN_PROGRESS, title="别人的项目")
    secretary = user_with_role(Role.SECRETARY, unit)
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(secretary)
    titles = [row["title"] for row in api.get("/api/v1/projects/").json()["results"]]
    assert titles == ["明华的项目"]
    assert api.get(f"/api/v1/projects/{mine.pk}/").status_code == 200
    # Town figures are for town staff and leaders, as the dashboard page.
    assert api.get("/api/v1/dashboard/").status_code == 403


def test_dashboard_figures_sum_outcomes_in_the_subtree(read_key, town):
    make_project(town, status=ProjectStatus.CONCLUDED, problems_solved=3, beneficiaries=120)
    make_project(town, status=ProjectStatus.IN_PROGRESS, problems_solved=1)
    data = token_client(read_key).get("/api/v1/dashboard/").json()
    assert data["outcomes"]["problems_solved"] == 4 and data["outcomes"]["beneficiaries"] == 120
    counts = {row["code"]: row["count"] for row in data["projects_by_status"]}
    assert counts["concluded"] == 1 and counts["in_progress"] == 1


def test_a_programmes_sections_come_in_order_with_their_targets(read_key, town):
    from projectize.programmes.models import Programme, Section, Target

    programme = Programme.objects.create(
        organization=town,
        year=2026,
        title="家新桥",
        claim_opens="2026-01-01T00:00+08:00",
        claim_closes="2026-12-31T00:00+08:00",
    )
    later = Section.objects.create(programme=programme, title="社会公益", order=2)
    first = Section.objects.create(programme=programme, title="交通管理", order=1)
    target = Target.objects.create(programme=programme, section=first, title="停车治理")
    rows = token_client(read_key).get(f"/api/v1/programmes/{programme.pk}/sections/").json()
    assert [(r["id"], r["targets"]) for r in rows] == [(first.pk, [target.pk]), (later.pk, [])]

"""Open data without login: JSON and CSV, paged, under a stated licence; never a resident's contact data."""

import csv
import io

import pytest
from rest_framework.test import APIClient

from projectize.api.licence import LICENCE
from projectize.claims.models import Claim, ClaimStatus
from projectize.orgs.models import OrgKind, Role
from projectize.programmes.models import Programme, Section, Target, TargetStatus
from projectize.projects.models import ProjectStatus
from tests.factories import make_org, user_with_role
from tests.needs.factories import make_need
from tests.projects.factories import make_project

pytestmark = pytest.mark.django_db

MOBILE = "13912345678"


@pytest.fixture
def published(town, org):
    town.contact_name, town.contact_phone = "王联络", "021-57681234"
    town.save()
    unit = make_org(town, "上海某某物业公司党支部", OrgKind.ENTERPRISE)
    programme = Programme.objects.create(
        organization=town,
        year=2026,
        title="家新桥 2026",
        claim_opens="2026-01-01T00:00+08:00",
        claim_closes="2026-12-31T00:00+08:00",
    )
    section = Section.objects.create(programme=programme, title="交通管理")
    target = Target.objects.create(
        programme=programme,
        section=section,
        title="停车治理",
        description="老小区停车",
        status=TargetStatus.AWARDED,
        support_funds="30000",
        published_at="2026-03-01T09:00:00+08:00",
    )
    make_need(town, title="停车难", submitter_name="李阿姨", submitter_mobile=MOBILE, target=target)
    contact = user_with_role(Role.CLAIM_CONTACT, unit, last_name="赵", first_name="联系人", mobile="13800001111")
    Claim.objects.create(
        target=target, organization=unit, contact=contact, status=ClaimStatus.AWARDED, plan="方案", reasons="理由"
    )
    make_project(org, status=ProjectStatus.CONCLUDED, title="楼组议事", problems_solved=2, beneficiaries=300)
    make_project(org, status=ProjectStatus.DRAFT, title="还在起草")
    return target


OPEN = ["/api/v1/open/targets/", "/api/v1/open/awards/", "/api/v1/open/projects/", "/api/v1/open/outcomes/"]


@pytest.mark.parametrize("url", OPEN)
def test_open_data_needs_no_login_and_states_its_licence(published, url):
    answer = APIClient().get(url)
    assert answer.status_code == 200
    assert answer.json()["licence"] == LICENCE
    assert f'<{LICENCE["url"]}>; rel="license"' in answer["Link"]


@pytest.mark.parametrize("url", OPEN)
def test_no_contact_data_ever_appears(published, url):
    for form in ("", "?format=csv"):
        text = APIClient().get(url + form).content.decode()
        for secret in (
            MOBILE,
            "李阿姨",
            "王联络",
            "021-57681234",
            "13800001111",
            "赵联系人",
            "submitter",
            "contact",
            "mobile",
        ):
            assert secret not in text, (url, form, secret)


def test_open_projects_are_the_public_ones_with_their_outcomes(published):
    rows = APIClient().get("/api/v1/open/projects/").json()["results"]
    assert [(r["title"], r["problems_solved"], r["beneficiaries"]) for r in rows] == [("楼组议事", 2, 300)]
    totals = APIClient().get("/api/v1/open/outcomes/").json()
    assert totals["problems_solved"] == 2 and totals["beneficiaries"] == 300


def test_targets_and_awards_come_as_csv(published):
    answer = APIClient().get("/api/v1/open/targets/?format=csv")
    assert answer["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0]["title"] == "停车治理" and rows[0]["support_funds"] == "30000.00"
    awards = list(
        csv.DictReader(io.StringIO(APIClient().get("/api/v1/open/awards/?format=csv").content.decode("utf-8-sig")))
    )
    assert awards[0]["organization_name"] == "上海某某物业公司党支部" and awards[0]["target_title"] == "停车治理"


def test_open_data_is_read_only(published):
    assert APIClient().post("/api/v1/open/targets/", {}, format="json").status_code == 405

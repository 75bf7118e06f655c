"""A district's annual report: the district's summary and the towns compared, then a page (a sheet) for
each town with that town's figures and its rank among the towns. A town's report has none of it."""

import subprocess
from io import BytesIO

import pytest
from django.core.cache import caches
from openpyxl import load_workbook

from projectize.orgs.models import Role
from projectize.reports import rollup
from tests.factories import user_with_role
from tests.jobs import content, run_and_download
from tests.reports import live
from tests.reports.world import City, build_city

pytestmark = pytest.mark.django_db


@pytest.fixture
def city() -> City:
    caches["figures"].clear()
    city = build_city((8, 5))
    rollup.count_all()
    return city


def pages_of(data: bytes, tmp_path) -> list[str]:
    """The PDF's text, page by page, without spaces (CJK text comes out spaced by layout)."""
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout
    return ["".join(page.split()) for page in text.split("\f") if page.strip()]


def test_the_district_report_pdf_has_a_page_for_each_town(client, city, tmp_path):
    client.force_login(user_with_role(Role.DISTRICT_STAFF, city.district))
    response = run_and_download(client, client.get("/reports/annual.pdf", {"year": 2026}))
    pages = pages_of(content(response), tmp_path)
    summary = "".join(pages)
    assert summary.startswith("松江区委2026年度党建项目化工作报告")
    assert "七、各镇（街道）对比" in summary
    for town in city.towns:
        name = town.committee.name
        starts = [page for page in pages if page.startswith(f"{name}2026年度党建项目化工作情况")]
        assert len(starts) == 1, name
        outcomes = live.figures(town.committee, 2026)["outcomes"]
        page = starts[0]
        assert f"累计成效·惠及人次（人次）{outcomes['beneficiaries']}" in page
        assert "在2个镇（街道）中的名次" in page


def test_the_district_workbook_has_the_comparison_and_a_sheet_per_town(client, city):
    client.force_login(city.leader)
    response = client.get("/reports/annual.xlsx", {"org": city.district.pk, "rank": "beneficiaries"})
    workbook = load_workbook(BytesIO(response.content))
    comparison = list(workbook["各镇（街道）对比"].iter_rows(values_only=True))
    people = {
        town.committee.name: live.figures(town.committee, None)["outcomes"]["beneficiaries"] for town in city.towns
    }
    column = comparison[0].index("累计成效 · 惠及人次（人次）")
    assert [(row[0], row[1], row[column]) for row in comparison[1:]] == [
        (rank, name, n) for rank, (name, n) in enumerate(sorted(people.items(), key=lambda i: -i[1]), start=1)
    ]
    for town in city.towns:
        sheet = list(workbook[town.committee.name].iter_rows(values_only=True))
        assert sheet[0] == ("指标", "数值", "在 2 个镇（街道）中的名次")
        figures = {row[0]: row[1:] for row in sheet[1:]}
        projects = sum(live.figures(town.committee, None)["by_status"].values())
        assert figures["项目数 · 合计（个）"][0] == projects
        assert figures["累计成效 · 惠及人次（人次）"][0] == people[town.committee.name]


def test_a_towns_report_has_no_town_pages(client, city):
    xinqiao = city.towns[0]
    client.force_login(xinqiao.admin)
    workbook = load_workbook(BytesIO(client.get("/reports/annual.xlsx").content))
    assert "各镇（街道）对比" not in workbook.sheetnames
    assert xinqiao.committee.name not in workbook.sheetnames

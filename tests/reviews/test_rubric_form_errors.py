"""The scoring-standard form's tables say what is wrong in the form's own words, beside the table at fault,
never in Django's wording about "forms"; nothing is saved."""

import re

import pytest

from projectize.reviews.models import Rubric

pytestmark = pytest.mark.django_db

GENERIC = ("表单", "Please submit", "ManagementForm")


def rubric_post(town, **changes):
    """A new standard as the page offers it (five blank criterion rows, the four usual grades and a blank
    grade row), with no criterion filled in."""
    data = {
        "organization": town.pk,
        "name": "初期评估标准",
        "purpose": "initial_assessment",
        "total": "100",
        "aggregation": "mean",
        "top_grade_quota": "",
        "coefficient_step": "0.05",
        "description": "",
        "criteria-TOTAL_FORMS": "5",
        "criteria-INITIAL_FORMS": "0",
        "grades-TOTAL_FORMS": "5",
        "grades-INITIAL_FORMS": "0",
        **{f"criteria-{n}-{name}": "" for n in range(5) for name in ("name", "weight", "bands", "description")},
        **{f"grades-{n}-name": name for n, name in enumerate(["优秀", "良好", "合格", "不合格", ""])},
        **{f"grades-{n}-minimum": minimum for n, minimum in enumerate(["90", "80", "60", "0", ""])},
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def table_errors(html: str, table: str) -> list[str]:
    """The messages shown just above a table (between its heading and the table itself)."""
    heading, rows = {"criteria": ("评分项</h2>", 'id="criteria-table"'), "grades": ("等级</h2>", 'id="grades-table"')}[
        table
    ]
    start = html.index(heading) if heading in html else 0
    section = html[start : html.index(rows)]
    return re.findall(rf'data-testid="error-{table}">([^<]*)<', section)


def test_an_empty_criteria_table_says_a_criterion_is_missing(client, town, admin):
    client.force_login(admin)
    response = client.post("/reviews/rubrics/new/", rubric_post(town))
    html = response.content.decode()
    assert response.status_code == 200
    assert table_errors(html, "criteria") == ["请至少填写一项评分项。"]
    assert not any(generic in html for generic in GENERIC)
    assert not Rubric.objects.exists()


def test_an_english_reader_reads_the_same_message_in_english(client, town, admin):
    client.force_login(admin)
    html = client.post("/reviews/rubrics/new/", rubric_post(town), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert table_errors(html, "criteria") == ["Please enter at least one criterion."]
    assert "Please submit" not in html


@pytest.mark.parametrize("table", ["criteria", "grades"])
def test_a_tampered_table_is_refused_beside_it_in_plain_words(client, town, admin, table):
    client.force_login(admin)
    data = rubric_post(town, **{f"{table}-TOTAL_FORMS": None})
    html = client.post("/reviews/rubrics/new/", data).content.decode()
    assert "表格数据不完整，请刷新页面后重新填写。" in table_errors(html, table)
    assert not any(generic in html for generic in GENERIC)
    assert not Rubric.objects.exists()


def test_too_many_rows_are_refused_in_the_tables_words(client, town, admin):
    client.force_login(admin)
    rows = 2001  # past the most rows a table takes
    data = rubric_post(town, **{"grades-TOTAL_FORMS": str(rows)})
    html = client.post("/reviews/rubrics/new/", data).content.decode()
    assert table_errors(html, "grades") == ["行数过多，请删去多余的行后再提交。"]
    assert not Rubric.objects.exists()

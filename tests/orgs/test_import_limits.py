"""The Excel import refuses a file that would expand too far before parsing it, and text a spreadsheet
would run as a formula."""

import io
import zipfile

import openpyxl
import pytest

from tests.orgs.excel import import_file, xlsx

pytestmark = pytest.mark.django_db
SHEET = "xl/worksheets/sheet1.xml"


def _with_sheet(write_sheet) -> io.BytesIO:
    """A real workbook from the template helper, its first sheet replaced by what `write_sheet` streams."""
    original = zipfile.ZipFile(io.BytesIO(xlsx([]).read()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in original.infolist():
            if item.filename == SHEET:
                with bomb.open(SHEET, "w", force_zip64=True) as part:
                    write_sheet(part)
            else:
                bomb.writestr(item, original.read(item))
    out.seek(0)
    out.name = "组织.xlsx"
    return out


def _refuse_parsing(monkeypatch) -> None:
    def parse(*args, **kwargs):
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr(openpyxl, "load_workbook", parse)


def test_a_workbook_expanding_past_fifty_megabytes_is_refused_before_parsing(town, as_user, monkeypatch):
    def sixty_megabytes(part) -> None:
        part.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
        padding = b"<!--" + b" " * (1024 * 1024 - 7) + b"-->"
        for _ in range(60):
            part.write(padding)
        part.write(b"</sheetData></worksheet>")

    bomb = _with_sheet(sixty_megabytes)
    assert len(bomb.getvalue()) < 1024 * 1024  # small on the wire
    _refuse_parsing(monkeypatch)
    response = as_user(town["admin"]).post("/orgs/import/", {"file": bomb})
    assert response.status_code == 200
    assert "文件解压后超过 50 MB" in response.context["form"].errors["file"][0]
    assert 'data-testid="error-file"' in response.content.decode()


def test_a_workbook_of_more_than_twenty_thousand_rows_is_refused_before_parsing(town, as_user, monkeypatch):
    def many_rows(part) -> None:
        part.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
        for n in range(1, 20_003):
            part.write(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>' % (n, n))
        part.write(b"</sheetData></worksheet>")

    _refuse_parsing(monkeypatch)
    response = as_user(town["admin"]).post("/orgs/import/", {"file": _with_sheet(many_rows)})
    assert "文件超过 20000 行" in response.context["form"].errors["file"][0]


def test_names_a_spreadsheet_would_run_as_a_formula_are_refused_with_their_row(town, as_user):
    # (A cell typed with "=" is a formula cell, refused with its cell named: test_import_checks.py.)
    client = as_user(town["admin"])
    rows = [[name, "居民区党组织", "社区党建服务中心党总支", "", "", ""] for name in ("+1党支部", "-党支部", "@党支部")]
    rows.append(["安全党支部", "居民区党组织", "社区党建服务中心党总支", "@cmd", "", ""])
    rows.append(["第二安全党支部", "居民区党组织", "社区党建服务中心党总支", "周卫东", "", ""])
    checked = import_file(client, xlsx(rows)).context["rows"]
    assert [(row.number, row.errors) for row in checked] == [
        (2, ["名称不能以 =、+、-、@ 开头：电子表格会把它当作公式。"]),
        (3, ["名称不能以 =、+、-、@ 开头：电子表格会把它当作公式。"]),
        (4, ["名称不能以 =、+、-、@ 开头：电子表格会把它当作公式。"]),
        (5, ["联系人不能以 =、+、-、@ 开头：电子表格会把它当作公式。"]),
        (6, []),
    ]

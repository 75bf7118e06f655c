"""The shared Excel export helper (projectize.core.exports) streams: memory stays bounded."""

import datetime
import html
import tracemalloc
import zipfile
from decimal import Decimal

from django.utils import timezone
from openpyxl import load_workbook

from projectize.core.exports import write_workbook, xlsx_response


def rows(count):
    for n in range(count):
        yield (n, f"第{n}行 党建项目", Decimal("1234.50"))


def test_an_export_of_100000_rows_streams_in_bounded_memory(tmp_path):
    path = tmp_path / "large.xlsx"
    tracemalloc.start()
    write_workbook(path, [("项目", ["序号", "名称", "金额"], rows(100_000))])
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # An in-memory workbook of these rows needs well over 100 MB; streamed, a few MB.
    assert peak < 16 * 1024 * 1024
    with zipfile.ZipFile(path) as package:
        sheet = package.read("xl/worksheets/sheet1.xml").decode()
    assert '<row r="100001"' in sheet
    # With lxml installed, openpyxl writes non-ASCII text as character references.
    assert "第99999行 党建项目" in html.unescape(sheet)


def test_the_response_is_a_download_with_local_times(tmp_path):
    moment = timezone.make_aware(datetime.datetime(2013, 7, 1, 9, 30))
    response = xlsx_response("list.xlsx", [("清单", ["时间"], [[moment]])])
    assert response["Content-Disposition"] == 'attachment; filename="list.xlsx"'
    path = tmp_path / "list.xlsx"
    path.write_bytes(response.getvalue())
    assert load_workbook(path)["清单"]["A2"].value == datetime.datetime(2013, 7, 1, 9, 30)

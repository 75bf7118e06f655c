"""Build small Excel files for import tests."""

from collections.abc import Sequence
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

HEADER = ["名称", "类型", "上级组织（名称或路径）", "联系人", "联系电话", "地址"]


def xlsx(rows: Sequence[Sequence[object]], name: str = "组织.xlsx") -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for row in rows:
        sheet.append(list(row))
    out = BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/octet-stream")

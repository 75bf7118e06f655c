"""Uploaded Excel files are measured before anything parses them.

An .xlsx is a ZIP of XML parts; a few hundred kilobytes can expand to gigabytes of XML or a million
rows, which would hold a web worker for minutes. The declared uncompressed sizes are summed first
(Python's zipfile never inflates a part past its declared size, so the sum is a true bound), then
the worksheet rows are counted by streaming, stopping at the limit.
"""

import zipfile
from typing import IO
from xml.etree.ElementTree import iterparse  # expat ≥ 2.4 refuses entity-expansion bombs

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ROW_TAG = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}row"


def refuse_oversized_xlsx(file: IO[bytes]) -> None:
    """Raise a ValidationError for the upload field when the workbook would expand past the limits."""
    max_bytes, max_rows = settings.XLSX_MAX_UNCOMPRESSED_BYTES, settings.XLSX_MAX_ROWS
    position = file.tell()
    try:
        with zipfile.ZipFile(file) as archive:
            if sum(part.file_size for part in archive.infolist()) > max_bytes:
                raise ValidationError(
                    _("文件解压后超过 %(mb)d MB，无法导入：请删去多余的工作表、图片和空行，或分批导入。")
                    % {"mb": max_bytes // (1024 * 1024)},
                    code="too_large",
                )
            rows = 0
            for part in archive.namelist():
                if part.startswith("xl/worksheets/") and part.endswith(".xml"):
                    rows += _count_rows(archive, part, max_rows - rows)
                    if rows > max_rows:
                        raise ValidationError(
                            _("文件超过 %(rows)d 行，无法导入：请删去多余的行，或分批导入。") % {"rows": max_rows},
                            code="too_many_rows",
                        )
    except zipfile.BadZipFile:
        raise ValidationError(_("无法读取该文件：请上传用本系统模板填写的 Excel（.xlsx）文件。")) from None
    finally:
        file.seek(position)


def _count_rows(archive: zipfile.ZipFile, part: str, budget: int) -> int:
    """Rows in one worksheet part, counted up to one past `budget` (then counting stops)."""
    rows = 0
    with archive.open(part) as stream:
        for _event, element in iterparse(stream, events=("end",)):
            if element.tag == ROW_TAG:
                rows += 1
                if rows > budget:
                    break
                element.clear()  # keep memory flat however long the sheet is
    return rows

"""Excel exports for any list: rows stream into a write-only workbook on disk, then to the client.

openpyxl's write-only mode writes each row out as it comes, and the finished workbook lives in a
temporary file rather than in memory, so an export of 100,000 rows costs little more memory than
one of 100. Pass rows as a generator over `queryset.iterator()` to keep the database side bounded too.

Every workbook the system hands out is written here, so text typed by anyone (a resident's need, an
organization's name) can never become a live formula in the spreadsheet of the person who opens it.
"""

import datetime
import itertools
import tempfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.http import FileResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.functional import Promise

from projectize.core.jobs import defer_download, report_progress
from projectize.core.middleware import current_request

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# Text beginning with one of these is evaluated by spreadsheets (OWASP's rule on CSV/formula injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def cell_value(value: Any) -> Any:
    """A cell value Excel understands and never evaluates.

    Numbers stay numbers and aware datetimes become local time; text that a spreadsheet would read
    as a formula is prefixed with an apostrophe, so it is written (and shown) as a plain string.
    """
    if value is None or isinstance(value, (int, float, Decimal, datetime.date)):
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            return timezone.localtime(value).replace(tzinfo=None)
        return value
    text = force_str(value) if isinstance(value, Promise) else str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def write_workbook(target: Any, sheets: Iterable[tuple[str, Sequence[Any], Iterable[Sequence[Any]]]]) -> None:
    """Write (title, headers, rows) sheets into `target` (a path or a binary file)."""
    from openpyxl import Workbook  # heavy: imported only when a workbook is written
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title=force_str(title)[:31])
        bold = []
        for header in headers:
            cell = WriteOnlyCell(sheet, value=cell_value(header))
            cell.font = Font(bold=True)
            bold.append(cell)
        sheet.append(bold)
        for number, row in enumerate(rows, start=1):
            if number % 1000 == 0:
                report_progress(items=number)
            sheet.append([cell_value(value) for value in row])
    workbook.save(target)


Sheets = Iterable[tuple[str, Sequence[Any], Iterable[Sequence[Any]]]]


def xlsx_response(filename: str, sheets: Sheets) -> HttpResponseBase:
    """A download of the given sheets. The temporary file is removed when the response is closed.

    An export of more than EXPORT_INLINE_ROWS rows is built by a background job instead: the
    request answers at once with the job's page, where the user follows it and downloads the file.
    """
    request = current_request.get()
    if request is not None:
        sheets, large = _peek(sheets, settings.EXPORT_INLINE_ROWS)
        if large and (deferred := defer_download(request, title=filename)) is not None:
            return deferred
    spool = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    write_workbook(spool, sheets)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)


def _peek(sheets: Sheets, limit: int) -> tuple[list[tuple[str, Sequence[Any], Iterable[Sequence[Any]]]], bool]:
    """The sheets with their first rows read ahead, and whether they hold more than `limit` rows in all."""
    peeked: list[tuple[str, Sequence[Any], Iterable[Sequence[Any]]]] = []
    seen = 0
    for title, headers, rows in sheets:
        iterator = iter(rows)
        head = list(itertools.islice(iterator, limit - seen + 1))
        seen += len(head)
        if seen > limit:
            return [], True
        peeked.append((title, headers, itertools.chain(head, iterator)))
    return peeked, False

"""Excel export of a filtered project list, streamed: a write-only workbook saved row by row."""

import tempfile
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from projectize.core.exports import write_workbook
from projectize.projects.models import Project

CHUNK = 64 * 1024


def projects_workbook(projects: QuerySet[Project]) -> Iterator[bytes]:
    """Yield the bytes of an .xlsx of `projects` (already filtered and ordered).

    Rows are read from the database in chunks, written to a write-only sheet (constant memory),
    and the finished file is streamed out from a temporary file.
    """
    headers = [
        _("项目编号"),
        _("项目名称"),
        _("年度"),
        _("项目类型"),
        _("申报组织"),
        _("状态"),
        _("进度（%）"),
        _("牵头领导"),
        _("责任人"),
        _("申请经费（元）"),
        _("开始日期"),
        _("结束日期"),
        _("规章制度"),
        _("破解难题"),
        _("服务品牌"),
        _("惠及人次"),
    ]
    rows = (
        [
            p.code or "",
            p.title,
            p.year,
            str(p.get_type_display()),
            p.organization.name,
            str(p.get_status_display()),
            p.progress,
            str(p.lead_leader or ""),
            str(p.responsible or ""),
            p.budget_requested,
            p.start_date,
            p.end_date,
            p.rules_established,
            p.problems_solved,
            p.service_brands,
            p.beneficiaries,
        ]
        for p in projects.select_related("organization", "lead_leader", "responsible").iterator(chunk_size=2000)
    )
    with tempfile.TemporaryFile() as buffer:
        write_workbook(buffer, [(_("项目"), headers, rows)])
        buffer.seek(0)
        while chunk := buffer.read(CHUNK):
            yield chunk

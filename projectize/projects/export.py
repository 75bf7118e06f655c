"""Excel export of a filtered project list, streamed: a write-only workbook saved row by row."""

import tempfile
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from projectize.core.exports import write_workbook
from projectize.orgs.models import User
from projectize.projects.models import Project, ProjectStatus, ProjectType

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
    rows = _project_rows(projects)
    with tempfile.TemporaryFile() as buffer:
        write_workbook(buffer, [(_("项目"), headers, rows)])
        buffer.seek(0)
        while chunk := buffer.read(CHUNK):
            yield chunk


PEOPLE = ("last_name", "first_name", "username")
COLUMNS = (
    *("code", "title", "year", "type", "organization__name", "status", "progress"),
    *(f"lead_leader__{field}" for field in PEOPLE),
    *(f"responsible__{field}" for field in PEOPLE),
    *("budget_requested", "start_date", "end_date"),
    *("rules_established", "problems_solved", "service_brands", "beneficiaries"),
)


def _project_rows(projects: QuerySet[Project]) -> Iterator[list[Any]]:
    """The export's rows as plain values, a chunk of rows per query, choice labels translated once
    (a model instance and a get_…_display per row cost most of the time of a 100,000-row export)."""
    types = {value: str(label) for value, label in ProjectType.choices}
    statuses = {value: str(label) for value, label in ProjectStatus.choices}
    for values in projects.values_list(*COLUMNS).iterator(chunk_size=2000):
        code, title, year, kind, organization, status, progress = values[:7]
        leader, responsible, rest = values[7:10], values[10:13], values[13:]
        yield [
            code or "",
            title,
            year,
            types.get(kind, kind),
            organization,
            statuses.get(status, status),
            progress,
            User.name_of(*leader) if leader[2] else "",
            User.name_of(*responsible) if responsible[2] else "",
            *rest,
        ]

"""Excel import of organizations: a template, reading a workbook, and checking every row.

The upload request only measures the file (`check_upload`) and stores it; a background job reads and
checks every row, and the person reads the rows with their errors on the job's result page. Rows are
checked as a whole before anything is written; on confirm a second job checks them again against the
tree as it is then and writes them all in one transaction, or none. Columns are read by position, so
the header language does not matter.
"""

import re
import uuid
from dataclasses import asdict, dataclass, field
from io import BytesIO
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from projectize.core.exports import FORMULA_PREFIXES
from projectize.core.files import validate_upload
from projectize.core.jobs import JobError, handler, job_enqueue, report_progress
from projectize.core.models import Job
from projectize.core.spreadsheets import refuse_oversized_xlsx
from projectize.orgs.models import Organization, OrgKind, User
from projectize.orgs.selectors import PATH_SEPARATOR, administered_organizations, find_by_name_or_path, full_path
from projectize.orgs.services import NewOrganization, organizations_import

COLUMNS = ("name", "kind", "parent", "contact_name", "contact_phone", "address")
# Rows of the template's 类型 drop-down; files are limited by XLSX_MAX_ROWS before they are read.
TEMPLATE_ROWS = 2000
IMPORT_JOB = "orgs.import"
EXCEL_KINDS = frozenset({"ooxml"})


def headers() -> list[str]:
    return [
        _("名称"),
        _("类型"),
        _("上级组织（名称或路径）"),
        _("联系人"),
        _("联系电话"),
        _("地址"),
    ]


def template_workbook() -> bytes:
    """An empty sheet with headers and one example row, plus a sheet listing the kinds."""
    from openpyxl import Workbook  # heavy: imported only when a workbook is made
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("组织")
    sheet.append(headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F3D6D9")
    with translation.override("zh-hans"):
        example_kind = str(OrgKind.RESIDENTIAL.label)
        kinds = [str(label) for _value, label in OrgKind.choices]
    sheet.append(
        [
            "示例居民区党支部",
            example_kind,
            "新桥镇党委/社区党建服务中心党总支",
            "张建华",
            "021-57680000",
            "新桥镇示例路 1 号",
        ]
    )
    for column, width in zip("ABCDEF", (28, 18, 44, 12, 16, 30), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    kind_sheet = book.create_sheet(_("类型"))
    for label in kinds:
        kind_sheet.append([label])
    # The 类型 column offers the kinds as a drop-down and refuses anything else as it is typed.
    choose = DataValidation(
        type="list",
        formula1=f"{quote_sheetname(kind_sheet.title)}!$A$1:$A${len(kinds)}",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("类型"),
        error=_("请从下拉列表中选择类型。"),
    )
    sheet.add_data_validation(choose)
    choose.add(f"B2:B{TEMPLATE_ROWS + 1}")
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def check_upload(upload: UploadedFile) -> None:
    """In the upload request: refuse a file that is not Excel or would expand too far (ValidationError)."""
    validate_upload(upload, EXCEL_KINDS)
    refuse_oversized_xlsx(upload)


def read_workbook(upload: IO[bytes]) -> list[dict[str, str]]:
    """The data rows of the first sheet as text, or a ValidationError. A formula cell is read as its
    formula, not a value (a workbook saved by other software may hold no computed value): the row's
    "formulas" lists such cells, as "B5" would be named to the person, by column."""
    try:
        from openpyxl import load_workbook  # heavy: imported only when a workbook is read
        from openpyxl.utils import get_column_letter

        book = load_workbook(upload, read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds of errors for a broken or foreign ZIP
        raise ValidationError(_("无法读取该文件：请上传用本系统模板填写的 Excel（.xlsx）文件。")) from None
    try:
        sheet = book.worksheets[0]
        rows: list[dict[str, str]] = []
        for number, values in enumerate(sheet.iter_rows(min_row=2, max_col=len(COLUMNS), values_only=True), start=2):
            texts = [_text(value) for value in values] + [""] * (len(COLUMNS) - len(values))
            if not any(texts):
                continue
            report_progress(items=number - 1)
            formulas = [
                f"{column}={get_column_letter(index + 1)}{number}"
                for index, (column, text) in enumerate(zip(COLUMNS, texts, strict=True))
                if text.startswith("=")
            ]
            row = dict(zip(COLUMNS, texts, strict=True)) | {"row": str(number), "formulas": ",".join(formulas)}
            rows.append(row)
    finally:
        book.close()
    if not rows:
        raise ValidationError(_("文件中没有数据行：请从第 2 行起每行填写一个组织。"))
    return rows


@dataclass
class CheckedRow:
    number: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    parent_path: str = ""


def _kind_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            lookup.update({str(label).lower(): value for value, label in OrgKind.choices})
    lookup.update({value: value for value in OrgKind.values})
    return lookup


FULL_WIDTH_DIGITS = frozenset("０１２３４５６７８９")
MOBILE = re.compile(r"^1[3-9]\d{9}$")
# A landline with or without its area code (021-57680000, 57680000), and an extension (转 123, -123).
LANDLINE = re.compile(r"^(0\d{2,3}[- ]?)?[2-9]\d{6,7}((-|转)\d{1,6})?$")
SERVICE_LINE = re.compile(r"^[48]00-?\d{3}-?\d{4}$")


def phone_problem(phone: str) -> str | None:
    """Why a contact phone is not one, or None: a mobile, a landline or a 400/800 line."""
    if any(char in FULL_WIDTH_DIGITS for char in phone):
        return _("联系电话“%(phone)s”含全角数字，请使用半角数字。") % {"phone": phone}
    compact = phone.replace(" ", "")
    if MOBILE.match(compact) or LANDLINE.match(compact) or SERVICE_LINE.match(compact):
        return None
    return _("联系电话“%(phone)s”不是手机号码或固定电话，例如 13812345678、021-57680000。") % {"phone": phone}


def check_rows(actor: User, raw_rows: list[dict[str, str]]) -> tuple[list[CheckedRow], list[NewOrganization]]:
    """Check every row; the organizations to create are returned only when no row has an error."""
    kinds = _kind_lookup()
    scope = administered_organizations(actor).filter(is_active=True)
    checked: list[CheckedRow] = []
    planned: list[NewOrganization] = []
    planned_paths: list[str] = []
    # Organizations the file itself creates, by plain name and by full path, so a row may hang
    # under an earlier row.
    earlier_by_name: dict[str, list[int]] = {}
    # By every path that ends at the row: from the root, or from any organization above it (a path may
    # start at the town committee, under its district).
    earlier_by_path: dict[str, list[int]] = {}
    resolved: dict[str, list[Organization]] = {}
    # Every row by where it would go (parent, name), wrong rows too: a repeated row is named whatever
    # else is wrong with either of them.
    seen: dict[tuple[str, str], int] = {}
    for index, raw in enumerate(raw_rows):
        report_progress(percent=100 * index // len(raw_rows))
        values = {column: raw.get(column, "") for column in COLUMNS}
        row = CheckedRow(number=int(raw.get("row", 0)), values=values)
        checked.append(row)
        # A formula is named by its cell; its column is then not checked further.
        formulas = dict(formula.split("=") for formula in raw.get("formulas", "").split(",") if formula)
        for column, cell in formulas.items():
            row.errors.append(
                _("单元格 %(cell)s 是公式“%(formula)s”，请改为直接填写内容（可复制后“选择性粘贴”为数值）。")
                % {"cell": cell, "formula": values[column]}
            )
            values[column] = ""
        name, parent_text = values["name"], values["parent"]
        if name and (repeated := seen.get((parent_text.strip().strip(PATH_SEPARATOR), name))):
            row.errors.append(
                _("与第 %(row)s 行重复：同一上级下已有名为“%(name)s”的组织。") % {"row": repeated, "name": name}
            )
        elif name:
            seen[(parent_text.strip().strip(PATH_SEPARATOR), name)] = row.number
        if not name and "name" not in formulas:
            row.errors.append(_("请填写名称。"))
        elif len(name) > 200:
            row.errors.append(_("名称不能超过 200 个字。"))
        elif PATH_SEPARATOR in name:
            row.errors.append(_("名称中不能含有“/”。"))
        elif name.startswith(FORMULA_PREFIXES):
            row.errors.append(_("名称不能以 =、+、-、@ 开头：电子表格会把它当作公式。"))
        kind = kinds.get(values["kind"].lower())
        if not values["kind"] and "kind" not in formulas:
            row.errors.append(_("请填写类型。"))
        elif values["kind"] and kind is None:
            row.errors.append(_("类型“%(kind)s”无效，请使用模板“类型”表中的名称。") % {"kind": values["kind"]})
        if len(values["contact_name"]) > 50:
            row.errors.append(_("联系人不能超过 50 个字。"))
        elif values["contact_name"].startswith(FORMULA_PREFIXES):
            row.errors.append(_("联系人不能以 =、+、-、@ 开头：电子表格会把它当作公式。"))
        if values["contact_phone"] and (problem := phone_problem(values["contact_phone"])):
            row.errors.append(problem)
        if len(values["address"]) > 200:
            row.errors.append(_("地址不能超过 200 个字。"))

        parent: Organization | None = None
        parent_row: int | None = None
        key = parent_text.strip().strip(PATH_SEPARATOR)
        if not key:
            if "parent" not in formulas:
                row.errors.append(_("请填写上级组织的名称或完整路径。"))
        else:
            if key not in resolved:
                resolved[key] = find_by_name_or_path(key, scope)
            existing = resolved[key]
            in_file = earlier_by_name.get(key, []) + earlier_by_path.get(key, [])
            found = len(existing) + len(set(in_file))
            if found == 0:
                row.errors.append(
                    _("找不到上级组织“%(parent)s”，或它不在您的管理范围内（已归档的组织也不能作为上级）。")
                    % {"parent": key}
                )
            elif found > 1:
                row.errors.append(
                    _("有多个组织叫“%(parent)s”，请写完整路径，例如“新桥镇党委/某党总支/%(parent)s”。")
                    % {"parent": key}
                )
            elif existing:
                parent = existing[0]
                row.parent_path = full_path(parent)
            else:
                parent_row = in_file[0]
                row.parent_path = planned_paths[parent_row]
        if name and row.parent_path:
            duplicate_in_db = (
                parent is not None and Organization.objects.get_children(parent).filter(name=name).exists()
            )
            if duplicate_in_db:
                row.errors.append(
                    _("“%(parent)s”下已有名为“%(name)s”的组织。") % {"parent": row.parent_path, "name": name}
                )
        if not row.errors:
            index = len(planned)
            planned.append(
                NewOrganization(
                    name=name,
                    kind=kind or "",
                    parent=parent,
                    parent_row=parent_row,
                    contact_name=values["contact_name"],
                    contact_phone=values["contact_phone"],
                    address=values["address"],
                )
            )
            planned_paths.append(f"{row.parent_path}{PATH_SEPARATOR}{name}")
            earlier_by_name.setdefault(name, []).append(index)
            parts = planned_paths[index].split(PATH_SEPARATOR)
            for start in range(len(parts) - 1):
                earlier_by_path.setdefault(PATH_SEPARATOR.join(parts[start:]), []).append(index)
    if any(row.errors for row in checked):
        return checked, []
    return checked, planned


# The import as background jobs -------------------------------------------------------------------


def import_start(*, actor: User, upload: UploadedFile) -> Job:
    """Store an upload that passed `check_upload` and queue the job that reads and checks its rows."""
    stored = default_storage.save(f"jobs/imports/{uuid.uuid4().hex}.xlsx", upload)
    return job_enqueue(
        kind=IMPORT_JOB,
        title=_("导入组织：%(name)s") % {"name": upload.name},
        owner=actor,
        params={"file": stored, "name": upload.name},
    )


def import_confirm(*, actor: User, job: Job) -> Job:
    """Queue the job that checks the previewed rows again and writes them all, or none."""
    return job_enqueue(
        kind=IMPORT_JOB,
        title=_("写入组织：%(name)s") % {"name": job.params["name"]},
        owner=actor,
        params={"rows": job.params["rows"], "name": job.params["name"], "write": True},
    )


def checked_rows(job: Job) -> list[CheckedRow]:
    """The rows of a finished import job with their errors, as the job checked them."""
    return [CheckedRow(**row) for row in job.params["checked"]]


@handler(IMPORT_JOB)
def _run_import(job: Job) -> None:
    actor = job.owner
    if actor is None or not actor.has_perm("orgs.manage_organizations"):
        raise JobError(_("只有镇党委管理员可以导入组织。"))
    params = dict(job.params)
    if "file" in params:
        stored = params.pop("file")
        try:
            with default_storage.open(stored, "rb") as upload:
                params["rows"] = read_workbook(upload)
        except ValidationError as error:
            raise JobError(" ".join(error.messages)) from None
        finally:
            default_storage.delete(stored)
    with transaction.atomic():
        checked, planned = check_rows(actor, params["rows"])
        params["checked"] = [asdict(row) for row in checked]
        if params.get("write") and planned:
            params["created"] = len(organizations_import(actor=actor, rows=planned))
        params["done_url"] = reverse("orgs:import_preview", args=[job.pk])
        Job.objects.filter(pk=job.pk).update(params=params)
    job.params = params

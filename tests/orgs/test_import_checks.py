"""The import template offers the kinds as a drop-down (plain 党委, 党总支, 党支部 among them); the
import names formula cells, phones that are neither mobile nor landline, full-width digits, and a
repeated row even when other cells of either row are wrong."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from projectize.orgs.models import Organization
from tests.orgs.excel import confirm_import, import_file, xlsx

pytestmark = pytest.mark.django_db


def errors_of(client, rows):
    preview = import_file(client, xlsx(rows))
    return {row.number: row.errors for row in preview.context["rows"]}, preview


def test_the_template_offers_the_kinds_as_a_drop_down(town, as_user):
    response = as_user(town["admin"]).get("/orgs/import/template/")
    book = load_workbook(BytesIO(response.content))
    kinds = [row[0] for row in book.worksheets[1].iter_rows(values_only=True)]
    assert {"党委", "党总支", "党支部"} <= set(kinds)
    (validation,) = book.worksheets[0].data_validations.dataValidation
    assert validation.type == "list" and "B2" in str(validation.sqref)
    assert validation.formula1 == f"'类型'!$A$1:$A${len(kinds)}"


def test_plain_party_kinds_are_imported(town, as_user):
    client = as_user(town["admin"])
    rows = [
        ["新桥示例企业党委", "党委", "新桥镇党委", "", "", ""],
        ["新桥示例第一党支部", "党支部", "新桥示例企业党委", "", "021-57681234", ""],
    ]
    errors, preview = errors_of(client, rows)
    assert errors == {2: [], 3: []}
    confirm_import(client, preview)
    assert Organization.objects.get(name="新桥示例企业党委").kind == "party_committee"
    assert Organization.objects.get(name="新桥示例第一党支部").kind == "branch"


def test_formulas_bad_phones_and_full_width_digits_are_named(town, as_user):
    client = as_user(town["admin"])
    rows = [
        ["公式党支部", "=类型!A3", "新桥镇党委", "", "", ""],
        ["短号党支部", "党支部", "新桥镇党委", "", "12345", ""],
        ["全角党支部", "党支部", "新桥镇党委", "", "１３８１２３４５６７８", ""],
        ["座机党支部", "党支部", "新桥镇党委", "", "021-57680000转123", ""],
        ["手机党支部", "党支部", "新桥镇党委", "", 13912345678, ""],
    ]
    errors, preview = errors_of(client, rows)
    assert errors[2] == ["单元格 B2 是公式“=类型!A3”，请改为直接填写内容（可复制后“选择性粘贴”为数值）。"]
    assert errors[3] == ["联系电话“12345”不是手机号码或固定电话，例如 13812345678、021-57680000。"]
    assert errors[4] == ["联系电话“１３８１２３４５６７８”含全角数字，请使用半角数字。"]
    assert errors[5] == [] and errors[6] == []
    assert "单元格 B2 是公式" in preview.content.decode()
    assert Organization.objects.filter(name__endswith="党支部").count() == 0


def test_a_repeated_row_is_named_even_when_its_other_cells_are_wrong(town, as_user):
    client = as_user(town["admin"])
    rows = [
        ["重复党支部", "不存在的类型", "新桥镇党委", "", "12345", ""],
        ["重复党支部", "党支部", "新桥镇党委", "", "１２３", ""],
        ["春申居民区党总支", "错的类型", "社区党建服务中心党总支", "", "", ""],
    ]
    errors, _preview = errors_of(client, rows)
    assert any("与第 2 行重复" in e for e in errors[3])
    assert any("下已有名为“春申居民区党总支”的组织" in e for e in errors[4])

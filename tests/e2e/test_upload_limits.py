"""A town admin uploads an Excel file that would unpack to more than 50 MB: it is refused, before it is
parsed, with the reason beside the file field, in Chinese and in English, on a phone and a laptop."""

import pytest
from playwright.sync_api import expect

from projectize.orgs.models import Role
from tests.factories import make_root, user_with_role
from tests.orgs.test_import_limits import _with_sheet

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _sixty_megabytes(part) -> None:
    part.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
    padding = b"<!--" + b" " * (1024 * 1024 - 7) + b"-->"
    for _ in range(60):
        part.write(padding)
    part.write(b"</sheetData></worksheet>")


@pytest.mark.parametrize(
    ("language", "label", "button", "message"),
    [
        ("zh-hans", "Excel 文件", "上传并预览", "文件解压后超过 50 MB，无法导入"),
        ("en", "Excel file", "Upload and preview", "Unpacked, the file exceeds 50 MB and cannot be imported"),
    ],
)
def test_an_oversized_workbook_is_refused_beside_the_file_field(
    page, live_server, login, screenshot, language, label, button, message
):
    user_with_role(Role.TOWN_ADMIN, make_root(), username="townadmin")
    bomb = _with_sheet(_sixty_megabytes).getvalue()
    login("townadmin")
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/orgs/import/")
        page.get_by_label(label).set_input_files(files=[{"name": "组织.xlsx", "mimeType": XLSX, "buffer": bomb}])
        page.get_by_role("button", name=button).click()
        expect(page.get_by_test_id("error-file")).to_contain_text(message)
        screenshot(f"import-too-large-{language}-{width}")

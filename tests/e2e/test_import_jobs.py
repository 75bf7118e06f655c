"""A town admin imports organizations from Excel and follows the background job: the upload answers
with the job's page, the worker reads the file, the page offers the result, the preview shows each row,
and confirming writes them through a second job; in Chinese and English, on a phone and a laptop."""

import pytest
from playwright.sync_api import expect

from projectize.core.jobs import jobs_run_pending
from projectize.orgs.models import Organization, Role
from tests.factories import make_root, user_with_role
from tests.orgs.excel import xlsx

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WORDS = {
    "zh-hans": ("Excel 文件", "上传并预览", "排队中", "查看结果", "确认导入 2 个组织", "已导入 2 个组织"),
    "en": ("Excel file", "Upload and preview", "Queued", "See the result", "Import 2 organizations", "Imported 2"),
}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("width", [390, 1366])
def test_an_import_is_read_and_written_by_the_worker(page, live_server, login, screenshot, language, width):
    label, upload, queued, result, confirm, done = WORDS[language]
    make_root()
    user_with_role(Role.TOWN_ADMIN, Organization.objects.get(), username="townadmin")
    login("townadmin")
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.set_viewport_size({"width": width, "height": 900})
    rows = [
        ["第一居民区党总支", "居民区党组织", "新桥镇党委", "", "", ""],
        ["第一党支部", "党支部", "第一居民区党总支"],
    ]
    upload_file = xlsx(rows)

    page.goto(f"{live_server.url}/orgs/import/")
    page.get_by_label(label).set_input_files(
        files=[{"name": upload_file.name, "mimeType": "application/octet-stream", "buffer": upload_file.read()}]
    )
    page.get_by_role("button", name=upload).click()
    expect(page.get_by_test_id("job-status")).to_have_text(queued)
    screenshot(f"import-job-queued-{language}-{width}")
    jobs_run_pending()
    page.get_by_role("link", name=result).click()  # the page polls and offers the result
    page.get_by_role("button", name=confirm).click()
    jobs_run_pending()
    page.get_by_role("link", name=result).click()
    expect(page.get_by_test_id("import-done")).to_contain_text(done)
    screenshot(f"import-job-done-{language}-{width}")
    assert Organization.objects.filter(name__in=["第一居民区党总支", "第一党支部"]).count() == 2

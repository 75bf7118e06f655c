"""A long document is built in the background: the page follows its progress, the user may leave, and
the finished file waits behind a download button and a notification."""

import pytest
from playwright.sync_api import expect

from projectize.core.jobs import jobs_run_pending
from projectize.core.models import Job, JobStatus
from projectize.orgs.models import Role
from tests.factories import make_org, make_root, user_with_role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_annual_report_is_followed_on_its_job_page_and_downloaded(page, live_server, login, screenshot):
    root = make_root()
    make_org(root, "新桥居民区党总支")
    user_with_role(Role.TOWN_ADMIN, root, username="admin")
    login("admin")
    page.goto(f"{live_server.url}/reports/")
    page.get_by_role("region", name="年度党建项目化工作报告").get_by_role("button", name="生成 PDF").click()

    # The request only queued the work: the job page says so and polls for progress.
    expect(page.get_by_role("heading", name="年度工作报告 PDF")).to_be_visible()
    expect(page.get_by_test_id("job-status")).to_have_text("排队中")
    expect(page.get_by_text("您可以离开本页")).to_be_visible()
    assert Job.objects.get().status == JobStatus.QUEUED
    screenshot("job-queued-zh-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("job-queued-zh-390")
    page.set_viewport_size({"width": 1280, "height": 900})

    jobs_run_pending()  # the worker

    download = page.get_by_role("link", name="下载 annual-report")
    expect(download).to_be_visible(timeout=10_000)
    expect(page.get_by_test_id("job-status")).to_have_text("已完成")
    screenshot("job-done-zh-1366")
    response = page.request.get(live_server.url + (download.get_attribute("href") or ""))
    assert response.headers["content-type"] == "application/pdf" and response.body().startswith(b"%PDF-")

    # The notification (seen on the next page) leads back to the file.
    page.goto(f"{live_server.url}/")
    expect(page.get_by_test_id("unread-count")).to_have_text("1")
    page.goto(f"{live_server.url}/notifications/")
    page.get_by_role("button", name="文件已生成：年度工作报告 PDF").click()
    expect(page.get_by_role("link", name="下载 annual-report")).to_be_visible()

    page.get_by_test_id("lang-switch").click()
    expect(page.get_by_test_id("job-status")).to_have_text("Done")
    screenshot("job-done-en-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("job-done-en-390")

"""The supervision path in a real browser: an inspection with findings → a feedback letter, its PDF
checked with pdftotext → the organization acknowledges and answers → staff verify and the letter closes."""

import shutil
import subprocess

import pytest
from playwright.sync_api import expect

from projectize.supervision.models import Activity, ItemStatus, Letter, LetterStatus
from tests.jobs import browser_download
from tests.supervision.factories import world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_inspection_to_closed_letter(page, live_server, login, screenshot, tmp_path):
    w = world()
    url = live_server.url
    login("admin")

    # 1. A tracking inspection, with a finding about the project.
    page.goto(f"{url}/supervision/activities/new/")
    page.get_by_label("形式").select_option(label="跟踪式检查")
    page.get_by_label("主题").fill("二季度项目跟踪式检查")
    page.get_by_label("日期").fill("2026-05-06")
    page.get_by_label("地点").fill("春申居民区")
    page.get_by_label("现场照片").set_input_files(files=[{"name": "现场.png", "mimeType": "image/png", "buffer": PNG}])
    page.get_by_role("button", name="提交").click()
    page.locator("#id_project").select_option(label=str(w.project))
    page.get_by_label("发现的情况和问题").fill("楼组议事会记录不全，议事结果未公示。")
    page.get_by_role("button", name="保存发现").click()
    assert page.get_by_test_id("findings").inner_text().count("楼组议事会记录不全") == 1
    screenshot("supervision-activity")
    assert Activity.objects.get().findings.get().project == w.project

    # 2. From the finding, a letter with two items; sent, it gets its number, and its PDF reads right.
    page.get_by_role("link", name="据此发反馈函").click()
    assert "楼组议事会记录不全" in page.get_by_label("正文").input_value()
    page.get_by_label("文号前缀").fill("新桥督函")
    page.get_by_role("button", name="提交").click()
    for problem, requirement in (("议事记录不全", "补齐全年议事记录"), ("议事结果未公示", "在公示栏公示议事结果")):
        page.get_by_label("存在问题").fill(problem)
        page.get_by_label("整改要求").fill(requirement)
        page.get_by_label("整改期限").fill("2099-06-30")
        page.get_by_role("button", name="添加").click()
    page.locator("summary", has_text="发出函件").click()
    expect(page.get_by_test_id("confirm-send")).to_contain_text("不能再修改")
    page.get_by_role("button", name="确认发出函件").click()
    letter = Letter.objects.get()
    assert letter.status == LetterStatus.SENT and letter.serial == 1
    assert page.get_by_test_id("letter-number").inner_text() == letter.number
    response = browser_download(page, f"{url}/supervision/letters/{letter.pk}/pdf/")
    assert response.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(response.body())
    text = subprocess.run(
        [shutil.which("pdftotext") or "pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout.replace(" ", "")
    for expected in (letter.number, letter.title, "春申居民区党总支", "议事结果未公示", "在公示栏公示议事结果"):
        assert expected in text
    screenshot("supervision-letter-sent")

    # 3. The organization acknowledges, then answers each item with evidence.
    page.context.clear_cookies()
    login("sec")
    page.goto(f"{url}{letter.get_absolute_url()}")
    page.get_by_role("button", name="签收").click()
    for number, answer in ((1, "补齐了 12 次议事记录"), (2, "已在公示栏公示并拍照留存")):
        page.get_by_test_id(f"item-{number}").get_by_role("link", name="回复整改情况").click()
        page.get_by_label("整改措施及成效").fill(answer)
        page.get_by_label("佐证材料").set_input_files(
            files=[{"name": f"整改照片{number}.png", "mimeType": "image/png", "buffer": PNG}]
        )
        page.get_by_role("button", name="提交").click()
    assert set(letter.items.values_list("status", flat=True)) == {ItemStatus.ANSWERED}
    screenshot("supervision-letter-answered")

    # 4. Staff return one item, then accept both: the letter closes.
    page.context.clear_cookies()
    login("admin")
    page.goto(f"{url}{letter.get_absolute_url()}")
    second = page.get_by_test_id("item-2")
    second.locator("summary", has_text="退回重改").click()
    second.locator("textarea[name=note]").fill("公示照片看不清")
    second.get_by_role("button", name="确认退回重改").click()
    assert letter.items.get(number=2).status == ItemStatus.RETURNED
    accept_item(page, 1)

    page.context.clear_cookies()
    login("resp")
    page.goto(f"{url}{letter.get_absolute_url()}")
    page.get_by_test_id("item-2").get_by_role("link", name="回复整改情况").click()
    page.get_by_label("整改措施及成效").fill("重新拍摄清晰照片并补充公示")
    page.get_by_role("button", name="提交").click()

    page.context.clear_cookies()
    login("admin")
    page.goto(f"{url}{letter.get_absolute_url()}")
    accept_item(page, 2)
    letter.refresh_from_db()
    assert letter.status == LetterStatus.CLOSED
    assert "已办结" in page.locator("h1 + div").inner_text()
    screenshot("supervision-letter-closed")


def accept_item(page, number: int) -> None:
    item = page.get_by_test_id(f"item-{number}")
    item.locator("summary", has_text="核查通过").click()
    item.get_by_role("button", name="确认核查通过").click()

import shutil
import subprocess
from pathlib import Path

import pytest

from projectize.supervision.services import letter_send
from projectize.supervision.views import letter_pdf_bytes
from tests.factories import PASSWORD
from tests.jobs import run_and_download
from tests.supervision.factories import draft_letter, world

pytestmark = pytest.mark.django_db
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(data)
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "poppler-utils (pdftotext) is needed: run `make system-deps`"
    return subprocess.run([pdftotext, "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout


def test_the_letter_pdf_is_an_a4_official_letter_in_chinese(tmp_path):
    w = world()
    letter = letter_send(letter=draft_letter(w, items=2), actor=w.admin)
    issued = letter.issued_on
    assert issued is not None
    data = letter_pdf_bytes(letter)
    text = pdf_text(data, tmp_path)
    info = subprocess.run(
        [shutil.which("pdfinfo") or "pdfinfo", str(tmp_path / "letter.pdf")], capture_output=True, check=True, text=True
    ).stdout
    assert "(A4)" in info
    for expected in (
        "新桥镇党委",
        letter.number,
        "关于“楼组微议事”项目督查情况的反馈函",
        "春申居民区党总支",
        "问题1：议事记录不全",
        "要求2：补齐记录并公示",
        f"{issued.year}年{issued.month}月{issued.day}日",
    ):
        assert expected in text.replace(" ", ""), expected
    # The issuing organization and date close the letter, after the items.
    assert text.rindex("新桥镇党委") > text.index("要求2")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "supervision-letter.pdf").write_bytes(data)


def test_another_organization_cannot_fetch_the_pdf(client):
    w = world()
    letter = letter_send(letter=draft_letter(w), actor=w.admin)
    client.login(username="othersec", password=PASSWORD)
    assert client.get(f"/supervision/letters/{letter.pk}/pdf/").status_code == 404
    client.login(username="sec", password=PASSWORD)
    response = run_and_download(client, client.get(f"/supervision/letters/{letter.pk}/pdf/"))
    assert response["Content-Type"] == "application/pdf"

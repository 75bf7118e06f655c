"""Printed documents follow Chinese typesetting: quotation marks nest “‘’”, and official letters are set in
a serif (Song) face under their red header."""

import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from projectize.core.typography import cjk_quotes
from projectize.funds import services as funds
from projectize.funds.models import FundKind
from projectize.projects.models import Project
from projectize.showcase.documents import certificate_pdf
from projectize.showcase.models import Award, AwardLevelKind
from projectize.supervision.models import Letter
from projectize.supervision.services import letter_send
from projectize.supervision.views import letter_pdf_bytes
from tests.showcase.test_awards import (
    judged,  # noqa: F401 (a fixture)
    step,
)
from tests.supervision.factories import draft_letter, world


def run(tool: str, path: Path) -> str:
    found = shutil.which(tool)
    assert found, f"{tool} (poppler-utils) is needed: run `make system-deps`"
    return subprocess.run(
        [found, str(path)] + (["-"] if tool == "pdftotext" else []), capture_output=True, check=True, text=True
    ).stdout


@pytest.mark.parametrize(
    ("typed", "depth", "printed"),
    [
        ("华亭“四点半课堂”", 0, "华亭“四点半课堂”"),
        ("关于“华亭“四点半课堂””项目", 0, "关于“华亭‘四点半课堂’”项目"),
        ('"四点半课堂"签到', 0, "“四点半课堂”签到"),
        ("华亭“四点半课堂”", 1, "华亭‘四点半课堂’"),
        ("不含引号", 1, "不含引号"),
        ("the unit’s plan", 0, "the unit’s plan"),
    ],
)
def test_quotation_marks_nest_as_chinese_documents_nest_them(typed, depth, printed):
    assert cjk_quotes(typed, depth) == printed


@pytest.mark.django_db
def test_a_feedback_letter_is_set_in_a_serif_face_with_nested_quotes(tmp_path):
    w = world()
    letter = draft_letter(w, items=1)
    Letter.objects.filter(pk=letter.pk).update(
        title="关于“华亭“四点半课堂””项目督查情况的反馈函", body='经检查，"四点半课堂"的签到记录不全。'
    )
    letter = letter_send(letter=Letter.objects.get(pk=letter.pk), actor=w.admin)
    path = tmp_path / "letter.pdf"
    path.write_bytes(letter_pdf_bytes(letter))
    text = "".join(run("pdftotext", path).split())
    assert "关于“华亭‘四点半课堂’”项目督查情况的反馈函" in text
    assert "经检查，“四点半课堂”的签到记录不全。" in text
    fonts = run("pdffonts", path)
    assert "Noto-Serif-CJK-SC" in fonts and "Sans" not in fonts, fonts


@pytest.mark.django_db
def test_a_certificate_quotes_a_quoted_project_title_inside_its_own_quotes(judged, tmp_path):  # noqa: F811
    world, showcase, _nominations = judged
    funds.budget_create(
        organization=world.committee, year=2013, kind=FundKind.REWARD, amount=Decimal("20000"), actor=world.admin
    )
    step(showcase, "rank", world.admin)
    step(showcase, "award", world.admin)
    award = Award.objects.get(level=AwardLevelKind.FIRST)
    Project.objects.filter(pk=award.nomination.project_id).update(title="华亭“四点半课堂”")
    award = Award.objects.get(pk=award.pk)
    path = tmp_path / "certificate.pdf"
    path.write_bytes(certificate_pdf(award))
    assert "你单位“华亭‘四点半课堂’”项目" in "".join(run("pdftotext", path).split())

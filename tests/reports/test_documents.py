"""The annual report and the secretary's dossier: generated, readable, Chinese glyphs intact, scoped."""

import datetime
import subprocess
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from projectize.funds import services as funds
from projectize.funds.models import FundKind
from projectize.orgs.models import Organization, Role
from projectize.projects.models import Call, Project, ProjectStatus, ProjectType
from projectize.supervision.models import ItemStatus, Letter, LetterItem, LetterStatus
from tests.factories import make_org, make_root, user_with_role
from tests.jobs import content, run_and_download

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "document.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout
    return "".join(text.split())


@pytest.fixture
def town():
    root = make_root()
    branch = make_org(root, "社区党建服务中心党总支")
    org = make_org(branch, "新桥居民区党总支")
    admin = user_with_role(Role.TOWN_ADMIN, root, username="admin")
    secretary = user_with_role(Role.SECRETARY, org, username="sec01", last_name="王", first_name="建华")
    org.secretary = secretary
    org.save()
    call = Call.objects.create(organization=root, year=2012, title="2012 年度三型党建项目申报")
    parking = Project.objects.create(
        call=call,
        organization=org,
        year=2012,
        type=ProjectType.INNOVATION,
        code="2012-CX-001",
        title="楼组议事破解停车难",
        status=ProjectStatus.CONCLUDED,
        progress=100,
        rules_established=2,
        problems_solved=5,
        service_brands=1,
        beneficiaries=3200,
    )
    Project.objects.create(
        call=call,
        organization=make_org(root, "新庄村党总支"),
        year=2012,
        type=ProjectType.DEMONSTRATION,
        title="一村一品",
        status=ProjectStatus.IN_PROGRESS,
        progress=40,
    )
    letter = Letter.objects.create(
        issuer=root,
        organization=org,
        project=parking,
        prefix="新桥督函",
        year=2012,
        serial=3,
        title="关于停车项目进度的反馈函",
        body="督查发现进度滞后。",
        status=LetterStatus.CLOSED,
        issued_on=datetime.date(2012, 9, 1),
        created_by=admin,
    )
    LetterItem.objects.create(
        letter=letter,
        number=1,
        problem="台账不全",
        requirement="补齐议事记录",
        deadline=datetime.date(2012, 9, 30),
        status=ItemStatus.ACCEPTED,
        action_taken="已补齐十二次议事记录",
    )
    funds.budget_create(organization=root, year=2012, kind=FundKind.REWARD, amount=Decimal("30000"), actor=admin)
    funds.reward_award_create(year=2012, amount=Decimal("5000"), reason="七一展评一等奖", actor=admin, project=parking)
    return root, org, admin, secretary


def test_the_annual_report_pdf_carries_the_figures_in_chinese(client, town, tmp_path):
    root, _org, admin, _secretary = town
    client.force_login(admin)
    response = run_and_download(client, client.get("/reports/annual.pdf", {"year": 2012, "org": root.pk}))
    assert response["Content-Type"] == "application/pdf"
    data = content(response)
    text = pdf_text(data, tmp_path)
    assert "新桥镇党委2012年度党建项目化工作报告" in text
    assert "累计建立规章制度2项，破解社区难题5个，形成服务品牌1个，惠及群众3200人次" in text
    assert "项目类型" in text and "创新探索型" in text and "典型示范型" in text
    # One page as an image, to look at the glyphs (test-artifacts/annual-report-1.png).
    (tmp_path / "report.pdf").write_bytes(data)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            str(tmp_path / "report.pdf"),
            "test-artifacts/annual-report",
        ],
        check=True,
    )


def test_the_annual_report_workbook_has_the_same_figures(client, town):
    root, _org, admin, _secretary = town
    client.force_login(admin)
    response = client.get("/reports/annual.xlsx", {"year": 2012, "org": root.pk})
    workbook = load_workbook(BytesIO(response.content))
    outcomes = list(workbook["累计成效"].iter_rows(values_only=True))
    assert outcomes == [("指标", "数量"), ("规章制度", 2), ("破解难题", 5), ("服务品牌", 1), ("惠及人次", 3200)]
    calls = list(workbook["年度申报"].iter_rows(values_only=True))
    assert calls[1] == (2012, 2, 2, 1, 1, 0)


def test_the_dossier_gathers_projects_letters_funds_outcomes_and_warnings(client, town, tmp_path):
    _root, org, _admin, secretary = town
    client.force_login(secretary)
    response = run_and_download(client, client.get(f"/reports/dossier/{org.pk}/2012.pdf"))
    text = pdf_text(content(response), tmp_path)
    assert "2012年度党组织书记述职评议材料" in text
    assert "新桥居民区党总支" in text and "王建华" in text
    assert "2012-CX-001" in text and "楼组议事破解停车难" in text
    assert "新桥督函〔2012〕3号" in text and "已补齐十二次议事记录" in text
    assert "专项奖励经费" in text and "七一展评一等奖" in text
    assert "本年度没有预警" in text
    # The neighbouring village's project is not this secretary's.
    assert "一村一品" not in text


def test_a_dossier_of_an_organization_the_user_may_not_see_is_refused(client, town):
    _root, _org, _admin, secretary = town
    other = Organization.objects.get(name="新庄村党总支")
    client.force_login(secretary)
    assert client.get(f"/reports/dossier/{other.pk}/2012.pdf").status_code == 404
    assert client.get("/reports/annual.pdf", {"year": 2012}).status_code == 403

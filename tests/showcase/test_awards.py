import subprocess
from decimal import Decimal

import pytest

from projectize.core.workflow import TransitionError
from projectize.funds import services as funds
from projectize.funds.models import Allocation, FundKind
from projectize.orgs.models import Role
from projectize.showcase import services
from projectize.showcase.documents import certificate_pdf
from projectize.showcase.models import Award, AwardLevelKind, ShowcaseStatus
from projectize.showcase.verification import voter_key
from projectize.showcase.workflows import SHOWCASE
from tests.factories import user_with_role
from tests.showcase.factories import jury_scores, make_showcase, make_world

pytestmark = pytest.mark.django_db


def step(showcase, name, actor):
    SHOWCASE.apply(showcase, name, actor=actor)
    showcase.refresh_from_db()


@pytest.fixture
def judged():
    """Four nominations scored by two jurors; the last one is the jury's favourite."""
    world = make_world(4)
    showcase = make_showcase(world.admin, world.committee, jury=world.jurors)
    step(showcase, "open_nominations", world.admin)
    nominations = [
        services.nomination_create(
            actor=world.secretaries[n], showcase=showcase, project=world.projects[n], summary="简介", highlights="亮点"
        )
        for n in range(4)
    ]
    step(showcase, "start_judging", world.admin)
    for nomination, (a, b) in zip(nominations, [(30, 30), (35, 30), (20, 20), (40, 40)], strict=True):
        for juror in world.jurors:
            jury_scores(nomination, juror, a, b)
    return world, showcase, nominations


def test_starting_judging_gives_each_juror_a_task_per_nomination(judged):
    world, _showcase, nominations = judged
    expert = world.jurors[0]
    assert expert.review_assignments.count() == len(nominations)


def test_ranking_combines_jury_and_public_parts_with_the_configured_weights(judged):
    world, showcase, nominations = judged
    # The third project (jury 60) gets every public vote; the others none.
    for n in range(10):
        services.vote_cast(
            showcase=showcase, nomination_id=nominations[2].pk, voter=voter_key(f"1390000{n:04d}"), ip=f"10.0.1.{n}"
        )
    step(showcase, "rank", world.admin)
    by_project = {n.project.title: n for n in showcase.nominations.select_related("project")}
    # Jury scores out of 100: 80, 85, 60, 100. Public part: 0, 0, 100, 0. Weights 70 / 30.
    assert by_project["项目1"].jury_score == Decimal("80.00")
    assert by_project["项目3"].final_score == Decimal("72.00")  # 60 × 0.7 + 100 × 0.3
    assert by_project["项目4"].final_score == Decimal("70.00")
    assert [n.project.title for n in showcase.nominations.order_by("rank")] == ["项目3", "项目4", "项目2", "项目1"]


def test_ranking_waits_for_every_nomination_to_be_scored():
    world = make_world(2)
    showcase = make_showcase(world.admin, world.committee, jury=world.jurors)
    step(showcase, "open_nominations", world.admin)
    nomination = services.nomination_create(
        actor=world.secretaries[0], showcase=showcase, project=world.projects[0], summary="简介", highlights="亮点"
    )
    step(showcase, "start_judging", world.admin)
    with pytest.raises(TransitionError, match="还有 1 个项目没有评委评分"):
        step(showcase, "rank", world.admin)
    jury_scores(nomination, world.jurors[0], 30, 30)
    step(showcase, "rank", world.admin)
    assert showcase.status == ShowcaseStatus.RANKED


def test_awards_follow_the_ranking_and_each_draws_on_the_reward_fund(judged):
    world, showcase, _nominations = judged
    funds.budget_create(
        organization=world.committee, year=2013, kind=FundKind.REWARD, amount=Decimal("20000"), actor=world.admin
    )
    step(showcase, "rank", world.admin)
    step(showcase, "award", world.admin)
    awards = {a.nomination.project.title: a for a in Award.objects.select_related("nomination__project")}
    assert {title: a.level for title, a in awards.items()} == {
        "项目4": AwardLevelKind.FIRST,
        "项目2": AwardLevelKind.SECOND,
        "项目1": AwardLevelKind.THIRD,
        "项目3": AwardLevelKind.EXCELLENCE,
    }
    first = awards["项目4"]
    entry = Allocation.objects.get(pk=first.fund_entry_id or 0)
    assert (entry.amount, entry.project, entry.budget.kind) == (
        Decimal("5000.00"),
        first.nomination.project,
        FundKind.REWARD,
    )
    # 优秀奖 carries no money here, so it makes no ledger entry.
    assert awards["项目3"].fund_entry_id is None
    assert Allocation.objects.count() == 3
    step(showcase, "publish", world.admin)
    assert showcase.status == ShowcaseStatus.PUBLISHED and showcase.published_at is not None


def test_awarding_without_a_reward_budget_is_refused_and_awards_nothing(judged):
    world, showcase, _nominations = judged
    step(showcase, "rank", world.admin)
    with pytest.raises(TransitionError):
        step(showcase, "award", world.admin)
    showcase.refresh_from_db()
    assert showcase.status == ShowcaseStatus.RANKED
    assert not Award.objects.exists()


def test_a_secretary_cannot_nominate_another_organizations_project():
    world = make_world(2)
    showcase = make_showcase(world.admin, world.committee)
    step(showcase, "open_nominations", world.admin)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.nomination_create(
            actor=world.secretaries[0], showcase=showcase, project=world.projects[1], summary="s", highlights="h"
        )


def test_the_certificate_is_an_a4_pdf_with_every_chinese_glyph(judged, tmp_path):
    world, showcase, _nominations = judged
    funds.budget_create(
        organization=world.committee, year=2013, kind=FundKind.REWARD, amount=Decimal("20000"), actor=world.admin
    )
    step(showcase, "rank", world.admin)
    step(showcase, "award", world.admin)
    award = Award.objects.get(level=AwardLevelKind.FIRST)
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(certificate_pdf(award))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    compact = "".join(text.split())
    assert "荣誉证书" in compact
    assert "第4居民区党总支" in compact
    assert "“项目4”项目在2013年“学习·服务·创新”七一党建项目展评中" in compact
    assert "一等奖" in compact and "新桥镇党委" in compact
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True, text=True).stdout
    assert "841.89 x 595.276 pts (A4)" in info  # A4 landscape


def test_staff_of_another_town_cannot_judge_or_see_nominations(judged, client):
    from tests.factories import make_root

    _world, _showcase, nominations = judged
    stranger = user_with_role(Role.TOWN_ADMIN, make_root("泗泾镇党委"))
    client.force_login(stranger)
    assert client.get(f"/showcase/nominations/{nominations[0].pk}/").status_code == 404

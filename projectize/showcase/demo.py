"""The 2013 showcase of 新桥镇党委 (illustrative): nominations, jury scores, public votes, awards.

It runs through the same services and workflow steps as a real showcase, so nominations, reviews,
votes, awards and reward-fund entries are all genuine and logged. Services only accept a vote or a
nomination inside their windows, so the windows are opened around the present while the demo plays
the showcase through, and then set to their 2013 dates. Loading twice changes nothing.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from projectize.orgs.demo import ROOT_NAME
from projectize.orgs.models import Organization, User
from projectize.projects.models import Project
from projectize.reviews import services as review_services
from projectize.reviews.models import Assignment, Purpose
from projectize.reviews.selectors import rubric_for
from projectize.showcase import services
from projectize.showcase.models import AwardLevelKind, Showcase, Vote
from projectize.showcase.verification import voter_key

YEAR = 2013
LEVELS = [
    (AwardLevelKind.FIRST, 1, Decimal("10000")),
    (AwardLevelKind.SECOND, 2, Decimal("6000")),
    (AwardLevelKind.THIRD, 3, Decimal("3000")),
    (AwardLevelKind.EXCELLENCE, 4, Decimal("0")),
]
NOMINATIONS = 12
HIGHLIGHTS = [
    "党员骨干牵头，居民全程参与\n形成可复制的工作流程",
    "整合驻区单位资源共建共享\n问题办结率明显提高",
    "建立长效制度，做法写入居民公约\n群众满意度持续提升",
]


def _when(month: int, day: int, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(YEAR, month, day, hour))


def load(stdout: Any = None) -> None:
    root = Organization.objects.filter(depth=1, name=ROOT_NAME).first()
    admin = User.objects.filter(username="admin").first()
    if root is None or admin is None or Showcase.objects.filter(organization=root, year=YEAR).exists():
        return
    rubric = rubric_for(organization=root, purpose=Purpose.SHOWCASE)
    jury = list(User.objects.filter(username__in=["expert1", "expert2", "expert3"]).order_by("username"))
    candidates = list(
        Project.objects.filter(
            organization__path__startswith=root.path,
            year=YEAR - 1,
            status__in=services.NOMINABLE_STATUSES,
            organization__secretary__isnull=False,
        )
        .select_related("organization__secretary")
        .order_by("id")[:NOMINATIONS]
    )
    if rubric is None or not jury or not candidates:
        return

    now, today = timezone.now(), timezone.localdate()
    showcase = services.showcase_save(
        actor=admin,
        showcase=Showcase(
            organization=root,
            year=YEAR,
            title=f"{YEAR} 年七一党建项目展评",
            theme="学习·服务·创新",
            description="庆祝建党 92 周年，展示 2012 年度三型党建项目成果，评选表彰优秀项目。",
            nomination_opens=today,
            nomination_closes=today,
            voting_opens=now - datetime.timedelta(minutes=1),
            voting_closes=now + datetime.timedelta(hours=1),
            rubric=rubric,
        ),
        levels=LEVELS,
        jury=jury,
    )
    showcase = showcase.workflow.apply(showcase, "open_nominations", actor=admin)
    nominations = []
    for n, project in enumerate(candidates):
        secretary = project.organization.secretary
        assert secretary is not None
        nominations.append(
            services.nomination_create(
                actor=secretary,
                showcase=showcase,
                project=project,
                summary=f"{project.organization}围绕“{project.title}”，以党建引领凝聚党员和群众力量，"
                f"细化量化目标，按期推进，取得实效。",
                highlights=HIGHLIGHTS[n % len(HIGHLIGHTS)],
            )
        )
    showcase = showcase.workflow.apply(showcase, "start_judging", actor=admin, note="推荐结束，开始评委评审和群众投票")

    # Jury: each expert scores each project on the four criteria (30/20/30/20).
    for n, nomination in enumerate(nominations):
        for j, expert in enumerate(jury):
            assignment = Assignment.objects.select_related("review__rubric").get(
                review__subject_id=nomination.pk, review__rubric=rubric, reviewer=expert
            )
            review_services.assignment_accept(assignment=assignment, actor=expert)
            criteria = list(assignment.review.rubric.criteria.all())
            spread = (n * 7 + j * 3) % 9
            scores = {
                criterion.pk: max(Decimal(0), criterion.weight - Decimal(spread + i) / 2)
                for i, criterion in enumerate(criteria)
            }
            review_services.sheet_submit(
                assignment=assignment, scores=scores, actor=expert, comment="材料翔实，成效明显。"
            )

    # Residents' votes, each from its own verified number and address.
    voter = 0
    for n, nomination in enumerate(nominations):
        for _vote in range(40 + (n * 53) % 220):
            voter += 1
            services.vote_cast(
                showcase=showcase,
                nomination_id=nomination.pk,
                voter=voter_key(f"139{voter:08d}"),
                ip=f"10.{voter // 65536 % 256}.{voter // 256 % 256}.{voter % 256}",
            )

    for step in ("rank", "award", "publish"):
        showcase = showcase.workflow.apply(showcase, step, actor=admin)

    # The showcase really ran in 2013: nominations in May, votes in June, the list on 1 July.
    Showcase.objects.filter(pk=showcase.pk).update(
        nomination_opens=datetime.date(YEAR, 5, 6),
        nomination_closes=datetime.date(YEAR, 5, 31),
        voting_opens=_when(6, 10),
        voting_closes=_when(6, 25, 18),
        published_at=_when(7, 1),
    )
    Vote.objects.filter(nomination__showcase=showcase).update(created_at=_when(6, 18, 20))
    if stdout is not None:
        stdout.write(f"showcase {YEAR}: {len(nominations)} nominations, {voter} votes, awards given")

"""Showcases of 新桥镇党委 (illustrative): 2013 with nominations, jury scores, public votes and awards;
this year's, open for the public vote with the jury still to score.

It runs through the same services and workflow steps as a real showcase, so nominations, reviews,
votes, awards and reward-fund entries are all genuine and logged. Services only accept a vote or a
nomination inside their windows, so the windows are opened around the present while the demo plays
the showcase through, and then set to their real dates. Loading twice changes nothing.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from projectize.orgs.demo import xinqiao
from projectize.orgs.models import Organization, User
from projectize.projects.models import Project
from projectize.reviews import services as review_services
from projectize.reviews.models import Assignment, Purpose
from projectize.reviews.selectors import rubric_for
from projectize.showcase import services
from projectize.showcase.models import AwardLevelKind, Showcase, Vote
from projectize.showcase.verification import voter_key
from projectize.showcase.workflows import SHOWCASE

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
    root = xinqiao()
    admin = User.objects.filter(username="admin").first()
    rubric = rubric_for(organization=root, purpose=Purpose.SHOWCASE) if root is not None else None
    jury = list(User.objects.filter(username__in=["expert1", "expert2", "expert3"]).order_by("username"))
    if root is None or admin is None or rubric is None or not jury:
        return
    if not Showcase.objects.filter(organization=root, year=YEAR).exists():
        _showcase_2013(root, admin, rubric, jury, stdout)
    this_year = timezone.localdate().year
    if this_year > YEAR and not Showcase.objects.filter(organization=root, year=this_year).exists():
        _showcase_now(root, admin, rubric, jury, this_year, stdout)


def _candidates(root: Organization, years: list[int], limit: int) -> list[Project]:
    return list(
        Project.objects.filter(
            organization__path__startswith=root.path,
            year__in=years,
            status__in=services.NOMINABLE_STATUSES,
            organization__secretary__isnull=False,
        )
        .select_related("organization__secretary")
        .order_by("id")[:limit]
    )


def _start(root: Organization, admin: User, rubric: Any, jury: list[User], year: int, projects: list[Project]) -> Any:
    """A showcase taken from setup to judging, with its windows open around the present."""
    now, today = timezone.now(), timezone.localdate()
    showcase = services.showcase_save(
        actor=admin,
        showcase=Showcase(
            organization=root,
            year=year,
            title=f"{year} 年七一党建项目展评",
            theme="学习·服务·创新",
            description=f"展示 {year - 1} 年度党建项目成果，评选表彰优秀项目。",
            nomination_opens=today,
            nomination_closes=today,
            voting_opens=now - datetime.timedelta(minutes=1),
            voting_closes=now + datetime.timedelta(days=30),
            rubric=rubric,
        ),
        levels=LEVELS,
        jury=jury,
    )
    showcase = SHOWCASE.apply(showcase, "open_nominations", actor=admin)
    nominations = []
    for n, project in enumerate(projects):
        secretary = project.organization.secretary
        assert secretary is not None
        nominations.append(
            services.nomination_create(
                actor=secretary,
                showcase=showcase,
                project=project,
                summary=f"{project.organization}以党建引领凝聚党员和群众力量推进{project.title}，"
                f"细化量化目标，按期推进，取得实效。",
                highlights=HIGHLIGHTS[n % len(HIGHLIGHTS)],
            )
        )
    showcase = SHOWCASE.apply(showcase, "start_judging", actor=admin, note="推荐结束，开始评委评审和群众投票")
    return showcase, nominations


def _votes(showcase: Showcase, nominations: list[Any], first_voter: int, scale: int) -> int:
    """Residents' votes, each from its own verified number and address. Returns the last voter number."""
    voter = first_voter
    for n, nomination in enumerate(nominations):
        for _vote in range(scale + (n * 53) % (scale * 5)):
            voter += 1
            services.vote_cast(
                showcase=showcase,
                nomination_id=nomination.pk,
                voter=voter_key(f"139{voter:08d}"),
                ip=f"10.{voter // 65536 % 256}.{voter // 256 % 256}.{voter % 256}",
            )
    return voter


def _showcase_2013(root: Organization, admin: User, rubric: Any, jury: list[User], stdout: Any) -> None:
    projects = _candidates(root, [YEAR - 1], NOMINATIONS)
    if not projects:
        return
    showcase, nominations = _start(root, admin, rubric, jury, YEAR, projects)
    # Jury: each expert scores each project on every criterion, a little below its maximum.
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
    votes = _votes(showcase, nominations, 0, 40)
    for step in ("rank", "award", "publish"):
        showcase = SHOWCASE.apply(showcase, step, actor=admin)

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
        stdout.write(f"showcase {YEAR}: {len(nominations)} nominations, {votes} votes, awards published")


def _showcase_now(root: Organization, admin: User, rubric: Any, jury: list[User], year: int, stdout: Any) -> None:
    """This year's showcase, open for the public vote, the jury's scoring still to do."""
    projects = _candidates(root, [year - 1, year], 8)
    if not projects:
        return
    showcase, nominations = _start(root, admin, rubric, jury, year, projects)
    votes = _votes(showcase, nominations, 100_000, 5) - 100_000
    today = timezone.localdate()
    Showcase.objects.filter(pk=showcase.pk).update(
        nomination_opens=today - datetime.timedelta(days=30), nomination_closes=today - datetime.timedelta(days=1)
    )
    if stdout is not None:
        stdout.write(f"showcase {year}: {len(nominations)} nominations open for the public vote ({votes} votes so far)")

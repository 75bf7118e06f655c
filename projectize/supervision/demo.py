"""Demo supervision of 新桥镇党委: warning rules, activities with findings, an analysis, guidance notes,
feedback letters (one closed, one being answered, one overdue, one draft), a 问责 record and the
warnings the rules raise. The district's default rules (copied into a new town), the second town's rules
and site visit, and the district's letter to the second town about one of its projects. Written through
the services. Loading twice changes nothing.
"""

import datetime
from typing import Any

from django.utils import timezone

from projectize.orgs.demo import district, second_town, xinqiao
from projectize.orgs.models import Organization, User
from projectize.projects.models import Project, ProjectStatus
from projectize.supervision import services
from projectize.supervision.models import (
    Activity,
    ActivityKind,
    Letter,
    LetterItem,
    ProjectWarningLevel,
    RuleKind,
    WarningRule,
)

# Days overdue at which each level is raised.
RULE_DAYS = {ProjectWarningLevel.REMINDER: 1, ProjectWarningLevel.CAUTION: 14, ProjectWarningLevel.CIRCULAR: 30}

ACTIVITIES = [
    (ActivityKind.REPORT_MEETING, "三型党建项目推进情况集中汇报会", "镇党建服务中心会议室", 75),
    (ActivityKind.FORUM, "项目责任人座谈交流会", "镇社区事务受理服务中心", 48),
    (ActivityKind.SITE_VISIT, "居民区项目实地察看", "春申居民区", 30),
    (ActivityKind.TRACKING, "二季度项目跟踪式检查", "各居民区", 12),
]
FINDINGS = [
    "项目推进总体有序，议事会按月召开，但会议记录不够完整。",
    "量化指标完成约三成，进度偏慢；群众参与面有待扩大。",
    "阵地建设到位，活动照片和台账齐全，可总结提炼做法。",
]


def load(stdout: Any = None) -> None:
    load_xinqiao(stdout)
    load_district_and_second_town(stdout)


def rules_for(committee: Organization, admin: User) -> None:
    for kind in RuleKind.values:
        for level, days in RULE_DAYS.items():
            services.rule_save(organization=committee, kind=kind, level=level, days=days, is_active=True, actor=admin)


def load_district_and_second_town(stdout: Any = None) -> None:
    root, town = district(), second_town()
    staff, admin = User.objects.filter(username="district").first(), User.objects.filter(username="sjadmin").first()
    if root is None or town is None or staff is None or admin is None:
        return
    if WarningRule.objects.filter(organization=town).exists():
        return
    rules_for(root, staff)
    rules_for(town, admin)
    today = timezone.localdate()
    projects = list(
        Project.objects.filter(organization__path__startswith=town.path, status=ProjectStatus.IN_PROGRESS)
        .select_related("organization")
        .order_by("id")
    )
    if not projects:
        return
    leader = User.objects.filter(username="sjleader").first()
    activity = services.activity_create(
        organization=town,
        kind=ActivityKind.SITE_VISIT,
        title="古镇老街项目实地察看",
        date=today - datetime.timedelta(days=21),
        location="泗泾镇老街",
        participants=[admin, *([leader] if leader else [])],
        summary="查看项目阵地和台账，听取居民意见。",
        actor=admin,
    )
    services.finding_add(activity=activity, project=projects[0], text=FINDINGS[1], actor=admin)
    # The district writes to the town committee about one of its projects; the town has signed for it.
    letter = services.letter_create(
        project=projects[0],
        issuer=root,
        title=f"关于{projects[0].title}项目推进情况的督查反馈函",
        body="区委组织部在跟踪式检查中发现，该项目进度滞后于计划，请镇党委督促整改，并在期限内书面回复。",
        prefix=services.default_prefix(root),
        actor=staff,
    )
    services.letter_item_add(
        letter=letter,
        problem="量化指标完成不足三成，进度滞后。",
        requirement="制定赶进度计划，每月向区委组织部报送完成情况。",
        deadline=today + datetime.timedelta(days=30),
        actor=staff,
    )
    letter = services.letter_send(letter=letter, actor=staff)
    services.letter_acknowledge(letter=letter, actor=admin)
    raised = services.warnings_evaluate(today=today, committees=[town])
    if stdout is not None:
        stdout.write(f"supervision of {town}: 1 activity, 1 letter from {root}, {len(raised)} warnings")


def load_xinqiao(stdout: Any = None) -> None:
    root = xinqiao()
    admin = User.objects.filter(username="admin").first()
    if root is None or admin is None or Activity.objects.filter(organization=root).exists():
        return
    leaders = list(User.objects.filter(username__in=["leader1", "leader2"]).order_by("username"))
    for kind in RuleKind.values:
        for level, days in RULE_DAYS.items():
            services.rule_save(organization=root, kind=kind, level=level, days=days, is_active=True, actor=admin)
    projects = list(
        Project.objects.filter(organization__path__startswith=root.path, status=ProjectStatus.IN_PROGRESS)
        .exclude(responsible=None)
        .select_related("organization", "responsible")
        .order_by("id")[:6]
    )
    if not projects:
        if stdout is not None:
            stdout.write("supervision: warning rules only (no running projects yet)")
        return
    today = timezone.localdate()
    for n, (kind, title, location, days_ago) in enumerate(ACTIVITIES):
        activity = services.activity_create(
            organization=root,
            kind=kind,
            title=title,
            date=today - datetime.timedelta(days=days_ago),
            location=location,
            participants=[admin, *leaders[: 1 + n % 2]],
            other_participants="居民代表、党员代表" if kind == ActivityKind.FORUM else "",
            summary="听取项目进展，查看台账资料，逐个项目提出意见。",
            actor=admin,
        )
        for k, project in enumerate(projects[n % 2 : n % 2 + 3]):
            services.finding_add(activity=activity, project=project, text=FINDINGS[k % 3], actor=admin)
    analysed = projects[min(1, len(projects) - 1)]
    services.analysis_create(
        project=analysed,
        date=today - datetime.timedelta(days=10),
        problems="量化指标完成率偏低；居民参与以老年人为主，年轻居民参与少。",
        causes="前期调研不够深入，活动时间多安排在工作日白天；宣传渠道单一。",
        recommendations="调整活动时间到周末和晚上；利用居民微信群和楼道公告宣传；每月通报指标进度。",
        actor=admin,
    )
    for project in projects[:2]:
        services.guidance_create(
            project=project,
            date=today - datetime.timedelta(days=20),
            content="建议把行之有效的做法固化为议事规则，形成“一居一品”特色品牌。",
            actor=leaders[0] if leaders else admin,
        )
    prefix = services.default_prefix(root)
    letters = []
    for project in projects[:4]:
        letter = services.letter_create(
            project=project,
            issuer=root,
            title=f"关于{project.title}项目督查情况的反馈函",
            body="经跟踪式检查，你单位项目推进总体有序，但仍存在以下问题，请认真整改，并在期限内书面回复。",
            prefix=prefix,
            actor=admin,
        )
        for k, (problem, requirement) in enumerate(
            [
                ("议事会会议记录不完整，部分会议缺少签到。", "补齐全年会议记录和签到表，建立台账。"),
                ("量化指标进度滞后于计划。", "制定赶进度计划，每月报送指标完成情况。"),
            ]
        ):
            services.letter_item_add(
                letter=letter,
                problem=problem,
                requirement=requirement,
                deadline=today + datetime.timedelta(days=20 + 10 * k),
                actor=admin,
            )
        letters.append(letter)
    addressee = [_addressee(project) for project in projects[:4]]
    for n, letter in enumerate(letters[:3]):
        letters[n] = services.letter_send(letter=letter, actor=admin)
    if len(letters) > 0:  # answered, verified, closed
        closed = services.letter_acknowledge(letter=letters[0], actor=addressee[0])
        for item in closed.items.all():
            services.item_answer(item=item, action_taken="已按要求整改到位，相关台账已补齐。", actor=addressee[0])
        for item in closed.items.all():
            services.item_verify(item=item, accept=True, actor=admin)
    if len(letters) > 1:  # being answered: one item waits for verification
        answering = services.letter_acknowledge(letter=letters[1], actor=addressee[1])
        services.item_answer(
            item=answering.items.get(number=1), action_taken="已补齐会议记录和签到表。", actor=addressee[1]
        )
    if len(letters) > 2:  # overdue: sent weeks ago and never answered
        overdue = letters[2]
        # Backdated: sent five weeks ago, its deadlines passed unanswered.
        Letter.objects.filter(pk=overdue.pk).update(issued_on=today - datetime.timedelta(days=36))
        LetterItem.objects.filter(letter=overdue).update(deadline=today - datetime.timedelta(days=16))
        services.accountability_record(
            organization=overdue.organization,
            project=overdue.project,
            person=overdue.responsible,
            date=today - datetime.timedelta(days=2),
            measure="talk",
            reason="反馈函逾期未回复，约谈项目责任人。",
            actor=admin,
        )
    raised = services.warnings_evaluate(today=today, committees=[root])
    if stdout is not None:
        stdout.write(f"supervision: {len(ACTIVITIES)} activities, {len(letters)} letters, {len(raised)} warnings")


def _addressee(project: Project) -> User:
    """Who answers the project's letter in the demo: its organization's secretary, else its 责任人."""
    person = project.organization.secretary or project.responsible
    if person is None:
        raise ValueError(f"{project} has nobody to answer a letter")
    return person

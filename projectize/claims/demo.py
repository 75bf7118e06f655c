"""Demo claims: all 18 家新桥 targets claimed and awarded to the 27 claiming units, a few objections,
and the first projects carried through to their outcomes; the second town's 4 targets claimed by its
units and awarded, their projects started.

Everything goes through the services on the days of the programme's calendar (programmes.demo):
claims before the deadline, selection after it, the notice after the selection, the award after
the notice, then the projects' reports and, for two of them, acceptance and 结题.
"""

from decimal import Decimal
from typing import Any

from django.utils import timezone

from projectize.claims import services
from projectize.claims.models import Claim
from projectize.core.demo_clock import at
from projectize.orgs.demo import (
    CLAIMING_UNITS,
    SECOND_CLAIMING,
    SECOND_UNITS,
    required,
    second_town,
    xinqiao,
)
from projectize.orgs.models import Organization, Role, RoleGrant, User
from projectize.programmes.demo import AWARDED, NOTICE, PUBLISHED, SECOND_TITLE, SELECTION, TITLE, day
from projectize.programmes.models import Programme, Target
from projectize.programmes.workflows import TARGET
from projectize.projects import services as project_services
from projectize.projects.models import MilestoneStatus
from projectize.projects.workflows import PROJECT
from projectize.reviews import selectors as review_selectors
from projectize.reviews import services as review_services

RESOURCES = {
    "party": "党员志愿者服务队，党建联建共建资源。",
    "administrative": "本单位职能范围内的执法、审批和服务力量。",
    "enterprise": "场地、设备和一定的资金投入。",
    "social": "志愿者和专业社工队伍。",
}
# (target number, objection, answer): objections lodged in the notice period and answered.
OBJECTIONS = [
    (0, "牵头单位离小区较远，能否保证夜间巡查？", "牵头单位已承诺每晚巡查两次，并由居民区党总支配合，异议不成立。"),
    (4, "希望优先考虑本小区物业参与。", "合作单位已包含物业服务企业，异议不成立。"),
    (11, "绿地认养后是否还对居民开放？", "认养不改变绿地公共属性，继续对居民开放，异议不成立。"),
]
# Extra claims that compete and are not chosen: (target number, unit index that also claims it).
RUNNERS_UP = [(10, 0), (14, 5), (16, 12)]


def load(stdout: Any = None) -> None:
    load_xinqiao(stdout)
    load_second_town(stdout)


def load_second_town(stdout: Any = None) -> None:
    """The second town's units and three of its residential areas claim its four targets; each target
    goes to the units chosen (the first to two of them), and their projects start."""
    town = Organization.objects.get(pk=required(second_town()).pk)
    admin = User.objects.get(username="sjadmin")
    programme = Programme.objects.get(organization=town, title=SECOND_TITLE)
    targets = list(programme.targets.order_by("section__order", "order", "id"))
    if Claim.objects.filter(target__programme=programme).exists():
        return
    names = [name for name, _kind in SECOND_UNITS] + SECOND_CLAIMING
    units = [Organization.objects.get(name=name, path__startswith=town.path) for name in names]
    contacts = {
        grant.organization_id: grant.user
        for grant in RoleGrant.objects.filter(role=Role.CLAIM_CONTACT, organization__in=units).select_related("user")
    }
    winners = [[units[0], units[3]], [units[1]], [units[2]], [units[4]]]
    runners_up = {1: [units[5]]}
    for number, target in enumerate(targets):
        with at(day(PUBLISHED - 3 - number)):
            for unit in [*winners[number], *runners_up.get(number, [])]:
                claim = services.claim_save(
                    actor=contacts[unit.pk],
                    target=target,
                    organization=unit,
                    plan=f"围绕“{target.title}”，{unit.name}分调研、实施、总结三步推进。",
                    reasons=f"{unit.name}扎根泗泾，熟悉老街情况，有相应资源。",
                    team="负责人 1 名，骨干 2 名，志愿者若干。",
                    timeline="第一季度 调研\n第二、三季度 实施\n第四季度 总结",
                    resources=dict(list(RESOURCES.items())[: 2 + number % 2]),
                )
                services.claim_submit(claim=claim, actor=contacts[unit.pk])
    experts = list(User.objects.filter(username="sjexpert"))
    for number, target in enumerate(targets):
        chosen = {unit.pk for unit in winners[number]}
        with at(day(SELECTION)):
            target = TARGET.apply(Target.objects.get(pk=target.pk), "start_selection", actor=admin)
            score(target, experts, chosen, admin)
            for claim in target.claims.order_by("pk"):
                selected = claim.organization_id in chosen
                reason = "方案具体，资源匹配。" if selected else "方案针对性稍弱，鼓励参与其他标的。"
                services.claim_decide(claim=claim, actor=admin, selected=selected, reason=reason)
        with at(day(NOTICE)):
            TARGET.apply(target, "notice", actor=admin)
    with at(day(AWARDED)):
        for target in programme.targets.order_by("section__order", "order", "id"):
            services.target_award(target=target, actor=admin)
    if stdout is not None:
        stdout.write(f"claims of {town}: {Claim.objects.filter(target__programme=programme).count()}")


def load_xinqiao(stdout: Any = None) -> None:
    root = Organization.objects.get(pk=required(xinqiao()).pk)
    admin = User.objects.get(username="admin")
    programme = Programme.objects.get(organization=root, title=TITLE)
    targets = list(programme.targets.order_by("section__order", "order", "id"))
    if Claim.objects.filter(target__programme=programme).exists():
        return
    units = [Organization.objects.get(name=name) for name in CLAIMING_UNITS]
    contacts = {
        grant.organization_id: grant.user
        for grant in RoleGrant.objects.filter(role=Role.CLAIM_CONTACT, organization__in=units).select_related("user")
    }
    shared = sum(1 for t in targets if t.max_units == 2)
    winners: list[list[Organization]] = [
        units[2 * n : 2 * n + 2] if n < shared else [units[shared + n]] for n in range(len(targets))
    ]
    for number, target in enumerate(targets):
        claimants = list(winners[number])
        claimants += [units[i] for t, i in RUNNERS_UP if t == number]
        with at(day(PUBLISHED - 2 - number)):
            for unit in claimants:
                claim = services.claim_save(
                    actor=contacts[unit.pk],
                    target=target,
                    organization=unit,
                    plan=f"围绕“{target.title}”，发挥{unit.name}的资源优势，分三步推进：调研、实施、总结。",
                    reasons=f"{unit.name}熟悉辖区情况，有相应资源和工作基础。",
                    team="负责人 1 名，骨干 3 名，志愿者若干。",
                    timeline="第一季度 调研\n第二、三季度 实施\n第四季度 总结",
                    resources=dict(list(RESOURCES.items())[: 2 + number % 3]),
                )
                services.claim_submit(claim=claim, actor=contacts[unit.pk])
    experts = list(User.objects.filter(username__in=["expert1", "expert2", "expert3"]))
    selection, notice, objections = day(SELECTION), day(NOTICE), day(NOTICE - 2)
    for number, target in enumerate(targets):
        chosen = {unit.pk for unit in winners[number]}
        with at(selection):
            target = TARGET.apply(Target.objects.get(pk=target.pk), "start_selection", actor=admin)
            score(target, experts, chosen, admin)
            for claim in target.claims.select_related("organization").order_by("pk"):
                selected = claim.organization_id in chosen
                reason = (
                    "方案具体可行，资源与标的匹配。" if selected else "已承接其他标的，力量不宜分散；方案针对性稍弱。"
                )
                services.claim_decide(claim=claim, actor=admin, selected=selected, reason=reason)
        with at(notice):
            target = TARGET.apply(target, "notice", actor=admin)
        for objection_target, content, answer in OBJECTIONS:
            if objection_target == number:
                with at(objections):
                    objection = services.objection_lodge(target=target, content=content, name="居民")
                    services.objection_answer(objection=objection, actor=admin, upheld=False, answer=answer)
    with at(day(AWARDED)):
        for target in programme.targets.order_by("section__order", "order", "id"):
            services.target_award(target=target, actor=admin)
    carry_out(programme, admin)
    if stdout is not None:
        stdout.write(f"claims: {Claim.objects.filter(target__programme=programme).count()}")


# The first projects' results: (problems solved, people benefited); the first two conclude.
RESULTS = [(3, 1860), (2, 940)]
RUNNING = 4


def carry_out(programme: Programme, admin: User) -> None:
    """The first projects start with their 五定, report and meet a milestone; two pass acceptance and conclude,
    so the trace from a resident's need reaches the people it benefited."""
    leaders = list(
        User.objects.filter(grants__role=Role.LEADER, grants__organization=programme.organization)
        .distinct()
        .order_by("username")
    )
    expert = User.objects.filter(username="expert1").first()
    targets = programme.targets.order_by("section__order", "order", "id")[:RUNNING]
    leads = [target.claims.filter(is_lead=True).select_related("project", "contact").get() for target in targets]
    started, reported, piloted, accepted = day(AWARDED - 3), day(AWARDED - 60), day(28), day(20)
    plan = [
        {"title": "调研摸底、制定方案", "due_date": day(AWARDED - 45).date()},
        {"title": "试点推进", "due_date": day(30).date()},
        {"title": "总结提炼", "due_date": day(-40).date()},
    ]
    for n, claim in enumerate(leads):
        project, contact = claim.project, claim.contact
        assert project is not None, "the award made the project"
        with at(started):
            project_services.five_fixed_save(
                actor=contact,
                project=project,
                lead_leader=leaders[n % len(leaders)],
                responsible=contact,
                team=[{"name": str(contact), "role": "统筹协调"}, {"name": "党员志愿者服务队", "role": "活动实施"}],
                milestones=plan,
            )
            project = PROJECT.apply(project, "start", actor=contact)
        with at(reported):
            report = project.reports.order_by("number").first()
            assert report is not None
            project_services.report_submit(
                actor=contact,
                report=report,
                content="已完成调研摸底，走访居民，制定实施方案并组建志愿者队伍。",
                actuals={},
            )
            project_services.report_review(actor=admin, report=report, accept=True)
            first = project.milestones.get(title="调研摸底、制定方案")
            project_services.milestone_assess(actor=admin, milestone=first, status=MilestoneStatus.MET)
        with at(piloted):
            pilot = project.milestones.get(title="试点推进")
            project_services.milestone_assess(actor=admin, milestone=pilot, status=MilestoneStatus.MET)
        if n < len(RESULTS):
            with at(accepted):
                conclude(project, RESULTS[n], admin, [*leaders, expert] if expert else leaders)


def conclude(project: Any, result: tuple[int, int], admin: User, panel: list[User]) -> None:
    """Acceptance by 一听二看三查四问, then 结题 with the project's outcomes."""
    for milestone in project.milestones.exclude(status=MilestoneStatus.MET):
        project_services.milestone_assess(actor=admin, milestone=milestone, status=MilestoneStatus.MET)
    acceptance = project_services.acceptance_schedule(
        actor=admin,
        project=project,
        scheduled_on=timezone.localdate(),
        panel=panel,
        checklist=list(project_services.DEFAULT_CHECKLIST),
    )
    project_services.acceptance_record(
        actor=panel[0],
        acceptance=acceptance,
        fields={
            "listen_notes": "听取认领单位汇报，目标均已完成。",
            "listen_score": Decimal(23),
            "look_score": Decimal(22),
            "check_score": Decimal(23),
            "ask_notes": "走访受益居民 10 户，反映良好。",
            "ask_score": Decimal(23),
            "interview_satisfied": 8,
            "interview_fairly": 2,
        },
        checks={item.pk: (True, "") for item in acceptance.check_items.all()},
    )
    project_services.acceptance_conclude(
        actor=admin, acceptance=acceptance, conclusion="accepted", note="目标完成，资料齐全，同意结题。"
    )
    problems, people = result
    project_services.project_conclude(
        actor=admin,
        project=project,
        summary=f"{project.title}按方案完成，破解居民反映的难题 {problems} 个，惠及居民 {people} 人次。",
        counters={"problems_solved": problems, "beneficiaries": people},
        actuals={},
    )


def score(target: Target, experts: list[User], chosen: set[int], admin: User) -> None:
    """The experts score every claim on the committee's claim rubric; the chosen units score higher."""
    if not experts or review_selectors.rubric_for(organization=target.organization, purpose="claim") is None:
        return
    for review in services.reviews_open(target=target, reviewers=experts, actor=admin):
        claim = Claim.objects.get(pk=review.subject_id)
        share = Decimal("0.9") if claim.organization_id in chosen else Decimal("0.7")
        criteria = list(review.rubric.criteria.all())
        for n, assignment in enumerate(review.assignments.select_related("reviewer")):
            assignment = review_services.assignment_accept(assignment=assignment, actor=assignment.reviewer)
            marks: dict[int, Any] = {}
            for criterion in criteria:
                bands = criterion.band_choices
                if bands:
                    marks[criterion.pk] = bands[0 if share > Decimal("0.8") else min(1, len(bands) - 1)][0]
                else:
                    marks[criterion.pk] = (criterion.weight * (share - Decimal(n) / 50)).quantize(Decimal("0.1"))
            review_services.sheet_submit(assignment=assignment, scores=marks, actor=assignment.reviewer)
        review_services.review_close(review=review, actor=admin)

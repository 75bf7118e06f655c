"""Demo projects of 新桥镇 (illustrative titles).

- The 2012 call with the paper's 39 projects from the 38 grassroots organizations (7 创新探索型,
  22 典型示范型, 10 制度推广型), and the 2013–2016 calls: historical, mostly concluded, some
  promoted. Their history happened before the system, so they are written directly, each with one
  log entry saying so.
- Two live calls with dates around today, driven through the services (and the reviews engine)
  exactly as users would, so every page has something to show: last year's call in its evaluation
  phase (projects running, overdue, under acceptance) and this year's in its review phase
  (applications submitted, under review, returned, decided).
- The outcome counters over all of Xinqiao's demo projects add up to the paper's figures: 10 规章制度,
  48 破解难题, 16 服务品牌, 33,162 惠及人次.
- The second town, 泗泾镇, has last year's call (closed: concluded projects with their outcomes, one
  still running, one rejected) and this year's call open for applications; its codes start with SJ-.

Loading twice changes nothing: each call is created once, with its projects.
"""

import datetime
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from projectize.core.activity import as_choice
from projectize.core.services import log_activity
from projectize.orgs.demo import GRASSROOTS, SECOND_GRASSROOTS, second_town, xinqiao
from projectize.orgs.models import Organization, User
from projectize.projects import services
from projectize.projects.models import (
    TYPE_CODES,
    Acceptance,
    AcceptanceConclusion,
    AcceptanceStatus,
    Adoption,
    Call,
    CallStatus,
    CodeCounter,
    Indicator,
    Milestone,
    MilestoneStatus,
    Project,
    ProjectStatus,
    ProjectType,
    Promotion,
    Satisfaction,
    TeamMember,
)
from projectize.projects.workflows import CALL, PROJECT
from projectize.reviews.models import Assignment, Purpose
from projectize.reviews.selectors import rubric_for
from projectize.reviews.services import assignment_accept, review_open, sheet_submit

# The paper's outcome figures (since 2012), spread over the concluded demo projects.
OUTCOMES = {"rules_established": 10, "problems_solved": 48, "service_brands": 16, "beneficiaries": 33162}

THEMES: dict[str, list[tuple[str, str, str, str]]] = {
    ProjectType.INNOVATION: [
        ("停车难“错峰共享”", "小区车位缺口大，夜间停车矛盾突出。", "共享车位", "个"),
        ("加装电梯“协商议事”", "多层住宅老人上下楼难，加装电梯意见难统一。", "完成协商楼栋", "栋"),
        ("群租整治“联勤联动”", "群租房安全隐患多，居民投诉集中。", "整治群租户", "户"),
        ("垃圾分类“积分兑换”", "垃圾分类参与率低，湿垃圾分出率不高。", "分类参与率", "%"),
        ("老旧小区“微更新”", "老旧小区公共空间破旧，居民改造意愿强。", "改造点位", "处"),
        ("邻里纠纷“三级调处”", "邻里矛盾多发，调处渠道单一。", "化解纠纷", "件"),
        ("来沪人员“融入驿站”", "来沪人员多，融入社区难。", "服务人次", "人次"),
        ("独居老人“安心守护”", "独居老人多，突发情况难以及时发现。", "结对老人", "人"),
    ],
    ProjectType.DEMONSTRATION: [
        ("“四点半课堂”", "双职工家庭孩子放学后无人照看。", "受益学生", "人"),
        ("“银龄互助”服务社", "老年人多，互助服务缺少组织。", "互助结对", "对"),
        ("“红色楼组”创建", "楼组党员作用发挥不够明显。", "红色楼组", "个"),
        ("“暖心驿站”", "户外劳动者歇脚难、喝水难。", "服务人次", "人次"),
        ("党员志愿服务岗", "党员服务群众缺少固定岗位。", "上岗党员", "人"),
        ("“家门口”服务站", "居民办事要跑多个地方。", "代办事项", "件"),
        ("“一居一品”文化团队", "社区文化活动缺少品牌。", "活动场次", "场"),
        ("“绿色家园”共建", "小区绿化养护跟不上。", "认养绿地", "平方米"),
        ("“书香楼道”", "居民阅读空间不足。", "借阅人次", "人次"),
        ("“企业党员先锋岗”", "一线生产党员示范作用不突出。", "先锋岗", "个"),
        ("“职工之家”", "外来职工业余生活单调。", "参与职工", "人"),
    ],
    ProjectType.INSTITUTIONAL: [
        ("党员联系户制度", "党员联系群众缺少制度约束。", "联系户数", "户"),
        ("楼组长议事规则", "楼组议事随意，决定难落实。", "议事会议", "次"),
        ("“三会一课”规范化", "组织生活形式单一、记录不全。", "规范支部", "个"),
        ("党务居务公开制度", "居民对公共事务知情不够。", "公开事项", "项"),
        ("民主评议党员办法", "党员评议标准不一。", "参评党员", "人"),
        ("社区议事会章程", "社区重大事项缺少议事程序。", "议事事项", "项"),
    ],
}
MEASURES = "书记任组长，班子成员分工负责；每月例会通报进度，党员骨干包干到楼组。"
APPROACH = "先调研摸底，再试点推开；依托党员骨干和志愿者分步实施，定期听取居民意见。"
EFFECTS = "问题得到缓解，居民满意度明显提高，形成可复制的做法。"


def grassroots() -> list[Organization]:
    names = [name for _branch, _kind, branch_names in GRASSROOTS for name in branch_names]
    by_name = {o.name: o for o in Organization.objects.filter(name__in=names)}
    return [by_name[name] for name in names if name in by_name]


def short(organization: Organization) -> str:
    for suffix in ("居民区党总支", "村党总支", "有限公司党支部", "党支部"):
        if organization.name.endswith(suffix):
            return organization.name[: -len(suffix)]
    return organization.name


def title_for(organization: Organization, project_type: str, n: int) -> tuple[str, str, str, str]:
    theme, background, indicator, unit = THEMES[project_type][n % len(THEMES[project_type])]
    return f"{short(organization)}{theme}", background, indicator, unit


def load(stdout: Any = None) -> None:
    load_xinqiao(stdout)
    load_second_town(stdout)


# The second town's outcomes, spread over last year's concluded projects.
SECOND_OUTCOMES = {"rules_established": 2, "problems_solved": 9, "service_brands": 2, "beneficiaries": 4120}
SECOND_FATES = [ProjectStatus.CONCLUDED] * 4 + [ProjectStatus.IN_PROGRESS, ProjectStatus.REJECTED]


def load_second_town(stdout: Any = None) -> None:
    town = second_town()
    admin = User.objects.filter(username="sjadmin").first()
    if town is None or admin is None or Call.objects.filter(organization=town).exists():
        return
    names = [name for _branch, _kind, branch_names in SECOND_GRASSROOTS for name in branch_names]
    by_name = {o.name: o for o in Organization.objects.filter(name__in=names, path__startswith=town.path)}
    orgs = [by_name[name] for name in names]
    leaders = list(User.objects.filter(username="sjleader"))
    rng = random.Random(2025)
    today = timezone.localdate()
    call = historical_call(town, today.year - 1)
    kinds = [ProjectType.DEMONSTRATION, ProjectType.INNOVATION, ProjectType.INSTITUTIONAL]
    past = [
        historical_project(call, orgs[n], kinds[n % 3], fate, n, leaders, rng, code_prefix="SJ")
        for n, fate in enumerate(SECOND_FATES)
    ]
    concluded = [p for p in past if p.status == ProjectStatus.CONCLUDED]
    for index, project in enumerate(concluded):
        for name, total in SECOND_OUTCOMES.items():
            share, extra = divmod(total, len(concluded))
            setattr(project, name, share + (1 if index < extra else 0))
    Project.objects.bulk_update(concluded, [*SECOND_OUTCOMES])

    # This year's call, open for applications: one draft, two submitted.
    current = Call.objects.create(organization=town, year=today.year, title=f"{today.year}年度三型党建项目申报")
    set_phase(current, "application", admin)
    current = CALL.apply(current, "open", actor=admin)
    applications = [apply(current, orgs[2 + n], kinds[n], 60 + n) for n in range(3)]
    for project in applications[1:]:
        PROJECT.apply(project, "submit", actor=secretary_of(project))
    if stdout is not None:
        stdout.write(f"projects of {town}: {Project.objects.filter(organization__path__startswith=town.path).count()}")


def load_xinqiao(stdout: Any = None) -> None:
    root = xinqiao()
    admin = User.objects.filter(username="admin").first()
    if root is None or admin is None or Call.objects.filter(organization=root, year=2012).exists():
        return
    orgs = grassroots()
    leaders = list(User.objects.filter(username__in=["leader1", "leader2", "leader3"]).order_by("username"))
    rng = random.Random(2012)
    historical: list[Project] = []

    # 2012: 39 projects from 38 organizations (the first applied twice).
    types = [ProjectType.INNOVATION] * 7 + [ProjectType.DEMONSTRATION] * 22 + [ProjectType.INSTITUTIONAL] * 10
    rng.shuffle(types)
    call = historical_call(root, 2012)
    applicants = [*orgs, orgs[0]]
    # Two failed and one being rectified keep the year honest; the rest concluded.
    fates = [ProjectStatus.CONCLUDED] * 36 + [ProjectStatus.FAILED] * 2 + [ProjectStatus.RECTIFYING]
    for n, (organization, project_type, fate) in enumerate(zip(applicants, types, fates, strict=True)):
        historical.append(historical_project(call, organization, project_type, fate, n, leaders, rng))

    # 2013–2016: smaller calls, mostly concluded, one rejected each.
    for year in range(2013, 2017):
        call = historical_call(root, year)
        for n in range(6):
            organization = orgs[(year * 7 + n * 5) % len(orgs)]
            project_type = [ProjectType.INNOVATION, ProjectType.DEMONSTRATION, ProjectType.INSTITUTIONAL][n % 3]
            fate = ProjectStatus.REJECTED if n == 5 else ProjectStatus.CONCLUDED
            historical.append(historical_project(call, organization, project_type, fate, year + n, leaders, rng))

    concluded = [p for p in historical if p.status == ProjectStatus.CONCLUDED]
    spread_outcomes(concluded)
    promote(concluded, orgs, admin)
    seed_next_call(historical, admin)

    live_calls(root, orgs, admin, leaders, rng)
    if stdout is not None:
        stdout.write(f"projects: {Project.objects.count()} in {Call.objects.count()} calls")


def historical_call(root: Organization, year: int) -> Call:
    call = Call.objects.create(
        organization=root,
        year=year,
        title=f"{year}年度三型党建项目申报",
        status=CallStatus.CLOSED,
        application_start=datetime.date(year, 3, 1),
        application_end=datetime.date(year, 3, 31),
        review_start=datetime.date(year, 4, 1),
        review_end=datetime.date(year, 4, 30),
        implementation_start=datetime.date(year, 5, 1),
        implementation_end=datetime.date(year + 1, 4, 30),
        evaluation_start=datetime.date(year + 1, 5, 1),
        evaluation_end=datetime.date(year + 1, 6, 30),
    )
    log_activity(actor=None, action="call.create", target=call, params={"title": call.title})
    return call


def next_code(year: int, project_type: str, code_prefix: str = "") -> str:
    prefix = f"{year}-{TYPE_CODES[project_type]}"
    counter, _created = CodeCounter.objects.get_or_create(prefix=f"{code_prefix}-{prefix}" if code_prefix else prefix)
    counter.last += 1
    counter.save()
    return f"{counter.prefix}-{counter.last:03d}"


def historical_project(
    call: Call,
    organization: Organization,
    project_type: str,
    fate: str,
    n: int,
    leaders: list[User],
    rng: Any,
    code_prefix: str = "",
) -> Project:
    """A project of a past call as it ended, with its plan, five-fixed people and acceptance."""
    title, background, indicator, unit = title_for(organization, project_type, n)
    year = call.year
    decided = fate != ProjectStatus.REJECTED
    started = datetime.date(year, 5, 1)
    project = Project.objects.create(
        call=call,
        organization=organization,
        year=year,
        type=project_type,
        code=next_code(year, project_type, code_prefix) if decided else None,
        title=title,
        status=fate,
        background=background,
        approach=APPROACH,
        measures=MEASURES,
        expected_effects=EFFECTS,
        building_type=["learning", "service", "innovative"][n % 3],
        budget_requested=Decimal(rng.randrange(10, 60) * 1000),
        start_date=started,
        end_date=datetime.date(year + 1, 4, 30),
        lead_leader=leaders[n % len(leaders)] if decided else None,
        responsible=organization.secretary if decided else None,
        progress=100 if fate == ProjectStatus.CONCLUDED else (60 if decided else 0),
        decision_reason="经党委研究，同意立项。" if decided else "与已立项项目内容重复，不予立项。",
        conclusion_summary=f"{title}按计划完成，{EFFECTS}" if fate == ProjectStatus.CONCLUDED else "",
    )
    target = Decimal(rng.randrange(2, 20) * 10)
    reached = fate == ProjectStatus.CONCLUDED
    Indicator.objects.create(
        project=project, name=indicator, unit=unit, baseline=0, target=target, actual=target if reached else None
    )
    met = MilestoneStatus.MET if reached else (MilestoneStatus.PARTLY_MET if decided else MilestoneStatus.PENDING)
    for offset, step in ((60, "调研摸底、制定方案"), (200, "试点推进"), (330, "总结提炼")):
        Milestone.objects.create(
            project=project, title=step, due_date=started + datetime.timedelta(days=offset), status=met
        )
    if decided:
        TeamMember.objects.create(
            project=project, user=organization.secretary, name=str(organization.secretary), role="统筹"
        )
        TeamMember.objects.create(project=project, name="党员志愿者队伍", role="具体实施")
    if fate in (ProjectStatus.CONCLUDED, ProjectStatus.FAILED, ProjectStatus.RECTIFYING):
        passed = fate == ProjectStatus.CONCLUDED
        part = Decimal(rng.randrange(20, 25)) if passed else Decimal(rng.randrange(10, 15))
        total = part * 4
        Acceptance.objects.create(
            project=project,
            scheduled_on=datetime.date(year + 1, 5, 20),
            status=AcceptanceStatus.CONCLUDED,
            listen_score=part,
            look_score=part,
            check_score=part,
            ask_score=part,
            total=total,
            grade="优秀" if total >= 90 else "良好" if total >= 80 else "合格" if total >= 60 else "不合格",
            conclusion=CONCLUSION_OF_FATE[fate],
            interview_satisfied=rng.randrange(8, 15),
            interview_fairly=rng.randrange(2, 6),
            interview_basic=rng.randrange(0, 3),
            survey_open=False,
        )
    log_activity(
        actor=None,
        action="project.import",
        target=project,
        params={"year": year, "status": as_choice(project, "status")},
    )
    return project


CONCLUSION_OF_FATE: dict[str, str] = {
    ProjectStatus.CONCLUDED: AcceptanceConclusion.ACCEPTED,
    ProjectStatus.FAILED: AcceptanceConclusion.FAILED,
    ProjectStatus.RECTIFYING: AcceptanceConclusion.RECTIFY,
}


def spread_outcomes(concluded: list[Project]) -> None:
    """Give the concluded projects outcome counters that add up to the paper's figures."""
    by_type = {t: [p for p in concluded if p.type == t] for t in ProjectType.values}
    rules = by_type[ProjectType.INSTITUTIONAL][: OUTCOMES["rules_established"]]
    brands = by_type[ProjectType.DEMONSTRATION][: OUTCOMES["service_brands"]]
    solvers = by_type[ProjectType.INNOVATION] + by_type[ProjectType.DEMONSTRATION][16:]
    assert len(rules) == OUTCOMES["rules_established"] and len(brands) == OUTCOMES["service_brands"]
    for project in rules:
        project.rules_established = 1
    for project in brands:
        project.service_brands = 1
    for index, project in enumerate(solvers):
        share, extra = divmod(OUTCOMES["problems_solved"], len(solvers))
        project.problems_solved = share + (1 if index < extra else 0)
    for index, project in enumerate(concluded):
        share, extra = divmod(OUTCOMES["beneficiaries"], len(concluded))
        project.beneficiaries = share + (1 if index < extra else 0)
    Project.objects.bulk_update(concluded, [*OUTCOMES])


def promote(concluded: list[Project], orgs: list[Organization], admin: User) -> None:
    """Six concluded practices promoted, each adopted by two other organizations."""
    for n, project in enumerate(concluded[:6]):
        promotion = Promotion.objects.create(
            project=project,
            summary=f"{project.title}的做法：{APPROACH}经验表明，{EFFECTS}",
            promoted_by=admin,
        )
        log_activity(actor=admin, action="project.promote", target=project)
        adopters = [o for o in orgs if o != project.organization][n * 3 : n * 3 + 2]
        for adopter in adopters:
            Adoption.objects.create(
                promotion=promotion, organization=adopter, adopted_on=datetime.date(project.year + 1, 9, 1)
            )


def seed_next_call(historical: list[Project], admin: User) -> None:
    """A 2013 institutional project grown from a concluded 2012 innovation project."""
    source = next(
        p
        for p in historical
        if p.year == 2012 and p.type == ProjectType.INNOVATION and p.status == ProjectStatus.CONCLUDED
    )
    seeded = next(p for p in historical if p.year == 2013 and p.type == ProjectType.INSTITUTIONAL)
    seeded.seeded_from = source
    seeded.save(update_fields=["seeded_from"])


# ---- live calls, through the services ----------------------------------------------------------


def set_phase(call: Call, phase: str, admin: User) -> Call:
    """Set the call's dates so that today lies in `phase` (the demo's way of letting time pass)."""
    names = ("application", "review", "implementation", "evaluation")
    day = datetime.timedelta(days=1)
    lengths = {"application": 30, "review": 30, "implementation": 300, "evaluation": 60}
    start = timezone.localdate() - day * 5
    for name in reversed(names[: names.index(phase)]):
        start -= day * lengths[name]
    fields = {}
    for name in names:
        fields[f"{name}_start"] = start
        fields[f"{name}_end"] = start + day * (lengths[name] - 1)
        start += day * lengths[name]
    return services.call_save(actor=admin, organization=call.organization, call=call, fields=fields)


def live_calls(root: Organization, orgs: list[Organization], admin: User, leaders: list[User], rng: Any) -> None:
    today = timezone.localdate()
    experts = list(User.objects.filter(username__in=["expert1", "expert2", "expert3"]).order_by("username"))
    application_rubric = rubric_for(organization=root, purpose=Purpose.APPLICATION)
    acceptance_rubric = rubric_for(organization=root, purpose=Purpose.ACCEPTANCE)

    # Last year's call: running projects, now in its evaluation phase.
    last = Call.objects.create(organization=root, year=today.year - 1, title=f"{today.year - 1}年度三型党建项目申报")
    set_phase(last, "application", admin)
    last = CALL.apply(last, "open", actor=admin)
    running = [
        apply(
            last, orgs[n], [ProjectType.INNOVATION, ProjectType.DEMONSTRATION, ProjectType.INSTITUTIONAL][n % 3], 20 + n
        )
        for n in range(8)
    ]
    running = [PROJECT.apply(p, "submit", actor=secretary_of(p)) for p in running]
    set_phase(last, "review", admin)
    running = [PROJECT.apply(p, "start_review", actor=admin) for p in running]
    if application_rubric is not None:
        for p in running[:2]:
            score(p, application_rubric, experts, admin, rng)
    running = [PROJECT.apply(p, "approve", actor=admin, note="经党委研究，同意立项。") for p in running]
    set_phase(last, "implementation", admin)
    for n, project in enumerate(running[:7]):
        team = [
            {"name": str(secretary_of(project)), "role": "统筹协调"},
            {"name": "党员志愿者", "role": "活动实施"},
        ]
        services.five_fixed_save(
            actor=secretary_of(project),
            project=project,
            lead_leader=leaders[n % len(leaders)],
            responsible=secretary_of(project),
            team=team,
        )
        running[n] = PROJECT.apply(project, "start", actor=secretary_of(project))
    # running[7] stays approved without its 五定: its page says what is missing.
    for n, project in enumerate(running[:7]):
        first_report = project.reports.order_by("number").first()
        assert first_report is not None
        if n in (0, 1):  # overdue: one yellow, one red
            project.reports.filter(pk=first_report.pk).update(due_date=today - datetime.timedelta(days=5 + 20 * n))
        elif n == 2:
            project.milestones.filter(title="调研摸底、制定方案").update(due_date=today - datetime.timedelta(days=9))
        else:
            indicator = project.indicators.first()
            services.report_submit(
                actor=secretary_of(project),
                report=first_report,
                content="已召开动员会，完成调研摸底，组建党员志愿者队伍。",
                actuals={indicator.pk: indicator.target / 2} if indicator else {},
            )
            if n >= 4:
                services.report_review(
                    actor=admin, report=first_report, accept=n != 4, comment="" if n != 4 else "请补充活动照片。"
                )
                milestone = project.milestones.get(title="调研摸底、制定方案")
                services.milestone_assess(actor=admin, milestone=milestone, status=MilestoneStatus.MET)
    services.change_request_create(
        actor=secretary_of(running[3]),
        project=running[3],
        reason="试点楼组扩大，需要延长两个月。",
        end_date=(running[3].end_date or today) + datetime.timedelta(days=60),
    )
    set_phase(last, "evaluation", admin)
    if acceptance_rubric is not None:
        for project in running[5:7]:
            acceptance = services.acceptance_schedule(
                actor=admin,
                project=project,
                scheduled_on=today,
                panel=leaders[:2] + experts[:1],
                checklist=list(services.DEFAULT_CHECKLIST),
            )
            for k in range(6):
                services.survey_answer(
                    acceptance=acceptance,
                    mobile=f"139{project.pk:04d}{k:04d}",
                    satisfaction=[Satisfaction.SATISFIED, Satisfaction.SATISFIED, Satisfaction.FAIRLY][k % 3],
                )
        acceptance = running[6].acceptances.get()
        services.acceptance_record(
            actor=leaders[0],
            acceptance=acceptance,
            fields={
                "listen_notes": "汇报目标完成情况。",
                "listen_score": Decimal(22),
                "look_notes": "阵地整洁，台账齐全。",
                "look_score": Decimal(21),
                "check_score": Decimal(23),
                "ask_notes": "走访居民 12 户。",
                "ask_score": Decimal(22),
                "interview_satisfied": 9,
                "interview_fairly": 3,
            },
            checks={item.pk: (True, "") for item in acceptance.check_items.all()},
        )

    # This year's call: in its review phase.
    current = Call.objects.create(organization=root, year=today.year, title=f"{today.year}年度三型党建项目申报")
    set_phase(current, "application", admin)
    current = CALL.apply(current, "open", actor=admin)
    applications = [
        apply(
            current,
            orgs[10 + n],
            [ProjectType.INNOVATION, ProjectType.DEMONSTRATION, ProjectType.INSTITUTIONAL][n % 3],
            40 + n,
        )
        for n in range(9)
    ]
    # One draft never submitted; the others submitted.
    applications = [applications[0]] + [PROJECT.apply(p, "submit", actor=secretary_of(p)) for p in applications[1:]]
    set_phase(current, "review", admin)
    for p in applications[3:]:
        PROJECT.apply(p, "start_review", actor=admin)
    returned = PROJECT.apply(applications[3], "return", actor=admin, note="量化指标过少，请补充可考核的目标值。")
    if application_rubric is not None:
        for p in applications[4:7]:
            score(p, application_rubric, experts, admin, rng)
        review_open(subject=applications[7], rubric=application_rubric, reviewers=experts, actor=admin)
    services.discussion_record(
        actor=admin,
        call=current,
        held_on=today,
        title="党委会研究讨论三型项目申报（第一次）",
        attendees=[admin, *leaders],
        minutes="会议听取了各申报项目的评审情况，逐项进行了讨论。",
        outcomes=[
            (applications[4], "recommend", "评分较高"),
            (applications[5], "recommend", ""),
            (returned, "revise", "指标需量化"),
        ],
    )
    PROJECT.apply(applications[4], "approve", actor=admin, note="专家评分优秀，党委会研究同意立项。")
    PROJECT.apply(applications[8], "reject", actor=admin, note="与往年已立项项目内容重复。")


def secretary_of(project: Project) -> User:
    secretary = project.organization.secretary
    assert secretary is not None, "orgs demo gives every grassroots organization a secretary"
    return secretary


def apply(call: Call, organization: Organization, project_type: str, n: int) -> Project:
    title, background, indicator, unit = title_for(organization, project_type, n)
    start = max(timezone.localdate(), call.application_end or timezone.localdate())
    assert organization.secretary is not None
    return services.application_save(
        actor=organization.secretary,
        organization=organization,
        call=call,
        fields={
            "type": project_type,
            "title": title,
            "background": background,
            "approach": APPROACH,
            "measures": MEASURES,
            "expected_effects": EFFECTS,
            "building_type": "service",
            "budget_requested": Decimal(30000 + n * 1000),
            "start_date": start,
            "end_date": start + datetime.timedelta(days=330),
        },
        indicators=[{"name": indicator, "unit": unit, "baseline": Decimal(0), "target": Decimal(100)}],
        milestones=[
            {"title": "调研摸底、制定方案", "due_date": start + datetime.timedelta(days=60)},
            {"title": "试点推进", "due_date": start + datetime.timedelta(days=200)},
            {"title": "总结提炼", "due_date": start + datetime.timedelta(days=320)},
        ],
    )


def score(project: Project, rubric: Any, experts: list[User], admin: User, rng: Any) -> None:
    review = review_open(subject=project, rubric=rubric, reviewers=experts, actor=admin)
    criteria = list(rubric.criteria.all())
    for expert in experts:
        assignment = Assignment.objects.get(review=review, reviewer=expert)
        assignment_accept(assignment=assignment, actor=expert)
        scores = {}
        for criterion in criteria:
            if criterion.band_choices:
                scores[criterion.pk] = criterion.band_choices[rng.randrange(0, 2)][0]
            else:
                scores[criterion.pk] = (criterion.weight * Decimal(rng.randrange(75, 98)) / 100).quantize(
                    Decimal("0.1")
                )
        sheet_submit(assignment=assignment, scores=scores, comment="目标明确，措施可行。", actor=expert)

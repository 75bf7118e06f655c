"""Demo funds of 新桥镇党委: both funds' budgets from 2012 on, growing every year; support tiers;
reward awards to concluded projects and their leaders; this year's management-fund allocations
resting on initial assessments scored by the experts; disbursements, one still awaiting approval.
The second town's budgets of last year and this year, its tiers, and rewards to last year's concluded
projects, one paid out. Written through the services. Loading twice changes nothing.
"""

from decimal import Decimal
from typing import Any

from django.utils import timezone

from projectize.funds import services
from projectize.funds.models import Budget, FundKind
from projectize.orgs.demo import second_town, xinqiao
from projectize.orgs.models import User
from projectize.projects.models import Project, ProjectStatus
from projectize.reviews.models import Assignment, Purpose
from projectize.reviews.selectors import rubric_for
from projectize.reviews.services import assignment_accept, review_close, review_open, sheet_submit

FIRST_YEAR = 2012
TIERS = [("优秀", "重点支持", 50000), ("良好", "一般支持", 30000), ("合格", "基本支持", 10000)]


def budget_for(kind: str, year: int) -> Decimal:
    """Management grows 12 % a year from ¥200,000, reward 10 % from ¥100,000 (to the thousand)."""
    start, rate = (
        (Decimal(200000), Decimal("1.12")) if kind == FundKind.MANAGEMENT else (Decimal(100000), Decimal("1.10"))
    )
    return (start * rate ** (year - FIRST_YEAR)).quantize(Decimal(1000))


SHOWCASE_DEMO_YEAR = 2013


def load(stdout: Any = None) -> None:
    load_xinqiao(stdout)
    load_second_town(stdout)


def load_second_town(stdout: Any = None) -> None:
    town = second_town()
    admin, finance = User.objects.filter(username="sjadmin").first(), User.objects.filter(username="sjfinance").first()
    if town is None or admin is None or finance is None or Budget.objects.filter(organization=town).exists():
        return
    this_year = timezone.localdate().year
    for year in (this_year - 1, this_year):
        for kind in FundKind.values:
            amount = (budget_for(kind, year) * Decimal("0.3")).quantize(Decimal(1000))
            services.budget_create(
                organization=town, year=year, kind=kind, amount=amount, actor=admin, note="镇党委会议审定"
            )
    for grade, name, cap in TIERS:
        services.tier_save(organization=town, grade=grade, name=name, max_amount=Decimal(cap) / 2, actor=admin)
    concluded = Project.objects.filter(organization__path__startswith=town.path, status=ProjectStatus.CONCLUDED)
    rewards = [
        services.reward_award_create(
            year=project.year,
            amount=Decimal(10000 - 2000 * n),
            project=project,
            reason=f"{project.year}年度优秀党建项目奖励（第{n + 1}名）",
            actor=admin,
        )
        for n, project in enumerate(concluded.order_by("id")[:2])
    ]
    if rewards:
        request = services.disbursement_request(
            allocation=rewards[0],
            amount=Decimal(4000),
            purpose="项目总结展示材料制作",
            paid_on=timezone.localdate(),
            actor=finance,
        )
        services.disbursement_approve(disbursement=request, actor=admin)
    if stdout is not None:
        stdout.write(f"funds of {town}: {Budget.objects.filter(organization=town).count()} budget rows")


def load_xinqiao(stdout: Any = None) -> None:
    root = xinqiao()
    admin = User.objects.filter(username="admin").first()
    finance = User.objects.filter(username="finance").first()
    if root is None or admin is None or finance is None or Budget.objects.filter(organization=root).exists():
        return
    this_year = timezone.localdate().year
    for year in range(FIRST_YEAR, this_year + 1):
        for kind in FundKind.values:
            services.budget_create(
                organization=root, year=year, kind=kind, amount=budget_for(kind, year), actor=admin, note="党委会议审定"
            )
    for grade, name, cap in TIERS:
        services.tier_save(organization=root, grade=grade, name=name, max_amount=Decimal(cap), actor=admin)

    # Reward awards: the best concluded projects of each year, and their responsible people. The
    # showcase demo's year is left out: its awards enter the reward fund through the showcase itself.
    concluded = Project.objects.filter(organization__path__startswith=root.path, status=ProjectStatus.CONCLUDED)
    for year in sorted(set(concluded.values_list("year", flat=True)) - {SHOWCASE_DEMO_YEAR}):
        for n, project in enumerate(concluded.filter(year=year).order_by("id")[:3]):
            services.reward_award_create(
                year=year,
                amount=Decimal(20000 - 5000 * n),
                project=project,
                reason=f"{year}年度优秀党建项目奖励（第{n + 1}名）",
                actor=admin,
            )
            if n == 0 and project.responsible is not None:
                services.reward_award_create(
                    year=year,
                    amount=Decimal(5000),
                    project=project,
                    person=project.responsible,
                    reason=f"{year}年度优秀项目负责人",
                    actor=admin,
                )

    # This year's management fund: initial assessments, allocations by tier, disbursements.
    rubric = rubric_for(organization=root, purpose=Purpose.INITIAL_ASSESSMENT)
    experts = list(User.objects.filter(username__in=["expert1", "expert2"]).order_by("username"))
    running = Project.objects.filter(organization__path__startswith=root.path, status=ProjectStatus.IN_PROGRESS)
    allocations = []
    if rubric is not None and experts:
        for n, project in enumerate(running.order_by("id")[:4]):
            review = review_open(subject=project, rubric=rubric, reviewers=experts, actor=admin)
            for expert in experts:
                assignment = Assignment.objects.get(review=review, reviewer=expert)
                assignment_accept(assignment=assignment, actor=expert)
                band = rubric.criteria.first().band_choices[min(n, 1)][0]  # type: ignore[union-attr]
                sheet_submit(
                    assignment=assignment,
                    scores={criterion.pk: band for criterion in rubric.criteria.all()},
                    comment="基础扎实，方案可行。",
                    actor=expert,
                )
            review_close(review=review, actor=admin)
            assessment = services.initial_assessment(project)
            tier = next((t for t in TIERS if assessment and t[0] == assessment[1]), None)
            if tier is not None:
                allocations.append(
                    services.allocation_create(
                        project=project,
                        year=this_year,
                        amount=Decimal(tier[2]) * Decimal("0.8"),
                        reason="依据项目初期评估定向支持",
                        actor=admin,
                    )
                )
    today = timezone.localdate()
    for n, allocation in enumerate(allocations[:3]):
        request = services.disbursement_request(
            allocation=allocation,
            amount=Decimal(6000 + 1500 * n),
            purpose=["宣传展板制作", "志愿者培训场地和资料", "议事厅桌椅添置"][n],
            paid_on=today,
            actor=finance,
        )
        if n < 2:
            services.disbursement_approve(disbursement=request, actor=admin)
    if stdout is not None:
        stdout.write(
            f"funds: budgets {FIRST_YEAR}–{this_year}, {len(allocations)} allocations, "
            f"{Budget.objects.filter(organization=root).count()} budget rows"
        )

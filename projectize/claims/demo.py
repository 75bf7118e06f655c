"""Demo claims: all 18 家新桥 targets claimed and awarded to the 27 claiming units, a few objections.

Claims go through the services. The demo's history is compressed into the present: after the
claims are in, the claim deadline and the notice period are moved into the past so each step can
follow the one before it today.
"""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from projectize.claims import services
from projectize.claims.models import Claim
from projectize.orgs.demo import CLAIMING_UNITS, ROOT_NAME
from projectize.orgs.models import Organization, Role, RoleGrant, User
from projectize.programmes.demo import TITLE
from projectize.programmes.models import Programme, Target, TargetStatus
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
    root = Organization.objects.get_root_nodes().get(name=ROOT_NAME)
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
    # The claim window closes.
    Programme.objects.filter(pk=programme.pk).update(claim_closes=timezone.now() - timedelta(minutes=1))
    experts = list(User.objects.filter(username__in=["expert1", "expert2", "expert3"]))
    for number, target in enumerate(targets):
        target = services.target_start_selection(target=Target.objects.get(pk=target.pk), actor=admin)
        chosen = {unit.pk for unit in winners[number]}
        score(target, experts, chosen, admin)
        for claim in target.claims.select_related("organization").order_by("pk"):
            if claim.organization_id in chosen:
                services.claim_decide(claim=claim, actor=admin, selected=True, reason="方案具体可行，资源与标的匹配。")
            else:
                services.claim_decide(
                    claim=claim, actor=admin, selected=False, reason="已承接其他标的，力量不宜分散；方案针对性稍弱。"
                )
        services.target_start_notice(target=target, actor=admin)
        for objection_target, content, answer in OBJECTIONS:
            if objection_target == number:
                objection = services.objection_lodge(target=target, content=content, name="居民")
                services.objection_answer(objection=objection, actor=admin, upheld=False, answer=answer)
    # The notice period ends.
    ended = timezone.now() - timedelta(minutes=1)
    Target.objects.filter(programme=programme, status=TargetStatus.NOTICE).update(
        notice_starts_at=ended - timedelta(days=programme.notice_days), notice_ends_at=ended
    )
    for target in programme.targets.order_by("section__order", "order", "id"):
        services.target_award(target=target, actor=admin)
    if stdout is not None:
        stdout.write(f"claims: {Claim.objects.filter(target__programme=programme).count()}")


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

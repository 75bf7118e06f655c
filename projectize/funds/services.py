"""Every write to the two funds (两增). Other apps use `reward_award_create` to grant reward-fund awards.

Rules kept here and, as a backstop, in the database (see models.py):
- allocations and awards never exceed their budget; disbursements never exceed their allocation;
- amounts are positive with at most two decimals;
- ledger rows are never edited: `allocation_reverse` and `disbursement_reverse` add a reversing
  entry with a reason;
- whoever requests a disbursement cannot approve it.

Money writes lock rows in one fixed order, budget → allocation, so two writers racing for the same
budget wait for each other instead of overspending. (SQLite has no row locks; its IMMEDIATE
transactions, set in settings, make writers take turns. The CHECK constraints stop anything else.)

Bad input raises `django.core.exceptions.ValidationError`, keyed by the form field at fault
("amount", "year", ...); a user without the right gets `PermissionDenied`. Nothing changes when
anything is refused.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, QuerySet, Sum
from django.utils.translation import gettext as _

from projectize.core.activity import as_money
from projectize.core.plausible import date_outside_years
from projectize.core.services import attachments_add, log_activity, notify
from projectize.core.templatetags.projectize import money
from projectize.funds.models import (
    Allocation,
    Budget,
    Disbursement,
    DisbursementStatus,
    FundKind,
    SupportTier,
    signed_amount,
)
from projectize.funds.rules import is_fund_officer
from projectize.funds.workflows import DISBURSEMENT
from projectize.orgs.models import Organization, Role, RoleGrant, User
from projectize.orgs.selectors import committee_of
from projectize.projects.models import Project
from projectize.reviews.models import Purpose, Review, ReviewStatus
from projectize.reviews.selectors import review_result, reviews_of

# The rubric purpose of the 项目初期评估 that management-fund allocations rest on.
INITIAL_ASSESSMENT = Purpose.INITIAL_ASSESSMENT


def check_amount(amount: Any, field: str = "amount") -> Decimal:
    """A positive Decimal with at most two decimals, or a ValidationError on `field`."""
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise ValidationError({field: _("请输入金额数字。")})
    if amount <= 0:
        raise ValidationError({field: _("金额必须大于 0。")})
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValidationError({field: _("金额最多保留两位小数。")})
    return amount


def _require_officer(actor: User, organization: Organization) -> None:
    if not is_fund_officer(actor, organization):
        raise PermissionDenied(_("您无权管理该党委的经费。"))


def _fund_officers(committee: Organization) -> list[User]:
    grants = RoleGrant.objects.filter(organization=committee, role__in=[Role.FINANCE, Role.TOWN_ADMIN])
    return [grant.user for grant in grants.select_related("user")]


def budget_create(
    *, organization: Organization, year: int, kind: str, amount: Decimal, actor: User, note: str = ""
) -> Budget:
    _require_officer(actor, organization)
    check_amount(amount)
    if kind not in FundKind.values:
        raise ValidationError({"kind": _("请选择经费类别。")})
    with transaction.atomic():
        if Budget.objects.filter(organization=organization, year=year, kind=kind).exists():
            raise ValidationError({"year": _("该年度已有这一类经费的预算，请修改原预算。")})
        budget = Budget.objects.create(
            organization=organization, year=year, kind=kind, amount=amount, note=note, created_by=actor
        )
        log_activity(
            actor=actor,
            action="budget.create",
            target=budget,
            params={"amount": as_money(amount)},
            after={"amount": as_money(amount)},
        )
    return budget


def budget_revise(*, budget: Budget, amount: Decimal, reason: str, actor: User) -> Budget:
    """Change a budget's total (追加或调减). It cannot fall below what is already allocated."""
    _require_officer(actor, budget.organization)
    check_amount(amount)
    if not reason.strip():
        raise ValidationError({"reason": _("请填写调整理由。")})
    with transaction.atomic():
        locked = Budget.objects.select_for_update().get(pk=budget.pk)
        if amount < locked.committed:
            raise ValidationError(
                {"amount": _("预算不能少于已分配的 %(committed)s。") % {"committed": money(locked.committed)}}
            )
        before = locked.amount
        locked.amount = amount
        locked.save(update_fields=["amount"])
        log_activity(
            actor=actor,
            action="budget.revise",
            target=locked,
            params={"amount": as_money(amount), "note": reason},
            before={"amount": as_money(before)},
            after={"amount": as_money(amount)},
        )
    return locked


def _commit_to_budget(budget_pk: int, amount: Decimal) -> Budget:
    """Lock the budget row and set `amount` aside from it, or refuse beside the amount field."""
    budget = Budget.objects.select_for_update().get(pk=budget_pk)
    if amount > budget.available:
        raise ValidationError(
            {
                "amount": _("超出预算余额：%(budget)s 仅余 %(available)s。")
                % {"budget": budget, "available": money(budget.available)}
            }
        )
    Budget.objects.filter(pk=budget.pk).update(committed=F("committed") + amount)
    return budget


def _budget_for(committee: Organization, year: int, kind: str) -> Budget:
    budget = Budget.objects.filter(organization=committee, year=year, kind=kind).first()
    if budget is None:
        raise ValidationError(
            {"year": _("%(year)s 年尚未设立%(kind)s预算。") % {"year": year, "kind": FundKind(kind).label}}
        )
    return budget


def initial_assessment(project: Project) -> tuple[Review, str] | None:
    """The project's latest finished initial assessment (项目初期评估) and the grade it gave, if any."""
    review = reviews_of(project).filter(rubric__purpose=INITIAL_ASSESSMENT, status=ReviewStatus.CLOSED).first()
    return (review, review_result(review).grade) if review is not None else None


def allocation_create(*, project: Project, year: int, amount: Decimal, reason: str, actor: User) -> Allocation:
    """Allocate management-fund money to a project, within the support tier its initial assessment earned."""
    committee = committee_of(project.organization)
    _require_officer(actor, committee)
    check_amount(amount)
    if not reason.strip():
        raise ValidationError({"reason": _("请填写分配事由。")})
    assessment = initial_assessment(project)
    if assessment is None:
        raise ValidationError(_("该项目还没有完成项目初期评估，不能分配专项管理经费。"))
    review, grade = assessment
    tier = SupportTier.objects.filter(organization=committee, grade=grade).first()
    if tier is None:
        raise ValidationError(_("初期评估等级“%(grade)s”没有对应的支持档次，不能分配专项管理经费。") % {"grade": grade})
    budget = _budget_for(committee, year, FundKind.MANAGEMENT)
    with transaction.atomic():
        _commit_to_budget(budget.pk, amount)
        already = _net_allocated(Allocation.objects.filter(budget=budget, project=project))
        if already + amount > tier.max_amount:
            raise ValidationError(
                {
                    "amount": _("超出“%(tier)s”档次上限 %(limit)s（本年度已分配 %(already)s）。")
                    % {"tier": tier.name, "limit": money(tier.max_amount), "already": money(already)}
                }
            )
        allocation = Allocation.objects.create(
            budget=budget,
            project=project,
            tier=tier,
            assessment=review,
            grade=grade,
            amount=amount,
            reason=reason,
            created_by=actor,
        )
        log_activity(
            actor=actor,
            action="allocation.create",
            target=allocation,
            params={"amount": as_money(amount), "note": reason},
            after={"amount": as_money(amount), "tier": tier.name},
        )
        log_activity(actor=actor, action="allocation.create", target=project, params={"amount": as_money(amount)})
    return allocation


def reward_award_create(
    *,
    year: int,
    amount: Decimal,
    reason: str,
    actor: User,
    project: Project | None = None,
    person: User | None = None,
    committee: Organization | None = None,
) -> Allocation:
    """Grant a reward-fund award (专项奖励经费) to a project, to a person (a project leader), or to both
    (the person, for that project). Draws on the `year` reward budget of the committee that runs the
    project (or `committee`, required for an award to a person with no project).

    Refuses with ValidationError when there is no such budget (key "year"), when the amount is not
    positive with at most two decimals or exceeds what the budget has left (key "amount"), or when
    `reason` is empty (key "reason"); PermissionDenied when `actor` is not finance staff or an
    administrator of that committee. Returns the new Allocation (its `budget.kind` is "reward").
    """
    if project is None and person is None:
        raise ValidationError(_("请指定获奖项目或个人。"))
    if committee is None:
        if project is None:
            raise ValidationError(_("奖励个人时请指定主管党委。"))
        committee = committee_of(project.organization)
    _require_officer(actor, committee)
    check_amount(amount)
    if not reason.strip():
        raise ValidationError({"reason": _("请填写奖励事由。")})
    budget = _budget_for(committee, year, FundKind.REWARD)
    with transaction.atomic():
        _commit_to_budget(budget.pk, amount)
        award = Allocation.objects.create(
            budget=budget, project=project, person=person, amount=amount, reason=reason, created_by=actor
        )
        params = {"amount": as_money(amount), "note": reason}
        log_activity(
            actor=actor, action="reward.create", target=award, params=params, after={"amount": as_money(amount)}
        )
        if project is not None:
            log_activity(actor=actor, action="reward.create", target=project, params=params)
    return award


def allocation_reverse(*, allocation: Allocation, reason: str, actor: User) -> Allocation:
    """Take back a whole allocation or award with a reversing entry. Its disbursements must be reversed first."""
    _require_officer(actor, allocation.budget.organization)
    if not reason.strip():
        raise ValidationError({"reason": _("请填写冲销理由。")})
    with transaction.atomic():
        budget = Budget.objects.select_for_update().get(pk=allocation.budget_id)
        locked = Allocation.objects.select_for_update().get(pk=allocation.pk)
        if locked.is_reversal:
            raise ValidationError(_("冲销记录本身不能再冲销。"))
        if Allocation.objects.filter(reverses=locked).exists():
            raise ValidationError(_("这笔记录已经冲销过了。"))
        if locked.drawn:
            raise ValidationError(_("这笔经费已有支出或待审批的支出，请先冲销或驳回这些支出。"))
        reversal = Allocation.objects.create(
            budget=budget,
            project=locked.project,
            person=locked.person,
            tier=locked.tier,
            assessment_id=locked.assessment_id,
            grade=locked.grade,
            amount=locked.amount,
            reason=reason,
            reverses=locked,
            created_by=actor,
        )
        Budget.objects.filter(pk=budget.pk).update(committed=F("committed") - locked.amount)
        log_activity(
            actor=actor,
            action="allocation.reverse",
            target=locked,
            params={"amount": as_money(locked.amount), "note": reason},
        )
    return reversal


def _payment_date_problem(allocation: Allocation, paid_on: date) -> str | None:
    """A payment falls in the budget's year or the project's, give or take a year (late receipts)."""
    project = allocation.project
    dates = (project.start_date, project.end_date) if project else ()
    years = [allocation.budget.year] + [d.year for d in dates if d]
    return date_outside_years(paid_on, min(years) - 1, max(years) + 1)


def disbursement_request(
    *,
    allocation: Allocation,
    amount: Decimal,
    purpose: str,
    paid_on: date,
    actor: User,
    receipts: Iterable[Any] = (),
) -> Disbursement:
    """Ask to pay `amount` from an allocation. The money is reserved at once; another officer approves."""
    committee = allocation.budget.organization
    _require_officer(actor, committee)
    check_amount(amount)
    if not purpose.strip():
        raise ValidationError({"purpose": _("请填写用途。")})
    if problem := _payment_date_problem(allocation, paid_on):
        raise ValidationError({"paid_on": problem})
    with transaction.atomic():
        Budget.objects.select_for_update().get(pk=allocation.budget_id)
        locked = Allocation.objects.select_for_update().get(pk=allocation.pk)
        if locked.is_reversal or Allocation.objects.filter(reverses=locked).exists():
            raise ValidationError(_("这笔经费已冲销，不能再支出。"))
        if amount > locked.available:
            raise ValidationError(
                {"amount": _("超出可支出余额：仅余 %(available)s。") % {"available": money(locked.available)}}
            )
        Allocation.objects.filter(pk=locked.pk).update(drawn=F("drawn") + amount)
        disbursement = Disbursement.objects.create(
            allocation=locked, amount=amount, purpose=purpose, paid_on=paid_on, requested_by=actor
        )
        attachments_add(target=disbursement, files=receipts, actor=actor, purpose="receipt")
        params = {"amount": as_money(amount), "purpose": purpose}
        log_activity(
            actor=actor,
            action="disbursement.request",
            target=disbursement,
            params=params,
            after={"amount": as_money(amount)},
        )
        notify(
            recipients=[user for user in _fund_officers(committee) if user != actor],
            verb="disbursement.pending",
            params=params,
            url=disbursement.get_absolute_url(),
        )
    return disbursement


def disbursement_approve(*, disbursement: Disbursement, actor: User) -> Disbursement:
    approved: Disbursement = DISBURSEMENT.apply(disbursement, "approve", actor=actor)
    return approved


def disbursement_reject(*, disbursement: Disbursement, actor: User, note: str) -> Disbursement:
    rejected: Disbursement = DISBURSEMENT.apply(disbursement, "reject", actor=actor, note=note)
    return rejected


def disbursement_reverse(*, disbursement: Disbursement, reason: str, actor: User) -> Disbursement:
    """Undo an approved payment with a reversing entry; the money returns to the allocation."""
    allocation = disbursement.allocation
    _require_officer(actor, allocation.budget.organization)
    if not reason.strip():
        raise ValidationError({"reason": _("请填写冲销理由。")})
    with transaction.atomic():
        Budget.objects.select_for_update().get(pk=allocation.budget_id)
        Allocation.objects.select_for_update().get(pk=allocation.pk)
        original = Disbursement.objects.get(pk=disbursement.pk)
        if original.is_reversal:
            raise ValidationError(_("冲销记录本身不能再冲销。"))
        if not DISBURSEMENT.in_group(original, "paid"):
            raise ValidationError(_("只有已批准的支出需要冲销；待审批的支出请直接驳回。"))
        if Disbursement.objects.filter(reverses=original).exists():
            raise ValidationError(_("这笔记录已经冲销过了。"))
        reversal = Disbursement.objects.create(
            allocation=allocation,
            amount=original.amount,
            purpose=reason,
            paid_on=original.paid_on,
            status=DisbursementStatus.APPROVED,
            reverses=original,
            requested_by=actor,
        )
        Allocation.objects.filter(pk=allocation.pk).update(drawn=F("drawn") - original.amount)
        log_activity(
            actor=actor,
            action="disbursement.reverse",
            target=original,
            params={"amount": as_money(original.amount), "note": reason},
        )
    return reversal


def tier_save(*, organization: Organization, grade: str, name: str, max_amount: Decimal, actor: User) -> SupportTier:
    """Set the support tier for one assessment grade (later allocations use the new setting)."""
    _require_officer(actor, organization)
    check_amount(max_amount, "max_amount")
    with transaction.atomic():
        tier, created = SupportTier.objects.update_or_create(
            organization=organization, grade=grade, defaults={"name": name, "max_amount": max_amount}
        )
        log_activity(
            actor=actor,
            action="tier.create" if created else "tier.change",
            target=tier,
            organization=organization,
            params={"name": name, "max_amount": as_money(max_amount)},
            after={"grade": grade, "name": name, "max_amount": as_money(max_amount)},
        )
    return tier


def _net_allocated(allocations: QuerySet[Allocation]) -> Decimal:
    return allocations.aggregate(total=Sum(signed_amount()))["total"] or Decimal(0)


def tiers_copy(*, source: Organization, target: Organization, actor: User) -> list[SupportTier]:
    """A new committee's own copies of another committee's support tiers (a district's defaults for a town
    it creates); the target's to change afterwards."""
    with transaction.atomic():
        return [
            tier_save(organization=target, grade=tier.grade, name=tier.name, max_amount=tier.max_amount, actor=actor)
            for tier in SupportTier.objects.filter(organization=source).order_by("id")
        ]

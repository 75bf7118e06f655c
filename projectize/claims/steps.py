"""Guards, effects and recipients of the claims' and objections' steps, and the claims' part of a target's steps
(the claims a step needs, what it tells the units)."""

from collections.abc import Mapping

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from projectize.claims.models import Claim, ClaimStatus, Objection, ObjectionStatus
from projectize.core.activity import as_date
from projectize.core.services import notify
from projectize.core.workflow import NextStep
from projectize.orgs.models import Organization, Role, RoleGrant, User
from projectize.programmes.models import Target, TargetStatus
from projectize.programmes.steps import when
from projectize.programmes.workflows import TARGET


def staff_of(organization: Organization) -> list[User]:
    """Town admins over `organization` (grants at it or at any organization above it)."""
    step = Organization.steplen
    paths = [organization.path[:end] for end in range(step, len(organization.path) + 1, step)]
    grants = RoleGrant.objects.filter(role=Role.TOWN_ADMIN, organization__path__in=paths).select_related("user")
    return [grant.user for grant in grants]


def claims_on(target: Target, group: str) -> QuerySet[Claim]:
    return Claim.objects.filter(target=target, status__in=ClaimStatus.group(group))


# Claims by units.


def open_problem(target: Target) -> str | None:
    """Claims are taken only while the target is published and its claim window is open."""
    now = timezone.now()
    if target.status not in TargetStatus.group("open_for_claims"):
        return _("该标的当前不接受认领（%(status)s）。") % {"status": target.get_status_display()}
    if now >= target.deadline:
        return _("认领已于 %(deadline)s 截止，不再受理。") % {"deadline": when(target.deadline)}
    if now < target.programme.claim_opens:
        return _("认领将于 %(opens)s 开始，请届时再提交。") % {"opens": when(target.programme.claim_opens)}
    return None


def missing_parts(claim: Claim, resources: Mapping[str, str]) -> dict[str, str]:
    """A claim is submitted whole: plan, reasons, team, timeline and at least one kind of resource."""
    problems = {
        name: _("提交认领前请填写此项。")
        for name in ("plan", "reasons", "team", "timeline")
        if not getattr(claim, name).strip()
    }
    if not any(text.strip() for text in resources.values()):
        problems["resources"] = _("请至少说明一类可投入的资源。")
    return problems


def submit_problem(claim: Claim) -> str | None:
    problem = open_problem(claim.target)
    if problem is None and missing_parts(claim, {r.kind: r.description for r in claim.resources.all()}):
        problem = _("认领内容还不完整：请先修改，填写实施方案、认领理由、团队、时间安排和至少一类资源。")
    return problem


def on_submit(claim: Claim, actor: User, note: str) -> None:
    claim.submitted_at = timezone.now()
    notify(
        recipients=staff_of(claim.target.organization),
        verb="claim.new",
        params={"claim": claim},
        url=claim.get_absolute_url(),
        email=False,
    )


def withdraw_problem(claim: Claim) -> str | None:
    """A unit may withdraw its claim until the deadline; afterwards the committee counts on it."""
    return None if claim.target.is_open_for_claims else _("认领已截止，不能再撤回。")


# The committee's decision on one claim.


def record_decision(claim: Claim, actor: User, reason: str) -> None:
    """The decision's input (the selection page's form): its reason, shown to the unit, and who decided when."""
    claim.decision_reason = reason.strip()
    claim.decided_by = actor
    claim.decided_at = timezone.now()


def select_problem(claim: Claim) -> str | None:
    """At most `max_units` claims are selected."""
    others = Claim.objects.filter(target_id=claim.target_id, status=ClaimStatus.SELECTED).exclude(pk=claim.pk)
    if others.count() >= claim.target.max_units:
        return _("该标的最多由 %(max)d 家单位承接，已选满。请先改选其他单位。") % {"max": claim.target.max_units}
    return None


def pass_lead_on(claim: Claim, actor: User, note: str) -> None:
    """A lead not chosen passes the lead on to the next unit selected."""
    if claim.is_lead:
        claim.is_lead = False
        others = Claim.objects.filter(target_id=claim.target_id, status=ClaimStatus.SELECTED).exclude(pk=claim.pk)
        following = others.order_by("decided_at", "pk").first()
        if following is not None:
            Claim.objects.filter(pk=following.pk).update(is_lead=True)


def reopen(claim: Claim, actor: User, note: str) -> None:
    claim.is_lead = False


def decision_waiting(user: User, claim: Claim) -> NextStep:
    return NextStep(_("未选中。理由：%(reason)s") % {"reason": claim.decision_reason}, tone="info")


def award_waiting(user: User, claim: Claim) -> NextStep:
    if claim.project is None:
        return NextStep(_("认领成功。"), tone="success")
    text = _("认领成功，已立项：%(project)s，请完善五定信息。") % {"project": claim.project}
    return NextStep(text, claim.project.get_absolute_url(), tone="success")


# Objections.


def answer(objection: Objection, actor: User, note: str) -> None:
    objection.answer = note.strip()
    objection.answered_by = actor
    objection.answered_at = timezone.now()


def uphold(objection: Objection, actor: User, note: str) -> None:
    """An upheld objection sends the target, while still noticed, back to the selection."""
    answer(objection, actor, note)
    if objection.target.status == TargetStatus.NOTICE:
        TARGET.apply(objection.target, "reconsider", actor=actor, note=objection.answer)


# The claims' part of a target's steps (programmes.claiming): what they need of the claims.


def has_claims_to_weigh(target: Target) -> str | None:
    if not claims_on(target, "decidable").filter(status=ClaimStatus.SUBMITTED).exists():
        return _("该标的无人认领：请重新发布或关闭。")
    return None


def nobody_claimed(target: Target) -> str | None:
    if claims_on(target, "made").exists():
        return _("该标的已有认领，请开始综合考量。")
    return None


def all_decided(target: Target) -> str | None:
    claims = claims_on(target, "decidable")
    if claims.filter(status=ClaimStatus.SUBMITTED).exists():
        return _("还有认领未作决定：请对每家单位选定或说明不选的理由。")
    if not claims.filter(status=ClaimStatus.SELECTED).exists():
        return _("请至少选定一家认领单位。")
    return None


def tell_notice(target: Target, actor: User, note: str) -> None:
    assert target.notice_ends_at is not None
    notify(
        recipients=[c.contact for c in claims_on(target, "decidable").select_related("contact")],
        verb="claim.notice",
        params={"target": target, "end": as_date(target.notice_ends_at)},
        url=target.get_public_url(),
    )


def awardable(target: Target) -> str | None:
    if Objection.objects.filter(target=target, status=ObjectionStatus.OPEN).exists():
        return _("还有异议未答复，请先答复每一条异议。")
    chosen = Claim.objects.filter(target=target, status=ClaimStatus.SELECTED).count()
    if not chosen or chosen > target.max_units:
        return _("选定的单位数不符合要求，请重新考量。")
    return None

"""Every write of open claiming: claims, the committee's selection, public notice, objections and award.

Locking: a step that depends on the target's state locks the target row first, then the claims
(always in this order). So a claim racing the deadline and the start of selection, or two staff
awarding one target at once, are serialised: each sees the other's committed result.
"""

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from projectize.claims.models import (
    DECIDABLE,
    EDITABLE,
    Claim,
    ClaimResource,
    ClaimStatus,
    Objection,
    ObjectionStatus,
)
from projectize.core.activity import as_choice, as_date
from projectize.core.services import attachments_add, log_activity, notify
from projectize.core.workflow import TransitionError
from projectize.needs import services as need_services
from projectize.orgs.models import Organization, Role, RoleGrant, User
from projectize.orgs.permissions import has_role
from projectize.programmes.models import Target, TargetStatus
from projectize.projects import services as project_services
from projectize.reviews import selectors as review_selectors
from projectize.reviews import services as review_services
from projectize.reviews.models import Review

CLAIM_PURPOSE = "claim"


def _require_staff(actor: Any, target: Target) -> None:
    if not has_role(actor, [Role.TOWN_ADMIN], target.organization):
        raise PermissionDenied(_("只有镇党委管理员可以办理认领。"))


def _require_contact(actor: Any, organization: Organization) -> None:
    if not has_role(actor, [Role.CLAIM_CONTACT], organization):
        raise PermissionDenied(_("只有本单位的认领联系人可以办理认领。"))


def _lock(target: Target) -> Target:
    return Target.objects.select_for_update().select_related("programme").get(pk=target.pk)


def _when(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _check_open(target: Target) -> None:
    """Claims are taken only while the target is published and its claim window is open."""
    now = timezone.now()
    if target.status != TargetStatus.PUBLISHED:
        raise TransitionError(_("该标的当前不接受认领（%(status)s）。") % {"status": target.get_status_display()})
    if now >= target.deadline:
        raise TransitionError(_("认领已于 %(deadline)s 截止，不再受理。") % {"deadline": _when(target.deadline)})
    if now < target.programme.claim_opens:
        raise TransitionError(
            _("认领将于 %(opens)s 开始，请届时再提交。") % {"opens": _when(target.programme.claim_opens)}
        )


def staff_of(organization: Organization) -> list[User]:
    """Town admins over `organization` (grants at it or at any organization above it)."""
    step = Organization.steplen
    paths = [organization.path[:end] for end in range(step, len(organization.path) + 1, step)]
    grants = RoleGrant.objects.filter(role=Role.TOWN_ADMIN, organization__path__in=paths).select_related("user")
    return [grant.user for grant in grants]


def _log(claim: Claim, actor: Any, code: str, params: dict[str, Any] | None = None, before: str = "") -> None:
    """Log a step on a claim; `before` is the status it left, if it changed."""
    log_activity(
        actor=actor,
        action=code,
        target=claim,
        params=params,
        before={"status": as_choice(claim, "status", before)} if before else None,
        after={"status": as_choice(claim, "status")} if before else None,
    )


# Claims by units.


@transaction.atomic
def claim_save(
    *,
    actor: Any,
    target: Target,
    organization: Organization,
    plan: str,
    reasons: str,
    team: str,
    timeline: str,
    resources: Mapping[str, str],
    files: Iterable[UploadedFile] = (),
    claim: Claim | None = None,
    submit: bool = False,
) -> Claim:
    """Create or update the unit's claim while claiming is open. `resources` maps a ResourceKind to what is offered.

    A draft may be incomplete; a claim already submitted stays submitted and must stay complete.
    With `submit`, a draft is saved and submitted together, or neither.
    """
    _require_contact(actor, organization)
    if not organization.path.startswith(target.organization.path):
        raise PermissionDenied(_("本单位不在该标的主办党委的范围内。"))
    try:
        with transaction.atomic():
            locked_target = _lock(target)
            _check_open(locked_target)
            if claim is None:
                claim = Claim(target=locked_target, organization=organization, contact=actor)
            else:
                claim = Claim.objects.select_for_update().get(pk=claim.pk)
                if claim.organization_id != organization.pk or claim.target_id != target.pk:
                    raise PermissionDenied
                if claim.status not in EDITABLE:
                    raise TransitionError(_("认领%(status)s，不能再修改。") % {"status": claim.get_status_display()})
            created = claim.pk is None
            claim.plan, claim.reasons, claim.team, claim.timeline = plan, reasons, team, timeline
            claim.full_clean(exclude=["target", "organization", "contact"])
            if claim.status == ClaimStatus.SUBMITTED:
                check_complete(claim, resources)
            claim.save()
            claim.resources.all().delete()
            ClaimResource.objects.bulk_create(
                ClaimResource(claim=claim, kind=kind, description=text.strip())
                for kind, text in resources.items()
                if text.strip()
            )
            attachments_add(target=claim, files=files, actor=actor, purpose="claim")
            if claim.status == ClaimStatus.SUBMITTED:
                _log(claim, actor, "claim.amend")
            else:
                _log(claim, actor, "claim.create" if created else "claim.update")
    except IntegrityError:
        raise TransitionError(_("本单位已认领该标的，请在“我的认领”中继续办理。")) from None
    if submit and claim.status == ClaimStatus.DRAFT:
        return claim_submit(claim=claim, actor=actor)
    return claim


def check_complete(claim: Claim, resources: Mapping[str, str]) -> None:
    """A claim is submitted whole: plan, reasons, team, timeline and at least one kind of resource."""
    problems = {
        name: _("提交认领前请填写此项。")
        for name in ("plan", "reasons", "team", "timeline")
        if not getattr(claim, name).strip()
    }
    if not any(text.strip() for text in resources.values()):
        problems["resources"] = _("请至少说明一类可投入的资源。")
    if problems:
        raise ValidationError(problems)


def claim_submit(*, claim: Claim, actor: Any) -> Claim:
    """Submit before the deadline. Locks the target, so a submission and the deadline never cross."""
    _require_contact(actor, claim.organization)
    with transaction.atomic():
        target = _lock(claim.target)
        locked = Claim.objects.select_for_update().get(pk=claim.pk)
        if locked.status != ClaimStatus.DRAFT:
            raise TransitionError(_("只有草稿可以提交。"))
        _check_open(target)
        check_complete(locked, {r.kind: r.description for r in locked.resources.all()})
        locked.status = ClaimStatus.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["status", "submitted_at", "updated_at"])
        _log(locked, actor, "claim.submit", before=ClaimStatus.DRAFT)
        notify(
            recipients=staff_of(target.organization),
            verb="claim.new",
            params={"claim": locked},
            url=locked.get_absolute_url(),
            email=False,
        )
    return locked


def claim_withdraw(*, claim: Claim, actor: Any, reason: str = "") -> Claim:
    """A unit may withdraw its claim until the deadline; afterwards the committee counts on it."""
    _require_contact(actor, claim.organization)
    with transaction.atomic():
        target = _lock(claim.target)
        locked = Claim.objects.select_for_update().get(pk=claim.pk)
        if locked.status not in (ClaimStatus.DRAFT, ClaimStatus.SUBMITTED):
            raise TransitionError(_("当前状态不能撤回。"))
        if timezone.now() >= target.deadline or target.status != TargetStatus.PUBLISHED:
            raise TransitionError(_("认领已截止，不能再撤回。"))
        before = locked.status
        locked.status = ClaimStatus.WITHDRAWN
        locked.save(update_fields=["status", "updated_at"])
        _log(locked, actor, "claim.withdraw", {"note": reason}, before=before)
    return locked


# The committee: closing, re-publishing, evaluating and selecting.


def target_start_selection(*, target: Target, actor: Any) -> Target:
    """After the deadline, close claiming and start the comprehensive evaluation (综合考量)."""
    _require_staff(actor, target)
    with transaction.atomic():
        locked = _lock(target)
        if locked.status != TargetStatus.PUBLISHED:
            raise TransitionError(_("只有认领中的标的可以开始综合考量。"))
        if timezone.now() < locked.deadline:
            raise TransitionError(
                _("认领尚未截止（%(deadline)s），不能提前开始。") % {"deadline": _when(locked.deadline)}
            )
        if not locked.claims.filter(status=ClaimStatus.SUBMITTED).exists():
            raise TransitionError(_("该标的无人认领：请重新发布或关闭。"))
        _set_status(locked, TargetStatus.SELECTING, actor, "target.selecting")
    return locked


def _set_status(
    target: Target,
    status: str,
    actor: Any,
    code: str,
    params: dict[str, Any] | None = None,
    fields: Iterable[str] = (),
) -> None:
    before = target.status
    target.status = status
    target.save(update_fields=["status", "updated_at", *fields])
    log_activity(
        actor=actor,
        action=code,
        target=target,
        params=params,
        before={"status": as_choice(target, "status", before)},
        after={"status": as_choice(target, "status")},
    )


def target_republish(*, target: Target, actor: Any, deadline: datetime) -> Target:
    """Open an unclaimed target again with a new deadline."""
    _require_staff(actor, target)
    with transaction.atomic():
        locked = _lock(target)
        if locked.status != TargetStatus.PUBLISHED or timezone.now() < locked.deadline:
            raise TransitionError(_("只有认领已截止的标的可以重新发布。"))
        if locked.claims.filter(status=ClaimStatus.SUBMITTED).exists():
            raise TransitionError(_("该标的已有认领，请开始综合考量。"))
        if deadline <= timezone.now():
            raise ValidationError({"deadline": _("新的截止时间必须晚于现在。")})
        locked.claim_deadline = deadline
        locked.published_at = timezone.now()
        _set_status(
            locked,
            TargetStatus.PUBLISHED,
            actor,
            "target.republish",
            {"deadline": as_date(deadline)},
            fields=["claim_deadline", "published_at"],
        )
    return locked


def target_close(*, target: Target, actor: Any, reason: str) -> Target:
    """Close a target that was never published, or that nobody claimed."""
    _require_staff(actor, target)
    if not reason.strip():
        raise ValidationError({"reason": _("请填写关闭原因。")})
    with transaction.atomic():
        locked = _lock(target)
        unclaimed = (
            locked.status == TargetStatus.PUBLISHED and not locked.claims.filter(status=ClaimStatus.SUBMITTED).exists()
        )
        if locked.status != TargetStatus.DRAFT and not unclaimed:
            raise TransitionError(_("只有草稿或无人认领的标的可以关闭。"))
        locked.claims.filter(status=ClaimStatus.DRAFT).update(status=ClaimStatus.WITHDRAWN)
        locked.closed_reason = reason.strip()
        _set_status(locked, TargetStatus.CLOSED, actor, "target.close", {"note": reason.strip()}, ["closed_reason"])
    return locked


def reviews_open(*, target: Target, reviewers: Iterable[User], actor: Any, deadline: Any = None) -> list[Review]:
    """Ask reviewers to score every claim on the target with the committee's “claim” rubric."""
    _require_staff(actor, target)
    if target.status != TargetStatus.SELECTING:
        raise TransitionError(_("请在认领截止、开始综合考量后再发起评分。"))
    rubric = review_selectors.rubric_for(organization=target.organization, purpose=CLAIM_PURPOSE)
    if rubric is None:
        raise TransitionError(_("还没有用途为“认领”的评分标准，请先在评分标准中建立。"))
    people = list(reviewers)
    opened = []
    with transaction.atomic():
        for claim in target.claims.filter(status__in=DECIDABLE).select_related("organization", "target"):
            if not review_selectors.reviews_of(claim).filter(rubric=rubric, status="open").exists():
                opened.append(
                    review_services.review_open(
                        subject=claim, rubric=rubric, reviewers=people, actor=actor, deadline=deadline
                    )
                )
    return opened


def claim_decide(*, claim: Claim, actor: Any, selected: bool, reason: str, lead: bool = False) -> Claim:
    """Record the committee's choice on one claim, with its reason. At most `max_units` are selected."""
    _require_staff(actor, claim.target)
    if not reason.strip():
        raise ValidationError({"reason": _("请填写选定或不选的理由。")})
    with transaction.atomic():
        target = _lock(claim.target)
        if target.status != TargetStatus.SELECTING:
            raise TransitionError(_("只有综合考量阶段可以选定认领单位。"))
        locked = Claim.objects.select_for_update().get(pk=claim.pk)
        if locked.status not in DECIDABLE:
            raise TransitionError(_("该认领已撤回或不在考量范围内。"))
        others = target.claims.filter(status=ClaimStatus.SELECTED).exclude(pk=locked.pk)
        if selected and others.count() >= target.max_units:
            raise TransitionError(
                _("该标的最多由 %(max)d 家单位承接，已选满。请先改选其他单位。") % {"max": target.max_units}
            )
        if selected and (lead or not others.filter(is_lead=True).exists()):
            # One lead per target: the first selected leads unless the committee names another.
            others.update(is_lead=False)
            lead = True
        before, was_lead = locked.status, locked.is_lead
        locked.status = ClaimStatus.SELECTED if selected else ClaimStatus.NOT_SELECTED
        locked.is_lead = selected and lead
        locked.decision_reason = reason.strip()
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "is_lead", "decision_reason", "decided_by", "decided_at", "updated_at"])
        if not selected and was_lead:
            next_lead = others.order_by("decided_at", "pk").first()
            if next_lead is not None:
                Claim.objects.filter(pk=next_lead.pk).update(is_lead=True)
        _log(locked, actor, "claim.decide", {"status": as_choice(locked, "status"), "note": reason.strip()}, before)
    return locked


def target_start_notice(*, target: Target, actor: Any) -> Target:
    """Publish the selection for the programme's notice period (公示)."""
    _require_staff(actor, target)
    with transaction.atomic():
        locked = _lock(target)
        if locked.status != TargetStatus.SELECTING:
            raise TransitionError(_("只有综合考量阶段的标的可以公示。"))
        claims = locked.claims.filter(status__in=DECIDABLE)
        if claims.filter(status=ClaimStatus.SUBMITTED).exists():
            raise TransitionError(_("还有认领未作决定：请对每家单位选定或说明不选的理由。"))
        if not claims.filter(status=ClaimStatus.SELECTED).exists():
            raise TransitionError(_("请至少选定一家认领单位。"))
        now = timezone.now()
        locked.notice_starts_at = now
        locked.notice_ends_at = now + timedelta(days=locked.programme.notice_days)
        _set_status(
            locked,
            TargetStatus.NOTICE,
            actor,
            "target.notice",
            {"end": as_date(locked.notice_ends_at)},
            fields=["notice_starts_at", "notice_ends_at"],
        )
        notify(
            recipients=[c.contact for c in claims.select_related("contact")],
            verb="claim.notice",
            params={"target": locked, "end": as_date(locked.notice_ends_at)},
            url=locked.get_public_url(),
        )
    return locked


# Public notice: objections.


def objection_lodge(*, target: Target, content: str, name: str = "", mobile: str = "") -> Objection:
    """Anyone may object to a result while it is publicly noticed."""
    with transaction.atomic():
        locked = _lock(target)
        if (
            locked.status != TargetStatus.NOTICE
            or locked.notice_ends_at is None
            or timezone.now() >= locked.notice_ends_at
        ):
            raise TransitionError(_("该标的不在公示期内，不能提出异议。"))
        objection = Objection(target=locked, content=content.strip(), name=name.strip(), mobile=mobile.strip())
        objection.full_clean()
        objection.save()
        log_activity(actor=None, action="objection.lodge", target=locked)
        notify(
            recipients=staff_of(locked.organization),
            verb="objection.new",
            params={"target": locked, "note": objection.content[:200]},
            url=locked.get_absolute_url(),
        )
    return objection


def objection_answer(*, objection: Objection, actor: Any, upheld: bool, answer: str) -> Objection:
    """Answer an objection publicly. An upheld objection sends the target back to selection."""
    _require_staff(actor, objection.target)
    if not answer.strip():
        raise ValidationError({"answer": _("请填写答复内容。")})
    with transaction.atomic():
        target = _lock(objection.target)
        locked = Objection.objects.select_for_update().get(pk=objection.pk)
        if locked.status != ObjectionStatus.OPEN:
            raise TransitionError(_("该异议已答复。"))
        locked.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
        locked.answer = answer.strip()
        locked.answered_by = actor
        locked.answered_at = timezone.now()
        locked.save()
        log_activity(
            actor=actor,
            action="objection.answer",
            target=target,
            params={"verdict": as_choice(locked, "status"), "note": locked.answer},
        )
        if upheld and target.status == TargetStatus.NOTICE:
            claims = target.claims.filter(status__in=DECIDABLE)
            people = [c.contact for c in claims.select_related("contact")]
            claims.update(status=ClaimStatus.SUBMITTED, is_lead=False)
            target.notice_starts_at = target.notice_ends_at = None
            _set_status(
                target,
                TargetStatus.SELECTING,
                actor,
                "target.reconsider",
                fields=["notice_starts_at", "notice_ends_at"],
            )
            notify(
                recipients=people,
                verb="claim.reconsider",
                params={"target": target, "note": locked.answer},
                url=target.get_public_url(),
            )
    return locked


# Award.


def target_award(*, target: Target, actor: Any) -> Any:
    """After the notice period, make the selection final and create the project.

    The lead claimant owns the project, co-claimants are its partners; the units not chosen are
    told why; the residents whose needs the target answers see the project on their tracking page.
    """
    _require_staff(actor, target)
    with transaction.atomic():
        locked = _lock(target)
        if locked.status != TargetStatus.NOTICE:
            raise TransitionError(_("只有公示中的标的可以确定授予。"))
        assert locked.notice_ends_at is not None
        if timezone.now() < locked.notice_ends_at:
            raise TransitionError(_("公示期至 %(end)s，期满后才能确定。") % {"end": _when(locked.notice_ends_at)})
        if locked.objections.filter(status=ObjectionStatus.OPEN).exists():
            raise TransitionError(_("还有异议未答复，请先答复每一条异议。"))
        chosen = list(
            locked.claims.select_for_update()
            .filter(status=ClaimStatus.SELECTED)
            .select_related("organization", "contact")
            .order_by("-is_lead", "decided_at", "pk")
        )
        if not chosen or len(chosen) > locked.max_units:
            raise TransitionError(_("选定的单位数不符合要求，请重新考量。"))
        lead, partners = chosen[0], chosen[1:]
        project = project_services.project_create_from_claim(
            organization=lead.organization,
            title=locked.title,
            year=locked.programme.year,
            actor=actor,
            partners=[c.organization for c in partners],
            background=locked.description,
            approach=lead.plan,
            budget_requested=locked.support_funds or None,
        )
        locked.claims.filter(pk__in=[c.pk for c in chosen]).update(
            status=ClaimStatus.AWARDED, project=project, updated_at=timezone.now()
        )
        for claim in chosen:
            claim.status = ClaimStatus.AWARDED
            _log(claim, actor, "claim.award", {"project": project}, before=ClaimStatus.SELECTED)
        _set_status(locked, TargetStatus.AWARDED, actor, "target.award", {"project": project})
        notify(
            recipients=[c.contact for c in chosen],
            verb="claim.won",
            params={"target": locked, "project": project},
            url=project.get_absolute_url(),
        )
        for claim in locked.claims.filter(status=ClaimStatus.NOT_SELECTED).select_related("contact"):
            notify(
                recipients=[claim.contact],
                verb="claim.lost",
                params={"target": locked, "reason": claim.decision_reason},
                url=claim.get_absolute_url(),
            )
        need_services.needs_tell_project(target=locked, project=project, actor=actor)
    return project

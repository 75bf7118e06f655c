"""Every write of open claiming: claims, the committee's decisions, reviews of the claims, objections and award.

The steps go through the tables (claims.workflows for claims and objections, programmes.workflows.TARGET for the
target, whose claims side is in claims.workflows). Locking: a step that depends on the target's state locks the
target row first, then the claims (always in this order). So a claim racing the deadline and the start of
selection, or two staff selecting or awarding at once, are serialised: each sees the other's committed result.
"""

from collections.abc import Iterable, Mapping
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from projectize.claims import steps
from projectize.claims.models import Claim, ClaimResource, ClaimStatus, Objection
from projectize.claims.workflows import CLAIM, OBJECTION
from projectize.core.services import attachments_add, log_activity, notify
from projectize.core.workflow import TransitionError
from projectize.orgs.models import Organization, Role, User
from projectize.orgs.permissions import has_role, is_town_staff
from projectize.programmes import selectors as programme_selectors
from projectize.programmes.models import Target, TargetStatus
from projectize.programmes.workflows import TARGET
from projectize.projects.models import Project
from projectize.reviews import selectors as review_selectors
from projectize.reviews import services as review_services
from projectize.reviews.models import Review

CLAIM_PURPOSE = "claim"


def _require_contact(actor: User, organization: Organization) -> None:
    if not has_role(actor, [Role.CLAIM_CONTACT], organization):
        raise PermissionDenied(_("只有本单位的认领联系人可以办理认领。"))


def _lock(target: Target) -> Target:
    return programme_selectors.target_for_update(target.pk)


def _log(claim: Claim, actor: User, code: str) -> None:
    log_activity(actor=actor, action=code, target=claim)


# Claims by units.


@transaction.atomic
def claim_save(
    *,
    actor: User,
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
            if problem := steps.open_problem(locked_target):
                raise TransitionError(problem)
            if claim is None:
                claim = Claim(target=locked_target, organization=organization, contact=actor)
            else:
                claim = Claim.objects.select_for_update().get(pk=claim.pk)
                if claim.organization_id != organization.pk or claim.target_id != target.pk:
                    raise PermissionDenied
                if not CLAIM.in_group(claim, "editable"):
                    raise TransitionError(_("认领%(status)s，不能再修改。") % {"status": claim.get_status_display()})
            created = claim.pk is None
            claim.plan, claim.reasons, claim.team, claim.timeline = plan, reasons, team, timeline
            claim.full_clean(exclude=["target", "organization", "contact"])
            if claim.status == ClaimStatus.SUBMITTED or submit:
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
    if problems := steps.missing_parts(claim, resources):
        raise ValidationError(problems)


def claim_submit(*, claim: Claim, actor: User) -> Claim:
    """Submit before the deadline. Locks the target, so a submission and the deadline never cross."""
    with transaction.atomic():
        _lock(claim.target)
        submitted: Claim = CLAIM.apply(claim, "submit", actor=actor)
    return submitted


def claim_withdraw(*, claim: Claim, actor: User, reason: str = "") -> Claim:
    """A unit may withdraw its claim until the deadline; afterwards the committee counts on it."""
    with transaction.atomic():
        _lock(claim.target)
        withdrawn: Claim = CLAIM.apply(claim, "withdraw", actor=actor, note=reason)
    return withdrawn


# The committee: reviews of the claims, decisions, objections and the award.


def reviews_open(
    *, target: Target, reviewers: Iterable[User], actor: User, deadline: date | None = None
) -> list[Review]:
    """Ask reviewers to score every claim on the target with the committee's “claim” rubric."""
    if not is_town_staff(actor, target):
        raise PermissionDenied(_("只有镇党委管理员可以办理认领。"))
    if target.status != TargetStatus.SELECTING:
        raise TransitionError(_("请在认领截止、开始综合考量后再发起评分。"))
    rubric = review_selectors.rubric_for(organization=target.organization, purpose=CLAIM_PURPOSE)
    if rubric is None:
        raise TransitionError(_("还没有用途为“认领”的评分标准，请先在评分标准中建立。"))
    people = list(reviewers)
    opened = []
    with transaction.atomic():
        for claim in steps.claims_on(target, "decidable").select_related("organization", "target"):
            if not review_selectors.reviews_of(claim).filter(rubric=rubric, status="open").exists():
                opened.append(
                    review_services.review_open(
                        subject=claim, rubric=rubric, reviewers=people, actor=actor, deadline=deadline
                    )
                )
    return opened


def claim_decide(*, claim: Claim, actor: User, selected: bool, reason: str, lead: bool = False) -> Claim:
    """Record the committee's choice on one claim, with its reason. At most `max_units` are selected; one of them
    leads (the first selected, unless the committee names another)."""
    if not reason.strip():
        raise ValidationError({"reason": _("请填写选定或不选的理由。")})
    with transaction.atomic():
        target = _lock(claim.target)
        if target.status != TargetStatus.SELECTING:
            raise TransitionError(_("只有综合考量阶段可以选定认领单位。"))

        def decide(locked: Claim) -> None:
            steps.record_decision(locked, actor, reason)
            others = Claim.objects.filter(target=target, status=ClaimStatus.SELECTED).exclude(pk=locked.pk)
            if selected and (lead or not others.filter(is_lead=True).exists()):
                others.update(is_lead=False)
                locked.is_lead = True

        step = "select" if selected else "not_select"
        decided: Claim = CLAIM.apply(claim, step, actor=actor, note=reason.strip(), on_apply=decide)
    return decided


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
            recipients=steps.staff_of(locked.organization),
            verb="objection.new",
            params={"target": locked, "note": objection.content[:200]},
            url=locked.get_absolute_url(),
        )
    return objection


def objection_answer(*, objection: Objection, actor: User, upheld: bool, answer: str) -> Objection:
    """Answer an objection publicly. An upheld objection sends the target back to selection."""
    if not answer.strip():
        raise ValidationError({"answer": _("请填写答复内容。")})
    answered: Objection = OBJECTION.apply(objection, "uphold" if upheld else "dismiss", actor=actor, note=answer)
    return answered


# Award.


def target_award(*, target: Target, actor: User) -> Project:
    """After the notice period, make the selection final: the target's “award” step creates the project."""
    with transaction.atomic():
        TARGET.apply(target, "award", actor=actor)
        lead = Claim.objects.filter(target=target, status=ClaimStatus.AWARDED).order_by("-is_lead", "pk").first()
    assert lead is not None and lead.project is not None
    return lead.project

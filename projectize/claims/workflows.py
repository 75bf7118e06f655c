"""The claim's and the objection's transition tables, and the claims' part of a target's steps.

A target's own table is in the programmes app (`programmes.workflows.TARGET`); the steps there that concern its
claims get their guards and effects from here (`programmes.claiming`), registered when this module loads. The
claim steps a target step takes (award, reconsider, lapse) check the target's new state: the target's part writes
it first (`_settle`), inside the same transaction.
"""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from projectize.claims import rules, selectors, steps
from projectize.claims.models import Claim, ClaimStatus, Objection, ObjectionStatus
from projectize.core.services import notify
from projectize.core.workflow import Transition, Workflow
from projectize.needs import services as need_services
from projectize.orgs.models import User
from projectize.orgs.permissions import is_town_staff
from projectize.programmes import claiming
from projectize.programmes.models import Target
from projectize.projects import services as project_services

Status = ClaimStatus


def _on_selection_page(claim: Claim) -> str:
    return reverse("claims:selection", args=[claim.target_id]) + f"#claim-{claim.pk}"


runs_target = rules.runs_target

CLAIM = Workflow(
    Claim,
    ClaimStatus,
    [
        Transition(
            name="submit",
            label=_("提交认领"),
            sources=(Status.DRAFT,),
            target=Status.SUBMITTED,
            allowed=rules.is_claim_contact,
            guard=steps.submit_problem,
            effect=steps.on_submit,
            hint=_("草稿尚未提交：填写完整后，请在认领截止前提交。"),
        ),
        Transition(
            name="withdraw",
            label=_("撤回"),
            sources=(Status.DRAFT, Status.SUBMITTED),
            target=Status.WITHDRAWN,
            allowed=rules.is_claim_contact,
            guard=steps.withdraw_problem,
            style="danger",
            confirm=_("撤回后这份认领不再参加综合考量。"),
        ),
        Transition(
            # The decision's reason and lead are given on the selection page.
            name="select",
            label=pgettext_lazy("认领步骤", "选定"),
            sources=(Status.SUBMITTED, Status.SELECTED, Status.NOT_SELECTED),
            target=Status.SELECTED,
            allowed=runs_target & rules.target_selecting,
            guard=steps.select_problem,
            form_url=_on_selection_page,
            requires_note=True,
        ),
        Transition(
            name="not_select",
            label=pgettext_lazy("认领步骤", "不选"),
            sources=(Status.SUBMITTED, Status.SELECTED, Status.NOT_SELECTED),
            target=Status.NOT_SELECTED,
            allowed=runs_target & rules.target_selecting,
            effect=steps.pass_lead_on,
            form_url=_on_selection_page,
            requires_note=True,
            style="outline-secondary",
        ),
        Transition(
            name="reconsider",
            label=_("重新考量"),
            sources=(Status.SELECTED, Status.NOT_SELECTED),
            target=Status.SUBMITTED,
            allowed=runs_target & rules.target_selecting,
            effect=steps.reopen,
            style="secondary",
            confirm=_("撤销对这家单位的决定，重新考量。"),
        ),
        Transition(
            # Taken by the target's award, which gives the project it made.
            name="award",
            label=_("认领成功"),
            sources=(Status.SELECTED,),
            target=Status.AWARDED,
            allowed=runs_target & rules.target_awarded,
            form_url=_on_selection_page,
        ),
        Transition(
            name="lapse",
            label=_("作废草稿"),
            sources=(Status.DRAFT,),
            target=Status.WITHDRAWN,
            allowed=runs_target & rules.claiming_over,
            style="outline-secondary",
            confirm=_("认领已结束，这份草稿没有提交；作废后不再列出。"),
        ),
    ],
    scope=selectors.visible_claims,
    waiting={
        Status.DRAFT: _("草稿尚未提交。"),
        Status.SUBMITTED: _("已提交，等待镇党委综合考量。"),
        Status.SELECTED: _("拟选中，公示期满无异议后正式确定。"),
        Status.NOT_SELECTED: steps.decision_waiting,
        Status.AWARDED: steps.award_waiting,
        Status.WITHDRAWN: _("已撤回。"),
    },
)


OBJECTION = Workflow(
    Objection,
    ObjectionStatus,
    [
        Transition(
            name="dismiss",
            label=_("答复：异议不成立"),
            sources=(ObjectionStatus.OPEN,),
            target=ObjectionStatus.DISMISSED,
            allowed=is_town_staff,
            effect=steps.answer,
            requires_note=True,
        ),
        Transition(
            name="uphold",
            label=_("答复：异议成立"),
            sources=(ObjectionStatus.OPEN,),
            target=ObjectionStatus.UPHELD,
            allowed=is_town_staff,
            effect=steps.uphold,
            requires_note=True,
            confirm=_("异议成立时，公示中止，标的回到综合考量，各单位的选定结果撤销。"),
        ),
    ],
    scope=selectors.objections_for_staff,
    waiting={ObjectionStatus.OPEN: _("异议待答复。")},
)


# The claims' part of a target's steps.


def _settle(target: Target) -> None:
    """Write the target's new state now, within its step: the claims' own steps check it."""
    target.save()


def _lapse_drafts(target: Target, actor: User, note: str) -> None:
    """A closed target's unsubmitted drafts lapse."""
    _settle(target)
    for claim in Claim.objects.filter(target=target, status=Status.DRAFT):
        CLAIM.apply(claim, "lapse", actor=actor)


def _reconsider_claims(target: Target, actor: User, note: str) -> None:
    """Every decision is undone; the units are told why."""
    _settle(target)
    claims = list(steps.claims_on(target, "decidable").select_related("contact").order_by("pk"))
    for claim in claims:
        if claim.status != Status.SUBMITTED:
            CLAIM.apply(claim, "reconsider", actor=actor, note=note)
    notify(
        recipients=[claim.contact for claim in claims],
        verb="claim.reconsider",
        params={"target": target, "note": note},
        url=target.get_public_url(),
    )


def _award_claims(target: Target, actor: User, note: str) -> None:
    """The selection becomes final: the project is made, owned by the lead unit with the others as partners; the
    units not chosen are told why; the residents whose needs the target answers see the project."""
    _settle(target)
    chosen = list(
        Claim.objects.select_for_update()
        .filter(target=target, status=Status.SELECTED)
        .select_related("organization", "contact")
        .order_by("-is_lead", "decided_at", "pk")
    )
    lead, partners = chosen[0], chosen[1:]
    project = project_services.project_create_from_claim(
        organization=lead.organization,
        title=target.title,
        year=target.programme.year,
        actor=actor,
        partners=[c.organization for c in partners],
        background=target.description,
        approach=lead.plan,
        budget_requested=target.support_funds or None,
    )

    def made_project(claim: Claim) -> None:
        claim.project = project

    for claim in chosen:
        CLAIM.apply(claim, "award", actor=actor, on_apply=made_project)
    notify(
        recipients=[c.contact for c in chosen],
        verb="claim.won",
        params={"target": target, "project": project},
        url=project.get_absolute_url(),
    )
    for claim in Claim.objects.filter(target=target, status=Status.NOT_SELECTED).select_related("contact"):
        notify(
            recipients=[claim.contact],
            verb="claim.lost",
            params={"target": target, "reason": claim.decision_reason},
            url=claim.get_absolute_url(),
        )
    need_services.needs_tell_project(target=target, project=project, actor=actor)


claiming.register(
    conditions=claiming.Conditions(
        made=Q(claims__status__in=ClaimStatus.group("made")),
        awarded=Q(claims__status=ClaimStatus.AWARDED),
        lead=Q(claims__is_lead=True),
    ),
    steps={
        "start_selection": claiming.StepPart(guard=steps.has_claims_to_weigh),
        "republish": claiming.StepPart(guard=steps.nobody_claimed),
        "close": claiming.StepPart(guard=steps.nobody_claimed, effect=_lapse_drafts),
        "notice": claiming.StepPart(guard=steps.all_decided, effect=steps.tell_notice),
        "reconsider": claiming.StepPart(effect=_reconsider_claims),
        "award": claiming.StepPart(guard=steps.awardable, effect=_award_claims),
    },
)

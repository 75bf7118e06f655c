"""Writes of the programme design: programmes, sections, targets, publishing them and re-publishing an unclaimed
one, and linking residents' needs to the targets that answer them.

A target's steps are taken through its table (`workflows.TARGET`); what happens to its claims on the way is the
claims app's part of those steps (`programmes.claiming`).
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from projectize.core.services import log_activity
from projectize.core.workflow import TransitionError
from projectize.needs import steps as need_steps
from projectize.needs.models import Need
from projectize.needs.workflows import NEED
from projectize.orgs.models import Organization, Role, User
from projectize.orgs.permissions import has_role
from projectize.programmes.models import Programme, Section, Target, TargetStatus
from projectize.programmes.workflows import TARGET


def require_staff(actor: User, organization: Organization) -> None:
    if not has_role(actor, [Role.TOWN_ADMIN], organization):
        raise PermissionDenied(_("只有镇党委管理员可以设计和发布标的。"))


def _save(instance: models.Model, *, actor: User, codes: tuple[str, str], organization: Organization) -> None:
    """Save and log under the first code for a new object, the second for a change."""
    created = instance.pk is None
    instance.full_clean()
    instance.save()
    log_activity(
        actor=actor,
        action=codes[0] if created else codes[1],
        target=instance,
        organization=organization,
        params={"name": instance},
    )


@transaction.atomic
def programme_save(*, programme: Programme, actor: User) -> Programme:
    """Create or update a programme filled in by a form (`programme.organization` must be set)."""
    require_staff(actor, programme.organization)
    _save(programme, actor=actor, codes=("programme.create", "programme.update"), organization=programme.organization)
    return programme


@transaction.atomic
def section_save(*, section: Section, actor: User) -> Section:
    require_staff(actor, section.programme.organization)
    _save(section, actor=actor, codes=("section.create", "section.update"), organization=section.programme.organization)
    return section


@transaction.atomic
def target_save(*, target: Target, actor: User) -> Target:
    """Targets are edited while still drafts: once published, their terms are what units claimed."""
    require_staff(actor, target.programme.organization)
    if target.section.programme_id != target.programme_id:
        raise ValidationError({"section": _("请选择本品牌项目的板块。")})
    if target.pk is not None:
        current = Target.objects.select_for_update().get(pk=target.pk)
        if not TARGET.in_group(current, "editable"):
            raise TransitionError(_("标的已发布，不能再修改内容。"))
    _save(target, actor=actor, codes=("target.create", "target.update"), organization=target.programme.organization)
    return target


def target_publish_all(*, programme: Programme, actor: User) -> int:
    """Publish every draft target of the programme, all or none; returns how many were published."""
    drafts = list(programme.targets.filter(status__in=TargetStatus.group("editable")))
    with transaction.atomic():
        for target in drafts:
            TARGET.apply(target, "publish", actor=actor)
    return len(drafts)


def target_republish(*, target: Target, actor: User, deadline: datetime) -> Target:
    """Open an unclaimed target again with a new deadline (the step's form)."""
    if deadline <= timezone.now():
        raise ValidationError({"deadline": _("新的截止时间必须晚于现在。")})

    def new_deadline(locked: Target) -> None:
        locked.claim_deadline = deadline
        locked.published_at = timezone.now()

    republished: Target = TARGET.apply(target, "republish", actor=actor, on_apply=new_deadline)
    return republished


@transaction.atomic
def need_link_target(*, need: Need, target: Target, actor: User, note: str = "") -> Need:
    """Link the need to the target that answers it (the need's “关联标的” step and its form)."""
    if target.programme.organization_id != need.organization_id:
        raise TransitionError(_("只能关联本镇的标的。"))
    locked_target = Target.objects.select_for_update().get(pk=target.pk)
    if not TARGET.in_group(locked_target, "linkable"):
        raise TransitionError(_("该标的已关闭，不能再关联需求。"))
    linked: Need = NEED.apply(
        need,
        "plan",
        actor=actor,
        note=note,
        on_apply=lambda locked: need_steps.link_target(locked, target, actor, note),
    )
    return linked

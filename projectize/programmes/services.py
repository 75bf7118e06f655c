"""Writes of the programme design: programmes, sections, targets, and publishing targets for claiming.

What happens to a target after it is published (selection, notice, award, re-publishing or closing
an unclaimed one) belongs to the claims app (`projectize.claims.services`).
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from projectize.core.activity import as_choice
from projectize.core.services import log_activity
from projectize.core.workflow import TransitionError
from projectize.orgs.models import Organization, Role
from projectize.orgs.permissions import has_role
from projectize.programmes.models import Programme, Section, Target, TargetStatus


def require_staff(actor: Any, organization: Organization) -> None:
    if not has_role(actor, [Role.TOWN_ADMIN], organization):
        raise PermissionDenied(_("只有镇党委管理员可以设计和发布标的。"))


def _save(instance: models.Model, *, actor: Any, codes: tuple[str, str], organization: Organization) -> None:
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
def programme_save(*, programme: Programme, actor: Any) -> Programme:
    """Create or update a programme filled in by a form (`programme.organization` must be set)."""
    require_staff(actor, programme.organization)
    _save(programme, actor=actor, codes=("programme.create", "programme.update"), organization=programme.organization)
    return programme


@transaction.atomic
def section_save(*, section: Section, actor: Any) -> Section:
    require_staff(actor, section.programme.organization)
    _save(section, actor=actor, codes=("section.create", "section.update"), organization=section.programme.organization)
    return section


@transaction.atomic
def target_save(*, target: Target, actor: Any) -> Target:
    """Targets are edited while still drafts: once published, their terms are what units claimed."""
    require_staff(actor, target.programme.organization)
    if target.section.programme_id != target.programme_id:
        raise ValidationError({"section": _("请选择本品牌项目的板块。")})
    if target.pk is not None:
        current = Target.objects.select_for_update().get(pk=target.pk)
        if current.status != TargetStatus.DRAFT:
            raise TransitionError(_("标的已发布，不能再修改内容。"))
    _save(target, actor=actor, codes=("target.create", "target.update"), organization=target.programme.organization)
    return target


@transaction.atomic
def target_publish(*, target: Target, actor: Any) -> Target:
    """Open a draft target for claiming; from now on it is on the public pages."""
    require_staff(actor, target.programme.organization)
    locked = Target.objects.select_for_update().select_related("programme").get(pk=target.pk)
    if locked.status != TargetStatus.DRAFT:
        raise TransitionError(_("只有草稿状态的标的可以发布。"))
    now = timezone.now()
    if locked.deadline <= now:
        raise TransitionError(_("认领截止时间已过，请先修改品牌项目的认领截止时间。"))
    locked.status = TargetStatus.PUBLISHED
    locked.published_at = now
    locked.save(update_fields=["status", "published_at", "updated_at"])
    log_activity(
        actor=actor,
        action="target.publish",
        target=locked,
        before={"status": TargetStatus.DRAFT},
        after={"status": as_choice(locked, "status")},
    )
    return locked


def target_publish_all(*, programme: Programme, actor: Any) -> int:
    """Publish every draft target of the programme; returns how many were published."""
    drafts = list(programme.targets.filter(status=TargetStatus.DRAFT).select_related("programme"))
    with transaction.atomic():
        for target in drafts:
            target_publish(target=target, actor=actor)
    return len(drafts)

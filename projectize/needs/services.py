"""Every write of the needs app: intake, replies, target links, merges, supports and categories."""

import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from projectize.core.activity import as_choice, jsonable
from projectize.core.files import IMAGE_KINDS
from projectize.core.services import attachments_add, log_activity, notify
from projectize.core.workflow import TransitionError
from projectize.needs import selectors, steps
from projectize.needs.models import (
    Channel,
    DuplicatePair,
    Need,
    NeedCategory,
    NeedStatus,
    NeedUpdate,
    Support,
)
from projectize.needs.similarity import DEFAULT_THRESHOLD, profile_features, token_text
from projectize.needs.thesaurus import count_features, current_thesaurus
from projectize.needs.workflows import NEED
from projectize.orgs.models import Organization, Role, User
from projectize.orgs.permissions import has_role

# A new need queues at most this many likely duplicates.
DUPLICATES_KEPT = 5


def _require_staff(actor: User | None, organization: Organization) -> None:
    if not has_role(actor, [Role.TOWN_ADMIN], organization):
        raise PermissionDenied(_("只有镇党委管理员可以处理需求。"))


def _check_category(category: NeedCategory, organization: Organization) -> None:
    if category.organization_id != organization.pk or not category.is_active:
        raise ValidationError({"category": _("请选择本镇在用的需求类别。")})


def _check_places(organization: Organization, area: Organization | None, source: Organization | None) -> None:
    """The area and the reporting organization lie in the committee's tree (lists find needs by that)."""
    if area is not None and not area.path.startswith(organization.path):
        raise ValidationError({"area": _("请选择本镇的居民区或村。")})
    if source is not None and not source.path.startswith(organization.path):
        raise ValidationError({"source_organization": _("请选择本镇的组织。")})


@transaction.atomic
def need_create(
    *,
    organization: Organization,
    title: str,
    description: str,
    category: NeedCategory,
    channel: str,
    area: Organization | None = None,
    location: str = "",
    submitter_name: str = "",
    submitter_mobile: str = "",
    photo: UploadedFile | None = None,
    actor: User | None = None,
    source_organization: Organization | None = None,
) -> Need:
    """Record a need. Residents use the portal (no actor); staff record the other channels."""
    if channel == Channel.PORTAL:
        if actor is not None and getattr(actor, "is_authenticated", False):
            raise ValidationError({"channel": _("网上提交渠道只用于居民自己提交。")})
    else:
        _require_staff(actor, organization)
        if channel not in Channel.values:
            raise ValidationError({"channel": _("请选择来源渠道。")})
    _check_category(category, organization)
    _check_places(organization, area, source_organization)
    need = Need(
        organization=organization,
        title=title.strip(),
        description=description.strip(),
        category=category,
        channel=channel,
        area=area,
        location=location.strip(),
        submitter_name=submitter_name.strip(),
        submitter_mobile=submitter_mobile.strip(),
        reported_by=actor if channel != Channel.PORTAL else None,
        source_organization=source_organization,
        tokens=token_text(title, description),
    )
    need.full_clean()
    need.save()
    need.updates.create(need_status=NeedStatus.RECEIVED, verb="need.received")
    if photo is not None:
        attachments_add(target=need, files=[photo], actor=actor, purpose="photo", kinds=IMAGE_KINDS)
    log_activity(actor=actor, action="need.create", target=need, params={"channel": as_choice(need, "channel")})
    _find_duplicates(need)
    return need


def _find_duplicates(need: Need) -> None:
    """Count the new need's words for the weights, and queue the open needs it likely repeats for staff."""
    profile = profile_features(selectors.need_profile(need), current_thesaurus())
    count_features(need.organization, profile)
    found = selectors.similar_needs(
        need.organization,
        f"{need.title} {need.description}",
        exclude=need.pk,
        area_id=need.area_id,
        location=need.location,
        category_id=need.category_id,
        threshold=DEFAULT_THRESHOLD,
        limit=DUPLICATES_KEPT,
    )
    DuplicatePair.objects.bulk_create(
        [
            DuplicatePair(
                newer=need, older=other, organization=need.organization, score=match.score, reasons=match.reasons
            )
            for other, match in found
        ],
        ignore_conflicts=True,
    )


@transaction.atomic
def duplicate_dismiss(*, pair: DuplicatePair, actor: User) -> DuplicatePair:
    """“不是重复”: the pair leaves the queue and is never suggested again."""
    _require_staff(actor, pair.organization)
    DuplicatePair.objects.filter(pk=pair.pk).update(dismissed=True)
    pair.dismissed = True
    log_activity(
        actor=actor,
        action="need.not_duplicate",
        target=pair.newer,
        params={"title": pair.older.title},
    )
    return pair


@transaction.atomic
def need_reply(*, need: Need, actor: User, message: str) -> NeedUpdate:
    """A reply the submitter reads on the tracking page; the first one counts as the first response."""
    _require_staff(actor, need.organization)
    if not message.strip():
        raise ValidationError({"message": _("请填写答复内容。")})
    locked = Need.objects.select_for_update().get(pk=need.pk)
    update = locked.updates.create(need_status=locked.status, message=message.strip(), author=actor)
    if locked.first_response_at is None:
        locked.first_response_at = update.created_at
        locked.save(update_fields=["first_response_at", "updated_at"])
    log_activity(actor=actor, action="need.reply", target=locked, params={"note": message})
    return update


@transaction.atomic
def need_merge(*, duplicate: Need, survivor: Need, actor: User, note: str = "") -> Need:
    """Fold `duplicate` into `survivor`: its submitters, supports and earlier merges all go to the survivor.

    The duplicate stays (status “已合并”) so its tracking code keeps working and leads to the survivor;
    its “撤销合并” step undoes it.
    """
    _require_staff(actor, survivor.organization)
    # Lock in a fixed order so two merges of the same pair cannot deadlock.
    locked = {
        n.pk: n for n in Need.objects.select_for_update().filter(pk__in=[duplicate.pk, survivor.pk]).order_by("pk")
    }
    duplicate, survivor = locked[duplicate.pk], locked[survivor.pk]
    if duplicate.pk == survivor.pk:
        raise TransitionError(_("不能把需求合并到它自己。"))
    if duplicate.organization_id != survivor.organization_id:
        raise TransitionError(_("只能合并同一党委收集的需求。"))
    if NEED.in_group(duplicate, "closed") or NEED.in_group(survivor, "closed"):
        raise TransitionError(_("已合并或不予采纳的需求不能再合并。"))

    def fold(merged: Need) -> None:
        steps.merge_into(merged, survivor, actor, note)
        # The survivor's supporters count once; the rest move over, remembering where they came from.
        already = set(survivor.supports.values_list("supporter_key", flat=True))
        merged.supports.filter(supporter_key__in=already).delete()
        merged.supports.filter(origin__isnull=True).update(origin=merged)
        moved[0] = merged.supports.update(need=survivor)
        # Both rows are locked: the counters follow the supports in this transaction (the step saves `merged`).
        merged.support_count = 0
        Need.objects.filter(pk=survivor.pk).update(support_count=F("support_count") + moved[0])
        # Earlier merges into the duplicate now lead straight to the survivor (one hop from any code).
        Need.objects.filter(merged_into=merged).update(merged_into=survivor)

    moved = [0]
    NEED.apply(duplicate, "merge", actor=actor, note=note, on_apply=fold)
    survivor.updates.create(
        need_status=survivor.status, author=actor, verb="need.absorbed", params=jsonable({"title": duplicate.title})
    )
    log_activity(
        actor=actor,
        action="need.absorb",
        target=survivor,
        params={"title": duplicate.title, "count": moved[0]},
    )
    reporters = [n.reported_by for n in survivor.absorbed.select_related("reported_by") if n.reported_by is not None]
    notify(
        recipients=[u for u in reporters if u != actor],
        verb="need.merged",
        params={"title": survivor.title},
        url=survivor.get_absolute_url(),
    )
    return survivor


def needs_tell_project(*, target: models.Model, project: models.Model, actor: User) -> int:
    """Tell the submitters of the target's needs that a project now answers them (on their tracking page).

    `target` is the programmes app's target the needs were linked to, `project` the project its award made."""
    params = jsonable({"target": target, "project": project})
    updates = [
        NeedUpdate(need=need, need_status=need.status, verb="need.project", params=params, author=actor)
        for need in Need.objects.filter(target_id=target.pk).exclude(status=NeedStatus.MERGED)
    ]
    NeedUpdate.objects.bulk_create(updates)
    for need in updates:
        log_activity(actor=actor, action="need.project", target=need.need, params={"project": project})
    return len(updates)


def supporter_key(mobile: str) -> str:
    """A keyed digest of the mobile number: one support per person without keeping the number."""
    return hmac.new(settings.SECRET_KEY.encode(), f"support:{mobile}".encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def support_add(*, need: Need, mobile: str) -> bool:
    """附议 once per person. Returns False when this person already supports the need."""
    # The need's row is locked while its support and its counter are written, so a merge cannot move the
    # supports in between and the state checked is the state the support is given in.
    target = Need.objects.select_for_update().get(pk=need.merged_into_id or need.pk)
    if NEED.in_group(target, "finished"):
        raise TransitionError(_("该需求已办结，不再接受附议。"))
    try:
        with transaction.atomic():
            Support.objects.create(need=target, supporter_key=supporter_key(mobile))
    except IntegrityError:
        return False
    Need.objects.filter(pk=target.pk).update(support_count=F("support_count") + 1)
    log_activity(actor=None, action="need.support", target=target)
    return True


@transaction.atomic
def support_remove(*, need: Need, mobile: str) -> bool:
    """撤回附议: the person with this mobile number takes their support back. False if they gave none."""
    target = Need.objects.select_for_update().get(pk=need.merged_into_id or need.pk)
    removed, _kinds = Support.objects.filter(need=target, supporter_key=supporter_key(mobile)).delete()
    if not removed:
        return False
    Need.objects.filter(pk=target.pk).update(support_count=F("support_count") - removed)
    log_activity(actor=None, action="need.unsupport", target=target)
    return True


@transaction.atomic
def category_save(
    *, actor: User, organization: Organization, name: str, order: int, is_active: bool, category: NeedCategory | None
) -> NeedCategory:
    _require_staff(actor, organization)
    if category is not None and category.organization_id != organization.pk:
        raise PermissionDenied
    before = {"name": category.name, "is_active": category.is_active} if category else {}
    instance = category or NeedCategory(organization=organization)
    instance.name, instance.order, instance.is_active = name.strip(), order, is_active
    instance.full_clean()
    instance.save()
    log_activity(
        actor=actor,
        action="need_category.save",
        target=instance,
        organization=organization,
        params={"name": instance.name},
        before=before,
        after={"name": instance.name, "is_active": instance.is_active},
    )
    return instance


def categories_copy(*, source: Organization, target: Organization, actor: User) -> list[NeedCategory]:
    """A new committee's own copies of another committee's active need categories (a district's defaults
    for a town it creates), in the same order; the target's to edit afterwards."""
    with transaction.atomic():
        return [
            category_save(
                actor=actor,
                organization=target,
                name=category.name,
                order=category.order,
                is_active=True,
                category=None,
            )
            for category in NeedCategory.objects.filter(organization=source, is_active=True).order_by("order", "id")
        ]

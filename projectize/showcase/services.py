"""Every write of the showcase: setup, nominations and votes. Its steps (judging, ranking, awards,
publication) are those of its table, `workflows.SHOWCASE`, with their effects in `steps`."""

from collections.abc import Iterable
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from projectize.core import ratelimit
from projectize.core.files import IMAGE_KINDS
from projectize.core.services import attachments_add, log_activity, notify
from projectize.orgs.models import Organization, Role, User
from projectize.orgs.permissions import ORG_ROLES, has_role
from projectize.projects import selectors as project_selectors
from projectize.projects.models import Project, ProjectStatus
from projectize.showcase.models import (
    AwardLevel,
    Nomination,
    Showcase,
    ShowcaseStatus,
    Vote,
)
from projectize.showcase.selectors import ancestor_paths

# Projects that have started may be shown; applications and failures may not.
NOMINABLE_STATUSES = (
    ProjectStatus.APPROVED,
    ProjectStatus.IN_PROGRESS,
    ProjectStatus.ACCEPTANCE,
    ProjectStatus.RECTIFYING,
    ProjectStatus.CONCLUDED,
)


class VoteRefused(Exception):
    """A vote that may not be counted. The message is for the resident."""


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _check_staff(actor: User, organization: Organization) -> None:
    if not has_role(actor, [Role.TOWN_ADMIN], organization):
        raise PermissionDenied(_("只有镇党委管理员可以管理七一展评。"))


def _check_weights(jury_weight: int, public_weight: int) -> None:
    if jury_weight + public_weight != 100:
        raise ValidationError(
            {
                "public_weight": _("评委评分权重与群众投票权重之和必须为 100，现为 %(sum)d。")
                % {"sum": jury_weight + public_weight}
            }
        )


def showcase_save(
    *,
    actor: User,
    showcase: Showcase,
    levels: Iterable[tuple[str, int, Decimal]],
    jury: Iterable[User] = (),
) -> Showcase:
    """Create or update a showcase, its award levels (level, count, reward each) and its jury."""
    _check_staff(actor, showcase.organization)
    _check_weights(showcase.jury_weight, showcase.public_weight)
    if showcase.nomination_closes < showcase.nomination_opens:
        raise ValidationError({"nomination_closes": _("推荐截止日期不能早于开始日期。")})
    if showcase.voting_closes <= showcase.voting_opens:
        raise ValidationError({"voting_closes": _("投票截止时间必须晚于开始时间。")})
    if showcase.pk and showcase.status not in ShowcaseStatus.group("editable"):
        raise ValidationError(_("评审已经开始，不能再修改本次展评的设置。"))
    created = showcase.pk is None
    with transaction.atomic():
        try:
            with transaction.atomic():
                showcase.save()
        except IntegrityError:
            raise ValidationError({"year": _("该年度已有七一展评。")}) from None
        for level, count, amount in levels:
            AwardLevel.objects.update_or_create(
                showcase=showcase, level=level, defaults={"count": count, "reward_amount": amount}
            )
        showcase.jury.set(list(jury))
        log_activity(
            actor=actor,
            action="showcase.create" if created else "showcase.update",
            target=showcase,
            params={"year": showcase.year, "theme": showcase.theme},
        )
    return showcase


def nominable_projects(showcase: Showcase, actor: User) -> QuerySet[Project]:
    """Projects the actor may nominate: their organizations' started projects, not yet nominated."""
    return (
        project_selectors.projects_where_user_holds(actor, [*ORG_ROLES, Role.TOWN_ADMIN])
        .filter(organization__path__startswith=showcase.organization.path, status__in=NOMINABLE_STATUSES)
        .exclude(nominations__showcase=showcase)
        .select_related("organization")
        .order_by("organization__name", "title")
    )


def nomination_create(
    *,
    actor: User,
    showcase: Showcase,
    project: Project,
    summary: str,
    highlights: str,
    photos: Iterable[Any] = (),
) -> Nomination:
    if not has_role(actor, [*ORG_ROLES, Role.TOWN_ADMIN], project.organization):
        raise PermissionDenied(_("只能推荐本组织的项目。"))
    if not showcase.nominating_open:
        raise ValidationError(_("现在不在推荐期内，不能推荐项目。"))
    if not project.organization.path.startswith(showcase.organization.path):
        raise ValidationError({"project": _("该项目不属于本次展评的主办党委。")})
    if project.status not in NOMINABLE_STATUSES:
        raise ValidationError({"project": _("只有已立项的项目可以推荐参加展评。")})
    with transaction.atomic():
        try:
            with transaction.atomic():
                nomination = Nomination.objects.create(
                    showcase=showcase,
                    project=project,
                    organization=project.organization,
                    summary=summary,
                    highlights=highlights,
                    nominated_by=actor,
                )
        except IntegrityError:
            raise ValidationError({"project": _("该项目已被推荐参加本次展评。")}) from None
        attachments_add(target=nomination, files=photos, actor=actor, purpose="photo", kinds=IMAGE_KINDS)
        log_activity(actor=actor, action="nomination.create", target=nomination, params={"showcase": showcase.title})
    return nomination


def vote_cast(*, showcase: Showcase, nomination_id: int, voter: str, ip: str | None) -> Vote:
    """Count one verified person's vote, or refuse it with the reason."""
    if not showcase.voting_open:
        if showcase.status in ShowcaseStatus.group("judging") and timezone.now() < showcase.voting_opens:
            raise VoteRefused(_("投票尚未开始，开始时间为 %(time)s。") % {"time": _when(showcase.voting_opens)})
        raise VoteRefused(_("投票已结束，感谢您的关注。"))
    nomination = Nomination.objects.filter(pk=nomination_id, showcase=showcase).first()
    if nomination is None:
        raise VoteRefused(_("该项目不在本次展评中，不能投票。"))
    per_hour = _setting("SHOWCASE_VOTES_PER_ADDRESS_PER_HOUR", 30)
    if ratelimit.hit(f"showcase:votes-by-ip:{ip}:{timezone.now():%Y%m%d%H}", window=3600) > per_hour:
        raise VoteRefused(_("此网络地址投票过于频繁，请稍后再试。"))
    with transaction.atomic():
        try:
            with transaction.atomic():
                vote = Vote.objects.create(nomination=nomination, voter=voter, ip=ip)
        except IntegrityError:
            raise VoteRefused(_("您已为该项目投过票，每人每个项目只能投一票。")) from None
        Nomination.objects.filter(pk=nomination.pk).update(vote_count=F("vote_count") + 1)
        _flag_burst(vote)
    return vote


def _when(moment: Any) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def _flag_burst(vote: Vote) -> None:
    """Many votes for one project from one address in a few minutes look like ballot stuffing.

    They still count until staff look: flagging only puts them on the staff's review list.
    """
    window = timezone.now() - timedelta(minutes=_setting("SHOWCASE_BURST_MINUTES", 10))
    burst = Vote.objects.filter(nomination_id=vote.nomination_id, ip=vote.ip, created_at__gte=window)
    threshold = _setting("SHOWCASE_BURST_VOTES", 5)
    if vote.ip is None or burst.count() < threshold:
        return
    newly = burst.filter(flagged=False).update(flagged=True)
    if newly == threshold:  # first time this burst crossed the line: tell staff once
        nomination = Nomination.objects.select_related("showcase__organization").get(pk=vote.nomination_id)
        staff = User.objects.filter(
            grants__role=Role.TOWN_ADMIN,
            grants__organization__path__in=ancestor_paths(nomination.showcase.organization.path),
        ).distinct()
        params = {"project": nomination, "minutes": _setting("SHOWCASE_BURST_MINUTES", 10), "count": threshold}
        log_activity(actor=None, action="vote.flag", target=nomination, params=params)
        notify(recipients=staff, verb="vote.flagged", params=params, url=nomination.get_absolute_url())


def votes_void(*, actor: User, nomination: Nomination, vote_ids: Iterable[int]) -> int:
    """Staff strike flagged votes they judge fraudulent; the project's count drops accordingly."""
    _check_staff(actor, nomination.showcase.organization)
    if nomination.showcase.status not in ShowcaseStatus.group("judging"):
        raise ValidationError(_("投票已结束，不能再作废选票。"))
    with transaction.atomic():
        locked = Nomination.objects.select_for_update().get(pk=nomination.pk)
        voided = Vote.objects.filter(nomination=locked, pk__in=list(vote_ids), flagged=True, voided=False).update(
            voided=True
        )
        if voided:
            Nomination.objects.filter(pk=locked.pk).update(vote_count=F("vote_count") - voided)
            log_activity(actor=actor, action="vote.void", target=locked, params={"count": voided})
    return voided


def votes_clear_flags(*, actor: User, nomination: Nomination) -> int:
    """Staff judge a flagged burst genuine (a community meeting voting together, say)."""
    _check_staff(actor, nomination.showcase.organization)
    with transaction.atomic():
        cleared = Vote.objects.filter(nomination=nomination, flagged=True, voided=False).update(flagged=False)
        if cleared:
            log_activity(actor=actor, action="vote.clear", target=nomination)
    return cleared

"""Guards and effects of a target's own steps (the claims' part is added through `programmes.claiming`)."""

from datetime import datetime, timedelta

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from projectize.orgs.models import User
from projectize.programmes.models import Target, TargetStatus


def when(moment: datetime) -> str:
    """A moment as people here read it, in the active language."""
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def deadline_ahead(target: Target) -> str | None:
    if target.deadline <= timezone.now():
        return _("认领截止时间已过，请先修改品牌项目的认领截止时间。")
    return None


def claiming_over(target: Target) -> str | None:
    """Selection starts, and an unclaimed target is re-published or closed, once claiming has ended."""
    if timezone.now() < target.deadline:
        return _("认领尚未截止（%(deadline)s），截止后才能进行下一步。") % {"deadline": when(target.deadline)}
    return None


def closable(target: Target) -> str | None:
    """A draft may be closed; a published target only once its claiming is over (and nobody claimed it)."""
    if target.status in TargetStatus.group("open_for_claims"):
        return claiming_over(target)
    return None


def notice_over(target: Target) -> str | None:
    if target.notice_ends_at is None or timezone.now() < target.notice_ends_at:
        end = when(target.notice_ends_at) if target.notice_ends_at else "—"
        return _("公示期至 %(end)s，期满后才能确定。") % {"end": end}
    return None


def stamp_published(target: Target, actor: User, note: str) -> None:
    target.published_at = timezone.now()


def keep_reason(target: Target, actor: User, note: str) -> None:
    target.closed_reason = note.strip()


def open_notice(target: Target, actor: User, note: str) -> None:
    now = timezone.now()
    target.notice_starts_at = now
    target.notice_ends_at = now + timedelta(days=target.programme.notice_days)


def end_notice(target: Target, actor: User, note: str) -> None:
    target.notice_starts_at = target.notice_ends_at = None

"""Writes shared by every domain app: the activity log and notifications."""

import os
from collections.abc import Iterable
from typing import Any
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from projectize.core.activity import jsonable, notice_text
from projectize.core.files import validate_upload
from projectize.core.jobs import job_enqueue
from projectize.core.middleware import current_ip
from projectize.core.models import ActivityLog, Attachment, Notification
from projectize.core.typing import User


def log_activity(
    *,
    actor: User | None,
    action: str,
    target: models.Model | None = None,
    params: dict[str, Any] | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    organization: Any = None,  # an orgs.Organization: core names no app
) -> ActivityLog:
    """Append one entry: an action code of `projectize.core.activity` and its parameters, worded when read.

    `organization` defaults to the target's own `organization`, if it has one.
    """
    if organization is None and target is not None:
        organization = getattr(target, "organization", None)
    return ActivityLog.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        params=jsonable(params or {}),
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:300] if target is not None else "",
        organization=organization,
        before=jsonable(before or {}),
        after=jsonable(after or {}),
        ip=current_ip.get(),
    )


def notify(
    *,
    recipients: Iterable[User | None],
    verb: str,
    params: dict[str, Any] | None = None,
    url: str = "",
    email: bool = True,
) -> None:
    """In-app notification for each recipient (a code of `projectize.core.activity.NOTICES` and its
    parameters, worded when read); e-mail too, in each recipient's language, sent by a background job
    (with a timeout and retries) so that no request waits on the mail server."""
    people = {user.pk: user for user in recipients if user is not None and user.is_active}
    if not people:
        return
    stored = jsonable(params or {})
    Notification.objects.bulk_create(
        Notification(recipient=user, verb=verb, params=stored, url=url) for user in people.values()
    )
    if not email:
        return
    by_language: dict[str, list[str]] = {}
    for user in people.values():
        if user.email:
            by_language.setdefault(user.language or settings.LANGUAGE_CODE, []).append(user.email)
    for language, addresses in by_language.items():
        with translation.override(language):
            title, body = notice_text(verb, stored)
            link = _("查看详情：%(url)s") % {"url": urljoin(settings.SITE_URL, url)} if url else ""
            text = "\n\n".join(part for part in (str(body), link, str(_("党建项目化管理平台"))) if part)
        job_enqueue(kind="email", title=title, params={"subject": str(title), "body": text, "to": addresses})


def user_language_save(*, user: User, language: str) -> None:
    """Remember the language a person reads in, for the e-mails sent to them. A preference, not a record:
    nothing is logged."""
    if language in dict(settings.LANGUAGES) and user.language != language:
        user.language = language
        user.save(update_fields=["language"])


def notifications_mark_read(*, user: User, notification_ids: Iterable[int] | None = None) -> int:
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())


def attachments_add(
    *,
    target: models.Model,
    files: Iterable[Any],
    actor: User | None,
    purpose: str = "",
    kinds: frozenset[str] | None = None,
) -> list[Attachment]:
    """Check every file first, then store them all: a bad file stores none."""
    checked = [(upload, validate_upload(upload, kinds) if kinds else validate_upload(upload)) for upload in files]
    target_type = ContentType.objects.get_for_model(target)
    saved = []
    for upload, kind in checked:
        attachment = Attachment(
            target_type=target_type,
            target_id=str(target.pk),
            purpose=purpose,
            name=os.path.basename(upload.name or "file")[:200],
            kind=kind,
            size=upload.size or 0,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        attachment.file.save(attachment.name, upload, save=False)
        attachment.save()
        saved.append(attachment)
    if saved:
        names = ", ".join(a.name for a in saved)
        log_activity(actor=actor, action="attachment.add", target=target, params={"names": names})
    return saved

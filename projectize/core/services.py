"""Writes shared by every domain app: the activity log and notifications."""

import os
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import models, transaction
from django.utils import timezone

from projectize.core.files import validate_upload
from projectize.core.middleware import current_ip
from projectize.core.models import ActivityLog, Attachment, Notification


def log_activity(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    message: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    organization: Any = None,
) -> ActivityLog:
    """Append one entry. `organization` defaults to the target's own `organization`, if it has one."""
    if organization is None and target is not None:
        organization = getattr(target, "organization", None)
    return ActivityLog.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        message=str(message)[:500],
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:300] if target is not None else "",
        organization=organization,
        before=_jsonable(before or {}),
        after=_jsonable(after or {}),
        ip=current_ip.get(),
    )


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    return {
        key: value if isinstance(value, (int, float, bool, type(None))) else str(value) for key, value in data.items()
    }


def notify(*, recipients: Iterable[Any], title: str, body: str = "", url: str = "", email: bool = True) -> None:
    """In-app notification for each recipient; e-mail too, sent once the transaction commits."""
    people = {user.pk: user for user in recipients if user is not None and user.is_active}
    if not people:
        return
    Notification.objects.bulk_create(
        Notification(recipient=user, title=str(title)[:200], body=str(body), url=url) for user in people.values()
    )
    addresses = [user.email for user in people.values() if user.email]
    if email and addresses:
        subject, text = str(title), f"{body}\n\n{url}".strip()
        transaction.on_commit(lambda: send_mail(subject, text, None, addresses, fail_silently=True))


def notifications_mark_read(*, user: Any, notification_ids: Iterable[int] | None = None) -> int:
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())


def attachments_add(
    *,
    target: models.Model,
    files: Iterable[Any],
    actor: Any,
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
        log_activity(actor=actor, action="attachment.add", target=target, message=", ".join(a.name for a in saved))
    return saved

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from projectize.core.models import ActivityLog, Attachment


def activity_for(obj: Any) -> QuerySet[ActivityLog]:
    return ActivityLog.objects.filter(
        target_type=ContentType.objects.get_for_model(obj), target_id=str(obj.pk)
    ).select_related("actor")


def attachments_for(obj: Any, purpose: str | None = None) -> QuerySet[Attachment]:
    found = Attachment.objects.filter(target_type=ContentType.objects.get_for_model(obj), target_id=str(obj.pk))
    return found.filter(purpose=purpose) if purpose is not None else found

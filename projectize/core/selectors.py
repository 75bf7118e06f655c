from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from projectize.core.models import ActivityLog, Attachment
from projectize.core.typing import User

# Which entries of the activity log a user may read. Entries belong to organizations, a tree core does not
# know: the app that owns the tree sets the scope when it starts (orgs). Until then nobody reads any.
_activity_scope: list[Callable[[User], Q]] = []
_activity_dense: list[Callable[[User], bool]] = []


def set_activity_scope(scope: Callable[[User], Q], *, dense: Callable[[User], bool]) -> None:
    _activity_scope[:] = [scope]
    _activity_dense[:] = [dense]


def activity_scope(user: User) -> Q:
    """A filter for the activity log entries the user may read (the activity log page's rows)."""
    return _activity_scope[0](user) if _activity_scope else Q(pk__in=[])


def activity_is_dense(user: User) -> bool:
    """Whether the user reads a large share of the whole log (a district's): their entries are then found
    soonest in the log's time order, and a count of them walks that index instead of the organization's."""
    return bool(_activity_dense) and _activity_dense[0](user)


def activity_for(obj: Any) -> QuerySet[ActivityLog]:
    return ActivityLog.objects.filter(
        target_type=ContentType.objects.get_for_model(obj), target_id=str(obj.pk)
    ).select_related("actor")


def attachments_for(obj: Any, purpose: str | None = None) -> QuerySet[Attachment]:
    found = Attachment.objects.filter(target_type=ContentType.objects.get_for_model(obj), target_id=str(obj.pk))
    return found.filter(purpose=purpose) if purpose is not None else found

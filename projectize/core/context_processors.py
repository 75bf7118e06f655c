from typing import Any

from django.http import HttpRequest

from projectize.core.models import Notification


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The staff bar's unread count; its menus are shown by permission (`perms`)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": Notification.objects.filter(recipient=user, read_at__isnull=True).count()}

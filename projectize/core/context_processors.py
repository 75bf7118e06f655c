from typing import Any

from django.http import HttpRequest

from projectize.core.models import Notification
from projectize.orgs.permissions import user_roles


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_roles": set(), "unread_notifications": 0}
    roles = user_roles(user)
    if user.is_superuser:
        roles.add("town_admin")
    return {
        "nav_roles": roles,
        "unread_notifications": Notification.objects.filter(recipient=user, read_at__isnull=True).count(),
    }

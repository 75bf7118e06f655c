"""The staff bar names the brand programme after the user's own town (家新桥 for Xinqiao's people, 泗泾同心圆
for 泗泾镇's); whoever works in no single branded town (district staff, a superuser) sees a neutral name.

The name is read once at sign-in and kept in the session, so a page costs no query for it: a brand renamed,
or a role in another town granted, shows from the next sign-in.
"""

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from projectize.orgs.models import TOWN_KINDS, Organization, Role
from projectize.orgs.permissions import AnyUser, grant_paths
from projectize.orgs.selectors import ancestor_paths

SESSION_KEY = "programmes_brand"


def own_brand(user: AnyUser) -> str:
    """The brand name of the one town the user works in, or "" (no town, several, or no brand named yet)."""
    paths = grant_paths(user, Role.values)
    lineage = {ancestor for path in paths for ancestor in [*ancestor_paths(path), path]}
    if not lineage:
        return ""
    towns = list(
        Organization.objects.filter(path__in=lineage, kind__in=TOWN_KINDS, is_active=True).values_list(
            "profile__brand_name", flat=True
        )
    )
    return (towns[0] or "") if len(towns) == 1 else ""


def session_brand(request: HttpRequest) -> str:
    """The signed-in user's brand as kept in the session (read now for a session begun before it was kept)."""
    brand: str | None = request.session.get(SESSION_KEY)
    if brand is None:
        brand = request.session[SESSION_KEY] = own_brand(getattr(request, "user", None))
    return brand


@receiver(user_logged_in)
def _remember_brand(sender: Any, request: HttpRequest | None, user: AnyUser, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = own_brand(user)

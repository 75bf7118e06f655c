"""Role grants reach down the organization tree. Every scope check in the system goes through here.

A grant of role R at organization O gives R over O and every organization below O, i.e. every
organization whose materialized path starts with O's path.
"""

import contextlib
from collections.abc import Iterable
from typing import Any

import rules
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from projectize.orgs.models import Organization, Role, RoleGrant, User

# Whoever asks: a signed-in person, a visitor (rules asks its predicates about anonymous users too), or
# nobody (a resident's own submission has no account behind it).
AnyUser = User | AnonymousUser | None
# Each user's grants are read once per request and kept on the user object under this name.
GRANT_CACHE = "_grant_cache"

STAFF_ROLES = (Role.TOWN_ADMIN,)
ORG_ROLES = (Role.SECRETARY, Role.ORG_STAFF)


def grant_paths(user: AnyUser, roles: Iterable[str]) -> list[str]:
    """Paths of the organizations where the user holds any of `roles` (one query per request)."""
    if not isinstance(user, User) or not user.is_active:
        return []
    cache: list[tuple[str, str]] | None = getattr(user, GRANT_CACHE, None)
    if cache is None:
        cache = list(
            RoleGrant.objects.filter(user=user, organization__is_active=True).values_list("role", "organization__path")
        )
        setattr(user, GRANT_CACHE, cache)
    wanted = set(roles)
    return [path for role, path in cache if role in wanted]


def forget_grants(user: AnyUser) -> None:
    """Drop the user's cached grants, so the next check reads the grants just made."""
    with contextlib.suppress(AttributeError):
        delattr(user, GRANT_CACHE)


def user_roles(user: AnyUser) -> set[str]:
    grant_paths(user, ())
    return {role for role, _path in getattr(user, GRANT_CACHE, [])}


def has_role(user: AnyUser, roles: Iterable[str], organization: Organization | None = None) -> bool:
    """Whether the user holds one of `roles` over `organization` (anywhere, if None)."""
    if isinstance(user, User) and user.is_superuser and user.is_active:
        return True
    paths = grant_paths(user, roles)
    if organization is None:
        return bool(paths)
    return any(organization.path.startswith(path) for path in paths)


def scope_q(user: AnyUser, roles: Iterable[str], field: str = "organization") -> Q:
    """A filter for objects whose `field` organization lies in the user's subtrees for `roles`.

    `field` is the lookup path to an Organization; use "" to filter Organizations themselves.
    """
    if isinstance(user, User) and user.is_superuser and user.is_active:
        return Q()
    lookup = f"{field}__path__startswith" if field else "path__startswith"
    query = Q(pk__in=[])
    for path in grant_paths(user, roles):
        query |= Q(**{lookup: path})
    return query


def organization_of(obj: Any) -> Organization | None:
    return obj if isinstance(obj, Organization) else getattr(obj, "organization", None)


def role_over(*roles: str) -> Any:
    """A rules predicate: the user holds one of `roles` over the object's organization."""

    @rules.predicate(name=f"role_over_{'_'.join(roles)}")
    def predicate(user: AnyUser, obj: Any = None) -> bool:
        return has_role(user, roles, organization_of(obj) if obj is not None else None)

    return predicate


def role_anywhere(*roles: str) -> Any:
    """A rules predicate: the user holds one of `roles` somewhere (for pages with no object)."""

    @rules.predicate(name=f"role_anywhere_{'_'.join(roles)}")
    def predicate(user: AnyUser) -> bool:
        return has_role(user, roles)

    return predicate


is_town_staff = role_over(Role.TOWN_ADMIN)
is_town_staff_anywhere = role_anywhere(Role.TOWN_ADMIN)
is_org_member = role_over(Role.SECRETARY, Role.ORG_STAFF)
# Anyone who works in the system: holds some role somewhere (the menus every member of staff sees).
holds_any_role = role_anywhere(*Role.values)

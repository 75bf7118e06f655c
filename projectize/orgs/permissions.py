"""Role grants reach down the organization tree. Every scope check in the system goes through here.

A grant of role R at organization O gives R over O and every organization below O, i.e. every
organization whose materialized path starts with O's path.

Two roles of a district (or city) committee read further than they act:
- District staff and district leaders read, in every town below them, what a town's leaders read there:
  wherever a check asks for `Role.LEADER` (reading), their grants count too. Writes that a town's leaders
  may make (supervision activities, guidance) ask with `implied=False`, so district roles never make them.
- District staff act as a town admin (`Role.TOWN_ADMIN`) over what the district committee itself owns: the
  district node and the organizations under it that belong to no town committee (`Reach.stops`). Their
  calls, programmes and letters are the district's; a town's own objects stay out of their reach.
`grant_paths` returns the plain grants only; `has_role` and `scope_q` (and the predicates built on them)
apply both rules.
"""

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import rules
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from projectize.orgs.models import COMMITTEE_KINDS, Organization, Role, RoleGrant, User

# Whoever asks: a signed-in person, a visitor (rules asks its predicates about anonymous users too), or
# nobody (a resident's own submission has no account behind it).
AnyUser = User | AnonymousUser | None
# Each user's grants are read once per request and kept on the user object under this name.
GRANT_CACHE = "_grant_cache"
# District staff's own reach (the district's paths and the town committees below them), once per request.
OWN_REACH_CACHE = "_own_reach_cache"

STAFF_ROLES = (Role.TOWN_ADMIN,)
ORG_ROLES = (Role.SECRETARY, Role.ORG_STAFF)
# Read-only over every town below the district (or city) committee where they are granted.
OVERSEER_ROLES = (Role.DISTRICT_STAFF, Role.DISTRICT_LEADER)
# The roles that may be granted at a committee above the towns: any other role there would reach into every
# town with a town's rights (a town admin or a secretary over all of them).
ABOVE_TOWN_ROLES = (Role.DISTRICT_STAFF, Role.DISTRICT_LEADER, Role.REVIEWER)


@dataclass(frozen=True)
class Reach:
    """A subtree a right covers: everything under `path` except under `stops` (lower committees)."""

    path: str
    stops: tuple[str, ...] = ()

    def covers(self, path: str) -> bool:
        return path.startswith(self.path) and not any(path.startswith(stop) for stop in self.stops)

    def q(self, lookup: str) -> Q:
        query = Q(**{lookup: self.path})
        for stop in self.stops:
            query &= ~Q(**{lookup: stop})
        return query


def grant_paths(user: AnyUser, roles: Iterable[str], *, implied: bool = True) -> list[str]:
    """Paths of the organizations where the user holds any of `roles` (one query per request).

    With `implied`, asking for leaders' reading (`Role.LEADER`) also returns the district roles' grants.
    """
    if not isinstance(user, User) or not user.is_active:
        return []
    cache: list[tuple[str, str]] | None = getattr(user, GRANT_CACHE, None)
    if cache is None:
        cache = list(
            RoleGrant.objects.filter(user=user, organization__is_active=True).values_list("role", "organization__path")
        )
        setattr(user, GRANT_CACHE, cache)
    wanted = set(roles)
    if implied and Role.LEADER in wanted:
        wanted.update(OVERSEER_ROLES)
    return [path for role, path in cache if role in wanted]


def _own_reach(user: AnyUser) -> list[Reach]:
    """Where district staff act as a town admin: their committee, short of the committees below it."""
    staff = grant_paths(user, [Role.DISTRICT_STAFF], implied=False)
    if not staff:
        return []
    cache: list[Reach] | None = getattr(user, OWN_REACH_CACHE, None)
    if cache is None:
        below = Q(pk__in=[])
        for path in staff:
            below |= Q(path__startswith=path)
        committees = (
            Organization.objects.filter(below, kind__in=COMMITTEE_KINDS)
            .exclude(path__in=staff)
            .order_by("path")
            .values_list("path", flat=True)
        )
        tops: list[str] = []
        for path in committees:
            if not any(path.startswith(top) for top in tops):
                tops.append(path)
        cache = [Reach(path, tuple(top for top in tops if top.startswith(path))) for path in staff]
        setattr(user, OWN_REACH_CACHE, cache)
    return cache


def reaches(user: AnyUser, roles: Iterable[str], *, implied: bool = True) -> list[Reach]:
    """The subtrees over which the user holds one of `roles` (with the district roles' rules, see above)."""
    wanted = tuple(roles)
    found = [Reach(path) for path in grant_paths(user, wanted, implied=implied)]
    if implied and Role.TOWN_ADMIN in wanted:
        found.extend(_own_reach(user))
    return found


def forget_grants(user: AnyUser) -> None:
    """Drop the user's cached grants, so the next check reads the grants just made."""
    for name in (GRANT_CACHE, OWN_REACH_CACHE):
        with contextlib.suppress(AttributeError):
            delattr(user, name)


def user_roles(user: AnyUser) -> set[str]:
    grant_paths(user, ())
    return {role for role, _path in getattr(user, GRANT_CACHE, [])}


def _is_superuser(user: AnyUser) -> bool:
    return isinstance(user, User) and user.is_superuser and user.is_active


def covers(user: AnyUser, roles: Iterable[str], path: str, *, implied: bool = True) -> bool:
    """Whether the user holds one of `roles` over the organization at `path`."""
    if _is_superuser(user):
        return True
    return any(reach.covers(path) for reach in reaches(user, roles, implied=implied))


def has_role(
    user: AnyUser, roles: Iterable[str], organization: Organization | None = None, *, implied: bool = True
) -> bool:
    """Whether the user holds one of `roles` over `organization` (anywhere, if None)."""
    if _is_superuser(user):
        return True
    if organization is None:
        return bool(reaches(user, roles, implied=implied))
    return covers(user, roles, organization.path, implied=implied)


def scope_q(
    user: AnyUser, roles: Iterable[str], field: str = "organization", *, implied: bool = True, path: str = ""
) -> Q:
    """A filter for objects whose `field` organization lies in the user's subtrees for `roles`.

    `field` is the lookup path to an Organization; use "" to filter Organizations themselves. `path` names
    instead a column of the object's own that holds a copy of its organization's path (a project's
    `organization_path`): the filter then needs no join, and an index on that column serves it.
    """
    if _is_superuser(user):
        return Q()
    lookup = f"{path}__startswith" if path else f"{field}__path__startswith" if field else "path__startswith"
    query = Q(pk__in=[])
    for reach in _outermost(reaches(user, roles, implied=implied)):
        query |= reach.q(lookup)
    return query


def _outermost(found: list[Reach]) -> list[Reach]:
    """The reaches without those another whole subtree already covers (a grant inside another, or district
    staff's own reach beside their reading of the same district): fewer ranges for the database to scan."""
    whole = [reach.path for reach in found if not reach.stops]
    kept: list[Reach] = []
    for reach in found:
        covered = any(reach.path.startswith(top) and (reach.stops or reach.path != top) for top in whole)
        if not covered and reach not in kept:
            kept.append(reach)
    return kept


def organization_of(obj: Any) -> Organization | None:
    return obj if isinstance(obj, Organization) else getattr(obj, "organization", None)


def role_over(*roles: str, implied: bool = True) -> Any:
    """A rules predicate: the user holds one of `roles` over the object's organization."""

    @rules.predicate(name=f"role_over_{'_'.join(roles)}{'' if implied else '_as_granted'}")
    def predicate(user: AnyUser, obj: Any = None) -> bool:
        return has_role(user, roles, organization_of(obj) if obj is not None else None, implied=implied)

    return predicate


def role_anywhere(*roles: str, implied: bool = True) -> Any:
    """A rules predicate: the user holds one of `roles` somewhere (for pages with no object)."""

    @rules.predicate(name=f"role_anywhere_{'_'.join(roles)}{'' if implied else '_as_granted'}")
    def predicate(user: AnyUser) -> bool:
        return has_role(user, roles, implied=implied)

    return predicate


is_town_staff = role_over(Role.TOWN_ADMIN)
is_town_staff_anywhere = role_anywhere(Role.TOWN_ADMIN)
is_org_member = role_over(Role.SECRETARY, Role.ORG_STAFF)
# District staff and leaders over the object (read-only, see above).
is_overseer = role_over(*OVERSEER_ROLES)
is_overseer_anywhere = role_anywhere(*OVERSEER_ROLES)
# Anyone who works in the system: holds some role somewhere (the menus every member of staff sees).
holds_any_role = role_anywhere(*Role.values)

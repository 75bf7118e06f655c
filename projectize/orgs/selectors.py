"""Reads of the organization tree and of people, shared by pages, imports and exports.

Every read is scoped to the organizations the user may see and costs a fixed number of queries,
however large the tree: one level at a time, ancestors fetched by path in one query.
"""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Concat

from projectize.orgs.models import COMMITTEE_KINDS, TOWN_KINDS, Organization, Role, RoleGrant, User
from projectize.orgs.permissions import OVERSEER_ROLES, grant_paths, has_role, scope_q

# Secretaries and staff see their own subtree; town admins see and change theirs; district staff and leaders
# see every town below them.
VIEW_ROLES = (Role.TOWN_ADMIN, Role.SECRETARY, Role.ORG_STAFF, *OVERSEER_ROLES)
ADMIN_ROLES = (Role.TOWN_ADMIN,)
PATH_SEPARATOR = "/"
CHILDREN_PAGE_SIZE = 100
SEARCH_LIMIT = 50


def visible_organizations(user: User) -> QuerySet[Organization]:
    return Organization.objects.filter(scope_q(user, VIEW_ROLES, field=""))


def administered_organizations(user: User) -> QuerySet[Organization]:
    return Organization.objects.filter(scope_q(user, ADMIN_ROLES, field=""))


def organizations_in_roles(user: User, roles: Iterable[str]) -> QuerySet[Organization]:
    """The organizations in the subtrees where the user holds one of `roles` (all of them for a superuser)."""
    return Organization.objects.filter(scope_q(user, roles, field=""))


def top_organization(user: User, roles: Iterable[str]) -> Organization | None:
    """The highest organization where the user holds one of `roles`; a superuser, who may hold no grant,
    starts from the first committee."""
    paths = sorted(grant_paths(user, roles), key=len)
    candidates = Organization.objects.filter(path=paths[0]) if paths else Organization.objects.filter(depth=1)
    found: Organization | None = candidates.order_by("path").first()
    return found


# Committees: who owns what -------------------------------------------------------------------------


def committee_of(organization: Organization) -> Organization:
    """The committee an organization belongs to: itself if it is one, else its nearest committee ancestor.

    Calls, programmes, budgets, showcases, categories, rubrics, warning rules and letter numbers belong to
    a committee. The root of the tree is no longer "the committee": above a town sit its district and city.
    A tree with no committee above the organization answers its root. One query (none for a committee).
    """
    if organization.is_committee:
        return organization
    paths = ancestor_paths(organization.path)
    if not paths:
        return organization
    found: Organization | None = (
        Organization.objects.filter(path__in=paths, kind__in=COMMITTEE_KINDS).order_by("-depth").first()
    )
    return found or Organization.objects.get(path=paths[0])


def committee_paths(paths: Iterable[str]) -> dict[str, str]:
    """For each organization path, the path of the committee it belongs to, in one query for them all."""
    wanted = set(paths)
    candidates = {ancestor for path in wanted for ancestor in [*ancestor_paths(path), path]}
    committees = set(
        Organization.objects.filter(path__in=candidates, kind__in=COMMITTEE_KINDS).values_list("path", flat=True)
    )
    step = Organization.steplen
    found = {}
    for path in wanted:
        lineage = [*ancestor_paths(path), path]
        own = [ancestor for ancestor in lineage if ancestor in committees]
        found[path] = own[-1] if own else path[:step]
    return found


def committees_run_by(user: User, roles: Iterable[str] = ADMIN_ROLES) -> QuerySet[Organization]:
    """The committees over which the user holds one of `roles`, top first: a town admin's town; district
    staff's district (as admins: the towns below are not theirs to run); with reading roles, every
    committee the user reads (a district and its towns)."""
    return Organization.objects.filter(scope_q(user, roles, field=""), kind__in=COMMITTEE_KINDS).order_by("path")


def first_committee(user: User, committees: QuerySet[Organization]) -> Organization | None:
    """Which of `committees` a page shows when the user names none: the first in tree order; for a
    superuser, who reads every committee, the first town (as on an installation of one town)."""
    if user.is_superuser:
        town = committees.filter(kind__in=TOWN_KINDS).order_by("path").first()
        if town is not None:
            return town
    found: Organization | None = committees.order_by("path").first()
    return found


def towns_below(organization: Organization) -> QuerySet[Organization]:
    """The town committees (towns and subdistricts) in the organization's subtree, in tree order."""
    return Organization.objects.filter(path__startswith=organization.path, kind__in=TOWN_KINDS).order_by("path")


def with_children(organization: Organization) -> list[Organization]:
    """The organization and the organizations one level below it."""
    return list(Organization.objects.filter(path__startswith=organization.path, depth__lte=organization.depth + 1))


def organization_by_pk(pk: int) -> Organization | None:
    return Organization.objects.filter(pk=pk).first()


def tree_roots(user: User) -> list[Organization]:
    """The top organizations of the user's visible tree (a grant inside another grant adds nothing)."""
    if user.is_superuser:
        return list(Organization.objects.get_root_nodes().select_related("secretary"))
    paths = sorted(set(grant_paths(user, VIEW_ROLES)))
    tops = [path for path in paths if not any(path != other and path.startswith(other) for other in paths)]
    return list(Organization.objects.filter(path__in=tops).select_related("secretary").order_by("path"))


def children_of(parent: Organization) -> QuerySet[Organization]:
    return Organization.objects.get_children(parent).select_related("secretary")


def ancestor_paths(path: str) -> list[str]:
    step = Organization.steplen
    return [path[:end] for end in range(step, len(path), step)]


def with_ancestors(organizations: Iterable[Organization]) -> list[Organization]:
    """Sets `ancestor_names` (root first) on each organization, with one query for all of them."""
    found = list(organizations)
    wanted = {path for org in found for path in ancestor_paths(org.path)}
    names = dict(Organization.objects.filter(path__in=wanted).values_list("path", "name")) if wanted else {}
    for org in found:
        org.ancestor_names = [names[path] for path in ancestor_paths(org.path) if path in names]
    return found


def full_path(organization: Organization) -> str:
    """ "新桥镇党委/社区党建服务中心党总支/新桥居民区党总支": how people and import files name an organization."""
    names = getattr(organization, "ancestor_names", None)
    if names is None:
        names = [org.name for org in Organization.objects.get_ancestors(organization)]
    return PATH_SEPARATOR.join([*names, organization.name])


def search_organizations(user: User, query: str, limit: int = SEARCH_LIMIT) -> list[Organization]:
    """Organizations whose name contains `query`, shallowest first, each with its ancestors' names."""
    matches = visible_organizations(user).filter(name__icontains=query.strip()).select_related("secretary")
    return with_ancestors(matches.order_by("depth", "path")[:limit])


def filter_organizations(
    user: User,
    *,
    name: str = "",
    kind: str = "",
    active: bool | None = None,
    subtree: Organization | None = None,
) -> QuerySet[Organization]:
    found = visible_organizations(user).select_related("secretary").order_by("path")
    if name:
        found = found.filter(name__icontains=name)
    if kind:
        found = found.filter(kind=kind)
    if active is not None:
        found = found.filter(is_active=active)
    if subtree is not None:
        found = found.filter(path__startswith=subtree.path)
    return found


def find_by_name_or_path(text: str, within: QuerySet[Organization]) -> list[Organization]:
    """Organizations in `within` named by a plain name or by a full path "A/B/C" (up to two returned)."""
    parts = [part.strip() for part in text.strip().strip(PATH_SEPARATOR).split(PATH_SEPARATOR) if part.strip()]
    if not parts:
        return []
    if len(parts) == 1:
        return list(within.filter(name=parts[0]).order_by("path")[:2])
    # Walk down one level at a time from organizations named as the first part, at any depth (a path may
    # start at the town committee or at the district above it); each level is one indexed query.
    candidates = list(Organization.objects.filter(name=parts[0]))
    for part in parts[1:]:
        if not candidates:
            return []
        children = Q(pk__in=[])
        for node in candidates:
            children |= Q(path__startswith=node.path, depth=node.depth + 1)
        candidates = list(Organization.objects.filter(children, name=part))
    return list(within.filter(pk__in=[node.pk for node in candidates])[:2])


def role_holders(organization: Organization) -> QuerySet[RoleGrant]:
    return organization.grants.select_related("user").order_by("role", "user__username")


def can_view_organization(user: User, organization: Organization) -> bool:
    return has_role(user, VIEW_ROLES, organization)


# People ---------------------------------------------------------------------------------------


def visible_users(user: User) -> QuerySet[User]:
    """People with a role somewhere in the admin's subtrees, and accounts that hold no role yet."""
    if user.is_superuser:
        return User.objects.all()
    in_scope = RoleGrant.objects.filter(scope_q(user, ADMIN_ROLES), user=OuterRef("pk"))
    any_grant = RoleGrant.objects.filter(user=OuterRef("pk"))
    return User.objects.filter(Exists(in_scope) | ~Exists(any_grant), is_superuser=False)


def people_in_scope(user: User) -> int:
    """How many active people hold a role in the admin's subtrees: counted from their roles, through the
    organization index (accounts without a role would need every account read)."""
    grants = RoleGrant.objects.filter(scope_q(user, ADMIN_ROLES), user__is_active=True, user__is_superuser=False)
    return grants.values("user").distinct().count()


def search_users(user: User, query: str = "") -> QuerySet[User]:
    found = visible_users(user).order_by("username")
    query = query.strip()
    if query:
        # Chinese names are written family name first without a space: "张建华" is last + first.
        found = found.annotate(full_name=Concat("last_name", "first_name")).filter(
            Q(username__icontains=query) | Q(mobile__contains=query) | Q(full_name__icontains=query)
        )
    return found


def user_grants(account: User) -> QuerySet[RoleGrant]:
    return account.grants.select_related("organization").order_by("organization__path", "role")


def town_exists(name: str | None = None) -> bool:
    """Whether the installation has a town yet (any organization), or a committee called `name`."""
    organizations = (
        Organization.objects.all() if name is None else Organization.objects.filter(kind__in=COMMITTEE_KINDS, name=name)
    )
    return organizations.exists()


def username_taken(username: str) -> bool:
    return User.objects.filter(username=username).exists()


def mobile_taken(mobile: str) -> bool:
    return User.objects.filter(mobile=mobile).exists()


def activity_scope(user: User) -> Q:
    """The activity log entries a user may read: those of the organizations they administer, those of every
    organization below the district (or city) committee where they are district staff (read-only), and those
    with no organization that they made themselves. The others with no organization (the system's own, a
    demo's, a person's own password change) belong to the staff who run the system: with towns side by side,
    one town's admins do not read another town's.

    A town's few hundred organizations are named by id: beside the OR, a list of ids lets the database count a
    town's entries through the log's organization index (ten million rows in a city). A district's subtree
    is a range of paths read in the database (a hashed set of its thousands of ids): its entries are so dense
    that the log's time index, read newest first, reaches a page or the capped count soonest (issue 15)."""
    if user.is_superuser and user.is_active:
        return Q()
    districts = scope_q(user, (Role.DISTRICT_STAFF,), field="", implied=False)
    administered = Organization.objects.filter(scope_q(user, ADMIN_ROLES, field="")).exclude(districts)
    scope = Q(organization_id__in=list(administered.values_list("id", flat=True)))
    if reads_district_logs(user):
        scope |= Q(organization__in=Organization.objects.filter(districts).values("id"))
    return scope | Q(organization__isnull=True, actor=user)


def reads_district_logs(user: User) -> bool:
    """Whether the user reads the log of a whole district (or city): its staff."""
    return has_role(user, (Role.DISTRICT_STAFF,), implied=False)

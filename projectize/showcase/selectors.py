"""Reads of the showcase shared by the staff pages, the portal, the dashboard and the reports."""

from django.db.models import F, Q, QuerySet

from projectize.orgs.models import Organization, Role, User
from projectize.orgs.permissions import ORG_ROLES, grant_paths, scope_q
from projectize.reviews import selectors as review_selectors
from projectize.showcase.models import Award, Nomination, Showcase, ShowcaseStatus


def showcases_visible_to(user: User) -> QuerySet[Showcase]:
    """Staff see the showcases of their committees; organizations those of the committees above them."""
    showcases = Showcase.objects.select_related("organization")
    above = [ancestor for path in grant_paths(user, ORG_ROLES) for ancestor in ancestor_paths(path)]
    return showcases.filter(scope_q(user, [Role.TOWN_ADMIN]) | Q(organization__path__in=above))


def ancestor_paths(path: str) -> list[str]:
    """The materialized paths of a node and every node above it."""
    step = Organization.steplen
    return [path[:end] for end in range(step, len(path) + 1, step)]


def nominations_of(showcase: Showcase) -> QuerySet[Nomination]:
    # Unranked nominations (before the ranking) follow in the order they came in.
    return showcase.nominations.select_related("project", "organization", "award").order_by(
        F("rank").asc(nulls_last=True), "id"
    )


def own_nominations_q(user: User) -> Q:
    return scope_q(user, ORG_ROLES)


def public_showcases() -> QuerySet[Showcase]:
    """Showcases the public may look at: voting has begun or the list is out."""
    return Showcase.objects.filter(status__in=ShowcaseStatus.group("public")).select_related("organization")


def commendation_list(showcase: Showcase) -> QuerySet[Award]:
    return (
        Award.objects.filter(nomination__showcase=showcase)
        .select_related("nomination__project", "nomination__organization")
        .order_by("nomination__rank")
    )


def nominations_without_scores(showcase: Showcase) -> int:
    """Nominations no juror has scored yet on the showcase's rubric."""
    scored = review_selectors.scored_subject_ids(rubric=showcase.rubric, model=Nomination)
    return showcase.nominations.exclude(pk__in=scored).count()


def jury_progress(showcase: Showcase) -> dict[int, tuple[int, int]]:
    """For each nomination: (score sheets submitted, jurors asked), in one query."""
    return review_selectors.sheet_progress(
        rubric=showcase.rubric, model=Nomination, ids=showcase.nominations.values("pk")
    )


# Read by the reports and the portal ------------------------------------------------------------


def showcases_in_subtree(path: str) -> QuerySet[Showcase]:
    """Showcases of the organization at `path` and of every organization under it."""
    return Showcase.objects.filter(organization__path__startswith=path)


def awards_in_subtree(path: str) -> QuerySet[Award]:
    """Awards to nominations of the organization at `path` and of every organization under it."""
    return Award.objects.filter(nomination__organization__path__startswith=path)


def nominations_with_projects() -> QuerySet[Nomination]:
    return Nomination.objects.select_related("project")


def public_nominations() -> QuerySet[Nomination]:
    """Nominations of the showcases open to the public."""
    return Nomination.objects.filter(showcase__in=public_showcases())

from django.db.models import QuerySet

from projectize.orgs.models import ABOVE_TOWN_KINDS, Organization, User
from projectize.orgs.selectors import committees_run_by, town_exists


def needs_first_run(user: User) -> bool:
    """A superuser signing in to an installation with no organization yet is asked to set the town up."""
    return user.is_superuser and not town_exists()


def districts_run_by(user: User) -> QuerySet[Organization]:
    """The districts (and cities) where the user may add a town: those whose staff they are."""
    return committees_run_by(user).filter(kind__in=ABOVE_TOWN_KINDS)

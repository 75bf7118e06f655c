from projectize.orgs.models import User
from projectize.orgs.selectors import town_exists


def needs_first_run(user: User) -> bool:
    """A superuser signing in to an installation with no organization yet is asked to set the town up."""
    return user.is_superuser and not town_exists()

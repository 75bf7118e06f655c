"""Before the workbench: on a new installation, a superuser is led to set the town up."""

from django.urls import reverse

from projectize.install.selectors import needs_first_run
from projectize.orgs.models import User


def start(user: User) -> str | None:
    return reverse("install:first_run") if needs_first_run(user) else None

from django.http import HttpRequest

from projectize.orgs.models import User


class AuthedRequest(HttpRequest):
    """The request of a view behind `login_required`: its user is a real account."""

    user: User

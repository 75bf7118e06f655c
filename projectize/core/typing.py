"""Types for the code of every app, naming no app: the user is whatever model settings.AUTH_USER_MODEL names."""

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    # The project's user model, as django-stubs resolves settings.AUTH_USER_MODEL.
    from django.contrib.auth.models import _User as User
else:
    from django.contrib.auth.base_user import AbstractBaseUser as User


class AuthedRequest(HttpRequest):
    """The request of a view behind `login_required`: its user is a real account."""

    user: User

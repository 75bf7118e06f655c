from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q
from django.http import HttpRequest

from projectize.orgs.models import User


def find_account(login: str) -> User | None:
    """The account a login name stands for: its username (any case) or its mobile number."""
    login = login.strip()
    return User.objects.filter(Q(username__iexact=login) | Q(mobile=login)).order_by("pk").first()


class UsernameOrMobileBackend(ModelBackend):
    """Log in with either the username or the mobile number.

    The application's rights are `rules` predicates (each app's rules.py). Django's model permissions
    (groups, user_permissions) serve only the Django admin, which lets in staff accounts only; everyone
    else holds none, so their pages skip the two queries that would look them up on every request."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        if not username or password is None:
            return None
        user = find_account(username)
        if user is None:
            User().set_password(password)  # same work as a real check, so timing tells nothing
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return super().get_user_permissions(user_obj, obj) if user_obj.is_staff else set()

    def get_group_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return super().get_group_permissions(user_obj, obj) if user_obj.is_staff else set()

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django.db.models import Q
from django.http import HttpRequest

from projectize.orgs.models import User


def find_account(login: str) -> User | None:
    """The account a login name stands for: its username (any case) or its mobile number."""
    login = login.strip()
    return User.objects.filter(Q(username__iexact=login) | Q(mobile=login)).order_by("pk").first()


_USER_BY_ID = "SELECT {columns} FROM {table} WHERE {pk} = %s".format(
    columns=", ".join(connection.ops.quote_name(str(field.column)) for field in User._meta.concrete_fields),
    table=connection.ops.quote_name(User._meta.db_table),
    pk=connection.ops.quote_name("id"),
)


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

    def get_user(self, user_id: Any) -> User | None:
        """The signed-in person, read on every request: one row by primary key, written out once rather than
        built by the ORM each time (building it cost more than the rest of sending a kept page's copy)."""
        with connection.cursor() as cursor:
            cursor.execute(_USER_BY_ID, [user_id])
            row = cursor.fetchone()
        if row is None:
            return None
        user = User.from_db(connection.alias, [field.attname for field in User._meta.concrete_fields], row)
        return user if self.user_can_authenticate(user) else None

    def get_user_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return super().get_user_permissions(user_obj, obj) if user_obj.is_staff else set()

    def get_group_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return super().get_group_permissions(user_obj, obj) if user_obj.is_staff else set()

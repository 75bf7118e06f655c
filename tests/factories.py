"""Test data factories shared by every test module."""

import factory
from django.contrib.auth.hashers import make_password

from projectize.orgs.models import Organization, OrgKind, Role, RoleGrant, User

PASSWORD = "demo-pass-2026"
# Hashing is slow by design; every factory user shares one hash of the test password.
_PASSWORD_HASH = make_password(PASSWORD)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    last_name = "张"
    first_name = factory.Sequence(lambda n: f"同志{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = _PASSWORD_HASH


def make_root(name: str = "新桥镇党委") -> Organization:
    return Organization.objects.add_root({"name": name, "kind": OrgKind.COMMITTEE})


def make_org(parent: Organization, name: str, kind: str = OrgKind.RESIDENTIAL) -> Organization:
    return Organization.objects.add_child(parent, {"name": name, "kind": kind})


def grant(user: User, role: Role, organization: Organization) -> RoleGrant:
    return RoleGrant.objects.create(user=user, role=role, organization=organization)


def user_with_role(role: Role, organization: Organization, **fields: object) -> User:
    user: User = UserFactory.create(**fields)
    grant(user, role, organization)
    return user

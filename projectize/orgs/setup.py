"""A real town's first run: its committee as the root of the tree, its first administrator, and the
defaults a committee starts from (need categories, scoring standards, warning rules)."""

from typing import Any

from django.db import transaction

from projectize.core.services import log_activity
from projectize.orgs.models import Organization, OrgKind, Role, RoleGrant, User


def town_setup(*, name: str, address: str, admin: User) -> Organization:
    """The root and its first administrator have no one above them to act through the services; they are
    written here, logged with no actor, and everything after goes through the services as that admin."""
    from projectize.needs.demo import CATEGORIES
    from projectize.needs.services import category_save
    from projectize.reviews.demo import RUBRICS
    from projectize.reviews.services import rubric_create
    from projectize.supervision.demo import RULE_DAYS
    from projectize.supervision.models import RuleKind
    from projectize.supervision.services import rule_save

    with transaction.atomic():
        root = Organization.objects.add_root({"name": name, "kind": OrgKind.COMMITTEE, "address": address})
        log_activity(actor=None, action="organization.create", target=root, after={"name": root.name})
        RoleGrant.objects.create(user=admin, role=Role.TOWN_ADMIN, organization=root)
        log_activity(actor=None, action="role.grant", target=admin, organization=root, after={"role": Role.TOWN_ADMIN})
        actor: Any = User.objects.get(pk=admin.pk)  # fresh, so its role cache includes the grant
        for order, category in enumerate(CATEGORIES, start=1):
            category_save(actor=actor, organization=root, name=category, order=order, is_active=True, category=None)
        for spec in RUBRICS:
            rubric_create(organization=root, spec=spec, actor=actor)
        for kind in RuleKind.values:
            for level, days in RULE_DAYS.items():
                rule_save(organization=root, kind=kind, level=level, days=days, is_active=True, actor=actor)
    return root


def needs_first_run(user: Any) -> bool:
    """A superuser signing in to an installation with no organization yet is asked to set the town up."""
    return bool(getattr(user, "is_superuser", False)) and not Organization.objects.exists()

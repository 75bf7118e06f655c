"""A real town's first run: its committee as the root of the tree, its first administrator, and the
defaults a committee starts from (need categories, scoring standards, warning rules)."""

from django.db import transaction

from projectize.needs.demo import CATEGORIES
from projectize.needs.services import category_save
from projectize.orgs.models import Organization, User
from projectize.orgs.services import town_create
from projectize.reviews.demo import RUBRICS
from projectize.reviews.services import rubric_create
from projectize.supervision.demo import RULE_DAYS
from projectize.supervision.models import RuleKind
from projectize.supervision.services import rule_save


def town_setup(*, name: str, address: str, admin: User) -> Organization:
    """The town's committee with `admin` as its town admin, who then sets the defaults through the services."""
    with transaction.atomic():
        root = town_create(name=name, address=address, admin=admin)
        for order, category in enumerate(CATEGORIES, start=1):
            category_save(actor=admin, organization=root, name=category, order=order, is_active=True, category=None)
        for spec in RUBRICS:
            rubric_create(organization=root, spec=spec, actor=admin)
        for kind in RuleKind.values:
            for level, days in RULE_DAYS.items():
                rule_save(organization=root, kind=kind, level=level, days=days, is_active=True, actor=admin)
    return root

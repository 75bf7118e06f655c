"""Installing towns: a real town's first run (its committee as the root of the tree, its first administrator
and the defaults a committee starts from), and a new town under a district (`town_onboard`): its committee,
its first administrator, its own copies of the district's defaults and its organizations from the Excel
template, all in one transaction."""

from dataclasses import dataclass, field
from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from projectize.funds.services import tiers_copy
from projectize.needs.demo import CATEGORIES
from projectize.needs.services import categories_copy, category_save
from projectize.orgs import imports
from projectize.orgs.imports import CheckedRow
from projectize.orgs.models import ABOVE_TOWN_KINDS, Organization, OrgKind, User
from projectize.orgs.services import (
    account_create_with_one_time_password,
    organizations_import,
    town_add,
    town_create,
    town_profile_create,
)
from projectize.reviews.demo import RUBRICS
from projectize.reviews.services import rubric_create, rubrics_copy
from projectize.supervision.demo import RULE_DAYS
from projectize.supervision.models import RuleKind
from projectize.supervision.services import rule_save, rules_copy


def defaults_set(*, committee: Organization, admin: User) -> None:
    """The built-in defaults a committee starts from: need categories, scoring standards, warning rules."""
    for order, category in enumerate(CATEGORIES, start=1):
        category_save(actor=admin, organization=committee, name=category, order=order, is_active=True, category=None)
    for spec in RUBRICS:
        rubric_create(organization=committee, spec=spec, actor=admin)
    for kind in RuleKind.values:
        for level, days in RULE_DAYS.items():
            rule_save(organization=committee, kind=kind, level=level, days=days, is_active=True, actor=admin)


def town_setup(*, name: str, address: str, admin: User) -> Organization:
    """The town's committee with `admin` as its town admin, who then sets the defaults through the services."""
    with transaction.atomic():
        root = town_create(name=name, address=address, admin=admin)
        defaults_set(committee=root, admin=admin)
    return root


@dataclass
class Copied:
    """How many of each default the new town received."""

    categories: int = 0
    rubrics: int = 0
    rules: int = 0
    tiers: int = 0


def defaults_copy(*, district: Organization, town: Organization, admin: User) -> Copied:
    """The town's own copies of the district's defaults (the built-in ones where the district keeps none),
    made by the town's admin: the town edits its copies without touching the district's."""
    copied = Copied(
        categories=len(categories_copy(source=district, target=town, actor=admin)),
        rubrics=len(rubrics_copy(source=district, target=town, actor=admin)),
        rules=len(rules_copy(source=district, target=town, actor=admin)),
        tiers=len(tiers_copy(source=district, target=town, actor=admin)),
    )
    if not copied.categories:
        for order, category in enumerate(CATEGORIES, start=1):
            category_save(actor=admin, organization=town, name=category, order=order, is_active=True, category=None)
        copied.categories = len(CATEGORIES)
    if not copied.rubrics:
        for spec in RUBRICS:
            rubric_create(organization=town, spec=spec, actor=admin)
        copied.rubrics = len(RUBRICS)
    if not copied.rules:
        for kind in RuleKind.values:
            for level, days in RULE_DAYS.items():
                rule_save(organization=town, kind=kind, level=level, days=days, is_active=True, actor=admin)
        copied.rules = len(RuleKind.values) * len(RULE_DAYS)
    return copied


class ImportRefused(ValidationError):
    """The organizations file has rows with errors: nothing was created. `rows` holds every row checked."""

    def __init__(self, rows: list[CheckedRow]) -> None:
        bad = sum(1 for row in rows if row.errors)
        super().__init__({"organizations": _("组织文件中有 %(n)s 行有错误，镇未建立。请改正后重新提交。") % {"n": bad}})
        self.rows = rows


@dataclass
class NewTown:
    town: Organization
    admin: User
    password: str
    copied: Copied
    imported: int = 0
    rows: list[CheckedRow] = field(default_factory=list)


def town_onboard(
    *,
    actor: User,
    district: Organization,
    name: str,
    slug: str,
    admin_username: str,
    admin_last_name: str,
    admin_first_name: str,
    kind: str = OrgKind.COMMITTEE,
    address: str = "",
    brand_name: str = "",
    code_prefix: str = "",
    admin_mobile: str | None = None,
    admin_email: str = "",
    organizations: IO[bytes] | None = None,
) -> NewTown:
    """A new town under `district`, set up by the district's staff (`actor`) in one transaction, or not at all:

    - the town's first admin, an account with a one-time password to change at the first sign-in;
    - the town's committee, its profile (slug, brand, project-code prefix) and the admin's grant;
    - the town's own copies of the district's categories, rubrics, warning rules and support tiers;
    - the town's organizations from the Excel template (optional), checked as the import page checks
      them and written by the town's admin; a file with any row in error refuses the whole town
      (`ImportRefused`, with the rows and their errors).

    The district's staff keep no right inside the town afterwards: they read it as they read every town.
    """
    if district.kind not in ABOVE_TOWN_KINDS:
        raise ValidationError({"district": _("新的镇（街道）党委须建在区委或市委之下。")})
    with transaction.atomic():
        admin, password = account_create_with_one_time_password(
            actor=actor,
            username=admin_username,
            last_name=admin_last_name,
            first_name=admin_first_name,
            mobile=admin_mobile,
            email=admin_email,
        )
        town = town_add(actor=actor, district=district, name=name, admin=admin, kind=kind, address=address)
        town_profile_create(actor=actor, town=town, slug=slug, brand_name=brand_name, code_prefix=code_prefix)
        admin = User.objects.get(pk=admin.pk)  # acts with the grant just made
        copied = defaults_copy(district=district, town=town, admin=admin)
        result = NewTown(town=town, admin=admin, password=password, copied=copied)
        if organizations is not None:
            try:
                rows = imports.read_workbook(organizations)
            except ValidationError as error:
                raise ValidationError({"organizations": error.messages}) from None
            checked, planned = imports.check_rows(admin, rows)
            if not planned:
                raise ImportRefused(checked)
            result.imported = len(organizations_import(actor=admin, rows=planned))
            result.rows = checked
    return result

"""First run of a real town: its committee as the root of the tree, its first administrator, and
the defaults a committee starts from (need categories, scoring standards, warning rules).

Organizations and people then come in from the Excel templates on the organization pages.
"""

import datetime
import secrets
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from projectize.core.services import log_activity


class Command(BaseCommand):
    help = "Create the town committee (the root organization), its first administrator and default settings."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="The committee's name, e.g. 新桥镇党委.")
        parser.add_argument("--address", default="")
        parser.add_argument("--admin-username", required=True)
        parser.add_argument("--admin-last-name", required=True, help="Family name (姓).")
        parser.add_argument("--admin-first-name", required=True, help="Given name (名).")
        parser.add_argument("--admin-email", default="")
        parser.add_argument("--admin-mobile", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        from projectize.needs.demo import CATEGORIES
        from projectize.needs.services import category_save
        from projectize.orgs.models import Organization, OrgKind, Role, RoleGrant, User
        from projectize.reviews.demo import RUBRICS
        from projectize.reviews.services import rubric_create
        from projectize.supervision.demo import RULE_DAYS
        from projectize.supervision.models import RuleKind
        from projectize.supervision.services import rule_save

        if Organization.objects.filter(depth=1, name=options["name"]).exists():
            raise CommandError(f"{options['name']} already exists; nothing was changed.")
        if User.objects.filter(username=options["admin_username"]).exists():
            raise CommandError(f"The login {options['admin_username']} is taken; nothing was changed.")
        password = secrets.token_urlsafe(12) + "-Aa1"
        with transaction.atomic():
            # The root and its first administrator have no one above them to create them through the
            # services; they are written here and logged with no actor, everything after goes through services.
            root = Organization.objects.add_root(
                {"name": options["name"], "kind": OrgKind.COMMITTEE, "address": options["address"]}
            )
            log_activity(actor=None, action="organization.create", target=root, after={"name": root.name})
            admin = User(
                username=options["admin_username"],
                last_name=options["admin_last_name"],
                first_name=options["admin_first_name"],
                email=options["admin_email"],
                mobile=options["admin_mobile"] or None,
            )
            admin.set_password(password)
            admin.save()
            # Dated long ago, so the account policy asks for a new password at the first sign-in.
            admin.password_records.update(set_at=timezone.make_aware(datetime.datetime(2000, 1, 1)))
            log_activity(actor=None, action="user.create", target=admin)
            RoleGrant.objects.create(user=admin, role=Role.TOWN_ADMIN, organization=root)
            log_activity(
                actor=None, action="role.grant", target=admin, organization=root, after={"role": Role.TOWN_ADMIN}
            )
            admin = User.objects.get(pk=admin.pk)  # fresh, so its role cache includes the grant

            for order, name in enumerate(CATEGORIES, start=1):
                category_save(actor=admin, organization=root, name=name, order=order, is_active=True, category=None)
            for spec in RUBRICS:
                rubric_create(organization=root, spec=spec, actor=admin)
            for kind in RuleKind.values:
                for level, days in RULE_DAYS.items():
                    rule_save(organization=root, kind=kind, level=level, days=days, is_active=True, actor=admin)

        self.stdout.write(
            self.style.SUCCESS(f"{root.name} is set up.")
            + f"\nSign in as {admin.username} with this one-time password and choose your own: {password}"
            + "\nThen import organizations and people from the Excel templates (组织管理 → Excel 导入)."
        )

"""First run of a real town: its committee as the root of the tree, its first administrator, and
the defaults a committee starts from (need categories, scoring standards, warning rules).

Organizations and people then come in from the Excel templates on the organization pages.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from projectize.install.services import town_setup
from projectize.orgs.selectors import town_exists, username_taken
from projectize.orgs.services import first_admin_create


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
        if town_exists(options["name"]):
            raise CommandError(f"{options['name']} already exists; nothing was changed.")
        if username_taken(options["admin_username"]):
            raise CommandError(f"The login {options['admin_username']} is taken; nothing was changed.")
        with transaction.atomic():
            admin, password = first_admin_create(
                username=options["admin_username"],
                last_name=options["admin_last_name"],
                first_name=options["admin_first_name"],
                email=options["admin_email"],
                mobile=options["admin_mobile"],
            )
            root = town_setup(name=options["name"], address=options["address"], admin=admin)

        self.stdout.write(
            self.style.SUCCESS(f"{root.name} is set up.")
            + f"\nSign in as {admin.username} with this one-time password and choose your own: {password}"
            + "\nThen import organizations and people from the Excel templates (组织管理 → Excel 导入)."
        )

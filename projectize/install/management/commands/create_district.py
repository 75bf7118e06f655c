"""A district committee as the root of the tree, with its first staff member; the towns named by --above
(roots until now) move under it with their whole trees.

    manage.py create_district --name 松江区委 --admin-username songjiang --admin-last-name 李 \\
        --admin-first-name 明 --above 新桥镇党委
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from projectize.orgs.models import Organization
from projectize.orgs.selectors import town_exists, username_taken
from projectize.orgs.services import district_create, first_admin_create


class Command(BaseCommand):
    help = "Create a district committee (a new root) and its first staff member, above existing towns."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="The district committee's name, e.g. 松江区委.")
        parser.add_argument("--address", default="")
        parser.add_argument("--above", action="append", default=[], help="A town at the root to move under it.")
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
        towns = []
        for name in options["above"]:
            town = Organization.objects.get_root_nodes().filter(name=name).first()
            if town is None:
                raise CommandError(f"No town at the root is called {name}; nothing was changed.")
            towns.append(town)
        try:
            with transaction.atomic():
                admin, password = first_admin_create(
                    username=options["admin_username"],
                    last_name=options["admin_last_name"],
                    first_name=options["admin_first_name"],
                    email=options["admin_email"],
                    mobile=options["admin_mobile"],
                )
                district = district_create(name=options["name"], address=options["address"], admin=admin, above=towns)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages) + " Nothing was changed.") from None
        self.stdout.write(
            self.style.SUCCESS(f"{district.name} is set up above {len(towns)} town(s).")
            + f"\nSign in as {admin.username} with this one-time password and choose your own: {password}"
            + "\nThen add towns with `manage.py create_town` or the page 组织与用户 → 新建镇（街道）."
        )

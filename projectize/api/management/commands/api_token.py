from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from projectize.api import services
from projectize.orgs.models import Organization, Role, User
from projectize.orgs.selectors import top_organization


class Command(BaseCommand):
    help = "Make an API token for an integration (as the staff page does) and print its key, which is shown only once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="The town administrator the token acts as.")
        parser.add_argument("--name", required=True, help="The integration's name.")
        parser.add_argument(
            "--organization",
            help="Id of the organization whose subtree it reaches (default: the highest the user administers).",
        )
        parser.add_argument("--write", action="store_true", help="Allow writing as well as reading.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError("No active user of that name.")
        chosen = options["organization"]
        # By default the highest organization where the account is a town administrator.
        found = Organization.objects.filter(pk=chosen).first() if chosen else top_organization(user, (Role.TOWN_ADMIN,))
        if found is None:
            raise CommandError("No such organization.")
        _token, key = services.token_create(
            actor=user, name=options["name"], organization=found, can_write=options["write"]
        )
        self.stdout.write(key)

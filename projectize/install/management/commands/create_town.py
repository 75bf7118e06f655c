"""A new town under a district, as the district's staff page makes it: its committee with its brand, its first
administrator (with a one-time password), its own copies of the district's defaults, and optionally its
organizations from the Excel template.

    manage.py create_town --district 松江区委 --name 泖港镇党委 --slug maogang --code-prefix MG \\
        --admin-username maogang --admin-last-name 王 --admin-first-name 芳 --organizations 泖港镇组织.xlsx
"""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from projectize.install.services import ImportRefused, town_onboard
from projectize.orgs.models import ABOVE_TOWN_KINDS, Organization, OrgKind, Role, User


class Command(BaseCommand):
    help = "Create a town committee under a district, with its first administrator and the district's defaults."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--district", required=True, help="The district committee's name, e.g. 松江区委.")
        parser.add_argument(
            "--by", default="", help="Username of the district staff member acting (default: the first)."
        )
        parser.add_argument("--name", required=True, help="The town committee's name, e.g. 泖港镇党委.")
        parser.add_argument("--kind", default=OrgKind.COMMITTEE, choices=[OrgKind.COMMITTEE, OrgKind.SUBDISTRICT])
        parser.add_argument("--address", default="")
        parser.add_argument("--slug", required=True, help="The town's address on the public site, e.g. maogang.")
        parser.add_argument("--brand", default="", help="Its brand programme's name, e.g. 家新桥.")
        parser.add_argument("--code-prefix", required=True, help="Capital letters before its project codes, e.g. MG.")
        parser.add_argument("--admin-username", required=True)
        parser.add_argument("--admin-last-name", required=True, help="Family name (姓).")
        parser.add_argument("--admin-first-name", required=True, help="Given name (名).")
        parser.add_argument("--admin-mobile", default=None)
        parser.add_argument("--admin-email", default="")
        parser.add_argument("--organizations", type=Path, help="The town's organizations, in the Excel template.")

    def handle(self, *args: Any, **options: Any) -> None:
        district = Organization.objects.filter(name=options["district"], kind__in=ABOVE_TOWN_KINDS).first()
        if district is None:
            raise CommandError(f"No district committee is called {options['district']}.")
        staff = User.objects.filter(
            is_active=True, grants__role=Role.DISTRICT_STAFF, grants__organization=district
        ).order_by("pk")
        actor = (staff.filter(username=options["by"]) if options["by"] else staff).first()
        if actor is None:
            raise CommandError(f"{options['by'] or 'Nobody'} is not district staff of {district}.")
        workbook = options["organizations"].open("rb") if options["organizations"] else None
        try:
            created = town_onboard(
                actor=actor,
                district=district,
                name=options["name"],
                kind=options["kind"],
                address=options["address"],
                slug=options["slug"],
                brand_name=options["brand"],
                code_prefix=options["code_prefix"].upper(),
                admin_username=options["admin_username"],
                admin_last_name=options["admin_last_name"],
                admin_first_name=options["admin_first_name"],
                admin_mobile=options["admin_mobile"],
                admin_email=options["admin_email"],
                organizations=workbook,
            )
        except ImportRefused as refused:
            lines = [f"  row {row.number}: {'; '.join(row.errors)}" for row in refused.rows if row.errors]
            raise CommandError("\n".join(["The organizations file has errors; nothing was created.", *lines])) from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages) + " Nothing was created.") from None
        finally:
            if workbook is not None:
                workbook.close()
        copied = created.copied
        self.stdout.write(
            self.style.SUCCESS(f"{created.town.name} is set up under {district.name}.")
            + f"\nDefaults copied: {copied.categories} need categories, {copied.rubrics} rubrics,"
            f" {copied.rules} warning rules, {copied.tiers} support tiers; {created.imported} organizations imported."
            + f"\nThe town's admin signs in as {created.admin.username} with this one-time password: {created.password}"
        )

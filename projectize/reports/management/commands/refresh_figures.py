"""Count the dashboard's figures: the parts of the tree changed since their last count, or (--all) all."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from projectize.reports import rollup


class Command(BaseCommand):
    help = "Count the dashboard's figures again: what changed since the last count, or everything with --all."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--all", action="store_true", help="Count every part of the tree (after an import or a bulk load)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        counted = rollup.count_all() if options["all"] else rollup.count_changed()
        for refresh in counted:
            part = refresh.organization.name if refresh.organization else "above the towns"
            self.stdout.write(f"{part}: {refresh.seconds:.1f} s")
        self.stdout.write(f"counted {len(counted)} part(s) of the tree")

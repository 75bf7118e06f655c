import datetime
from typing import Any

from django.core.management.base import BaseCommand

from projectize.supervision.services import warnings_evaluate


class Command(BaseCommand):
    help = "Raise the warnings the configured rules call for today (run daily). Running twice raises nothing new."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--date", type=datetime.date.fromisoformat, help="Evaluate as of this day (YYYY-MM-DD).")

    def handle(self, *args: Any, date: datetime.date | None = None, **options: Any) -> None:
        self.stdout.write(f"warnings raised: {len(warnings_evaluate(today=date))}")

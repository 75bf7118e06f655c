import datetime
import os
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from projectize.orgs.models import Organization
from projectize.scale.generate import Generator, Sizes

PASSWORD = "Scale-pass-2026"


class Command(BaseCommand):
    help = (
        "Fill an empty database with a synthetic city (city → districts → towns → committees → branches) and its "
        "projects, needs, claims, funds and log rows, the same for the same seed. For benchmarks only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--orgs", type=int, default=1_000)
        parser.add_argument("--projects", type=int, default=10_000)
        parser.add_argument("--needs", type=int, default=20_000)
        parser.add_argument("--claims", type=int, default=5_000)
        parser.add_argument("--log-rows", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--today", type=datetime.date.fromisoformat, default=None, help="The day the data ends (default: today)."
        )
        parser.add_argument(
            "--i-know-this-is-synthetic",
            action="store_true",
            dest="confirmed",
            help=f"Generate although DEBUG is off: every generated account has the password {PASSWORD}.",
        )

    def handle(self, *args: Any, confirmed: bool = False, today: datetime.date | None = None, **options: Any) -> None:
        if not settings.DEBUG and not confirmed:
            raise CommandError(
                f"DEBUG is off: every generated account has the published password {PASSWORD}. "
                "Pass --i-know-this-is-synthetic for a benchmark database."
            )
        if Organization.objects.exists():
            raise CommandError("The database already has organizations: generate into an empty, migrated database.")
        sizes = Sizes(options["orgs"], options["projects"], options["needs"], options["claims"], options["log_rows"])
        if sizes.orgs < 10:
            raise CommandError("--orgs must be at least 10 (a city, a district, a town and its organizations).")
        started, cpu, database_cpu = time.monotonic(), time.process_time(), _database_cpu()
        generator = Generator(
            sizes,
            seed=options["seed"],
            today=today or datetime.date.today(),
            password=PASSWORD,
            say=lambda line: self.stdout.write(line),
        )
        written = generator.run()
        seconds = time.monotonic() - started
        cpu, database_cpu = time.process_time() - cpu, _database_cpu() - database_cpu
        total = sum(written.values())
        for label, count in written.items():
            self.stdout.write(f"  {label:28} {count:>12,}")
        self.stdout.write(
            self.style.SUCCESS(f"{total:,} rows in {seconds:.1f} s ({total / max(seconds, 0.001):,.0f} rows/s).")
            + f"\nCPU: generator {cpu:.1f} s, database server {database_cpu:.1f} s (0 if not measurable)."
            + f"\nSign in as city_admin, t0001_admin, t0001_leader1 or u000001 with the password {PASSWORD}."
        )


def _database_cpu() -> float:
    """CPU seconds the database server process of this connection has used, when it runs on this machine
    (PostgreSQL on the same host); 0 otherwise. With the generator's own CPU it tells what a larger run costs."""
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

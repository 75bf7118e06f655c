"""The Python and template CPU each key page costs per request, without a server or a load tool.

Where `make bench` (bench/run.py) measures throughput under load, this script asks where one request's
time goes. It sets Django up as production does (DEBUG off, so the cached template loader and the
production static files storage), signs in per role with Django's test client, requests each key page once
to warm it (templates compiled, URL patterns resolved), then times N more requests of each:

- wall ms and process CPU ms per request, the median and the least (CPU is the fairer figure on a shared
  machine: other processes' load stretches the wall time, not this process's CPU time; it still inflates
  CPU time a little through shared caches, which the least of N requests mostly escapes);
- the number of queries and the ms spent in them, timed by a database execute wrapper. On SQLite the
  database works inside this process, so its time is part of the CPU figure; "CPU − SQL" is then roughly
  the Python and template work. On PostgreSQL the server's work is in another process.

With `--profile PAGE` it runs cProfile over that page's N requests instead and prints the functions sorted
by `--sort` (cumulative or own time, `tottime`).

Runs on the demo data (`DEBUG=true manage.py load_demo` into any database) or any DATABASE_URL whose demo
accounts exist (`admin`, `district`; no password needed: the client signs in with force_login), or on
data from `manage.py generate_scale` with `--admin t0001_admin --district city_admin`:

    DATABASE_URL=sqlite:////tmp/demo.sqlite3 .venv/bin/python bench/profile_pages.py -n 30
    .venv/bin/python bench/profile_pages.py --profile "project list" --sort tottime --limit 40
    .venv/bin/python bench/profile_pages.py --only needs --markdown

Pages are named as in the table (the first role's page whose name contains `--profile`/`--only` text).
"""

import argparse
import cProfile
import os
import pstats
import secrets
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Page:
    role: str
    name: str
    url: str
    user: Any = None


@dataclass
class Timing:
    wall_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    queries: int = 0
    sql_ms: float = 0.0
    status: int = 0
    size: int = 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=20, help="Timed requests per page (after one to warm it).")
    parser.add_argument("--only", default="", help="Only the pages whose name or URL contains this text.")
    parser.add_argument("--profile", default="", help="cProfile this page's N requests (name or URL text).")
    parser.add_argument("--sort", default="cumulative", help="cProfile order: cumulative, tottime, ncalls.")
    parser.add_argument("--limit", type=int, default=50, help="Lines of the cProfile listing.")
    parser.add_argument("--admin", default="admin", help="The town admin's username (generated data: t0001_admin).")
    parser.add_argument("--district", default="district", help="District staff (generated data: city_admin).")
    parser.add_argument("--markdown", action="store_true", help="Print the table as Markdown.")
    args = parser.parse_args()
    setup_django()

    pages = key_pages(args.admin, args.district)
    wanted = args.profile or args.only
    if wanted:
        pages = [page for page in pages if wanted in page.name or wanted in page.url]
        if not pages:
            sys.exit(f"no key page matches {wanted!r}")
    if args.profile:
        profile(pages[0], args.n, args.sort, args.limit)
        return
    rows = [(page, measure(page, args.n)) for page in pages]
    print_table(rows, args.markdown)


def setup_django() -> None:
    """Production's settings on this machine's database: DEBUG off (unless the caller set DEBUG)."""
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ["DJANGO_SETTINGS_MODULE"] = "projectize.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def key_pages(admin_name: str, district_name: str) -> list[Page]:
    """The key pages of issue 15, each as the role that uses it."""
    from projectize.orgs.models import User
    from projectize.projects.selectors import projects_visible_to

    def user(username: str) -> User:
        return User.objects.get(username=username)

    admin, district = user(admin_name), user(district_name)
    project = projects_visible_to(admin).order_by("pk").first()
    assert project is not None, "no project the town admin sees: load the demo first"
    return [
        Page("anonymous", "trivial view", "/healthz"),
        Page("admin", "home", "/", admin),
        Page("admin", "project list", "/projects/", admin),
        Page("admin", "project list, page 2", "/projects/?page=2", admin),
        Page("admin", "project page", f"/projects/{project.pk}/", admin),
        Page("admin", "needs list", "/needs/", admin),
        Page("admin", "claim list", "/claims/all/", admin),
        Page("admin", "target board", "/programmes/targets/", admin),
        Page("admin", "activity log", "/activity/", admin),
        Page("admin", "organization tree", "/orgs/", admin),
        Page("admin", "dashboard, town", "/reports/dashboard/", admin),
        Page("district", "dashboard, district", "/reports/dashboard/", district),
        Page("anonymous", "portal home", "/public/"),
        Page("anonymous", "public target list", "/programmes/public/"),
    ]


def client_for(page: Page) -> Any:
    from django.test import Client

    # A page that fails is reported with its status (another change may be under way), not raised.
    client = Client(raise_request_exception=False)
    if page.user is not None:
        client.force_login(page.user)
    return client


@contextmanager
def timed_queries(timing: Timing) -> Iterator[None]:
    """Counts the queries and adds up their time (a light wrapper: no SQL is kept)."""
    from django.db import connection

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timing.queries += 1
            timing.sql_ms += (time.perf_counter() - start) * 1000

    with connection.execute_wrapper(wrapper):
        yield


def get(client: Any, page: Page) -> Any:
    return client.get(page.url, secure=True)


def measure(page: Page, n: int) -> Timing:
    client = client_for(page)
    timing = Timing()
    timing.status = get(client, page).status_code
    if timing.status != 200:
        return timing
    with timed_queries(timing):
        for _ in range(n):
            wall, cpu = time.perf_counter(), time.process_time()
            response = get(client, page)
            timing.cpu_ms.append((time.process_time() - cpu) * 1000)
            timing.wall_ms.append((time.perf_counter() - wall) * 1000)
    timing.size = len(response.content)
    timing.queries //= n
    timing.sql_ms /= n
    return timing


def profile(page: Page, n: int, sort: str, limit: int) -> None:
    client = client_for(page)
    get(client, page)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(n):
        get(client, page)
    profiler.disable()
    print(f"{page.role} {page.name} ({page.url}), {n} requests, sorted by {sort}")
    pstats.Stats(profiler).strip_dirs().sort_stats(sort).print_stats(limit)


def print_table(rows: list[tuple[Page, Timing]], markdown: bool) -> None:
    load = ", ".join(f"{figure:.1f}" for figure in os.getloadavg())
    header = ["role", "page", "URL", "CPU ms", "min CPU ms", "CPU − SQL ms", "wall ms", "queries", "SQL ms", "KB"]
    from django.db import connection

    # SQLite works inside this process, so its time is part of the CPU figure; PostgreSQL's is not.
    in_process = connection.vendor == "sqlite"
    lines = []
    for page, timing in rows:
        if timing.status != 200:
            lines.append([page.role, page.name, page.url, f"HTTP {timing.status}", *[""] * (len(header) - 4)])
            continue
        cpu = statistics.median(timing.cpu_ms)
        lines.append(
            [
                page.role,
                page.name,
                page.url,
                f"{cpu:.1f}",
                f"{min(timing.cpu_ms):.1f}",
                f"{cpu - timing.sql_ms:.1f}" if in_process else "",
                f"{statistics.median(timing.wall_ms):.1f}",
                str(timing.queries),
                f"{timing.sql_ms:.1f}",
                f"{timing.size / 1024:.0f}",
            ]
        )
    print(f"Database: {connection.vendor}; medians of the timed requests; load average {load}")
    if markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "|".join(["---"] * 3 + ["--:"] * (len(header) - 3)) + "|")
        for line in lines:
            line[2] = f"`{line[2]}`"
            print("| " + " | ".join(line) + " |")
        return
    widths = [max(len(row[i]) for row in [header, *lines]) for i in range(len(header))]
    for line in [header, *lines]:
        pairs = enumerate(zip(line, widths, strict=True))
        cells = [cell.ljust(width) if i < 3 else cell.rjust(width) for i, (cell, width) in pairs]
        print("  ".join(cells))


if __name__ == "__main__":
    main()

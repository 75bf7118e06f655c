"""`make bench`: the key pages under load, at town, district or city scale, beside a trivial view.

Generates the data set into a database of its own (kept for the next run), serves the system with
gunicorn (2 sync workers, DEBUG off, behind a pretend HTTPS proxy, with Redis as a city runs it) on
loopback, signs in per role over
HTTP, counts each page's queries once through Django's test client (with their time in the database and
the slowest of them, the one to EXPLAIN), drives each page with wrk (10 connections, a fixed time), times
the large exports (the web request must answer within 2 s; the background worker, Celery's, builds the
file, its time and peak memory measured), and writes a Markdown table to bench/results/<scale>-<date>.md.
"""

import argparse
import datetime
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
CELERY = str(ROOT / ".venv" / "bin" / "celery")
SCALES = {
    # A hundredth of a city: the comparison figures.
    "town": {"orgs": 1_000, "projects": 10_000, "needs": 20_000, "claims": 5_000, "log_rows": 100_000},
    "district": {"orgs": 10_000, "projects": 200_000, "needs": 400_000, "claims": 50_000, "log_rows": 1_000_000},
    "city": {"orgs": 100_000, "projects": 1_000_000, "needs": 2_000_000, "claims": 500_000, "log_rows": 10_000_000},
}
PASSWORD = "Scale-pass-2026"
CONNECTIONS = 10
# The targets for every key page.
P95_TARGET_MS = 100
RATIO_TARGET = 0.20
QUERY_TARGET = 15
EXPORT_REQUEST_TARGET_S = 2.0
MEMORY_TARGET_MB = 300
# The deep page of the project list: page 300 of 25 rows (rows 7,476-7,500), within the 10,000 rows the
# shared paginator counts (projectize.core.pagination.COUNT_CAP), so it is a page a person can reach.
DEEP_PAGE = 300
LOAD_BEFORE: list[float] = []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", choices=SCALES, default="town")
    parser.add_argument("--duration", type=int, default=10, help="Seconds of load per page in each round.")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="Rounds over every page, each between two loads of /healthz; a page's figures are its median round.",
    )
    parser.add_argument("--port", type=int, default=8731)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL, no database.")
    parser.add_argument(
        "--redis",
        default="redis://127.0.0.1:6379/13",
        help="A Redis database of the bench's own (emptied before the load); '' for the embedded default.",
    )
    parser.add_argument("--fresh", action="store_true", help="Drop the bench database and generate it again.")
    parser.add_argument(
        "--no-recount",
        dest="recount",
        action="store_false",
        help="A kept database's figures stand as last counted (counting a city's takes about 15 minutes).",
    )
    parser.add_argument("--note", default="", help="A line for the result file, e.g. what else ran.")
    parser.add_argument("--label", default="", help="Ends the result file's name (<scale>-<date>-<label>.md).")
    parser.add_argument(
        "--export-seconds",
        type=int,
        default=120,
        help="How long the worker may build each large export (its rate and memory are measured); 0: none.",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: make system-deps (or apt-get install wrk).")
    LOAD_BEFORE[:] = os.getloadavg()
    # Stopped (kill, Ctrl-C): leave through the `finally` that stops gunicorn.
    signal.signal(signal.SIGTERM, lambda _signal, _frame: sys.exit("stopped"))

    database = f"projectize_bench_{args.scale}"
    env = {
        **os.environ,
        "DATABASE_URL": f"{args.server}/{database}",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("REDIS_URL", None)
    generation = prepare(args, database, env)
    if args.redis:
        # Sessions, kept pages, tokens and the Celery queue, as a city's server has them; nothing of an
        # earlier run (a page kept from another database, a queued export) is carried over.
        import redis

        redis.Redis.from_url(args.redis).flushdb()
        env["REDIS_URL"] = args.redis

    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "projectize.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    pages = key_pages()
    counts = {(role, name): count_queries(user, url) for role, user, name, url in pages}
    exports = key_exports()

    server = subprocess.Popen(
        [
            GUNICORN,
            "projectize.wsgi",
            f"--bind=127.0.0.1:{args.port}",
            "--workers=2",
            "--worker-class=sync",
            "--timeout=120",
            "--forwarded-allow-ips=127.0.0.1",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(args.port)
        cookies = {role: login(args.port, user) if user else "" for role, user, _name, _url in pages}
        statuses: dict[tuple[str, str], int] = {}
        rounds: dict[tuple[str, str], list[dict[str, Any]]] = {(role, name): [] for role, _user, name, _url in pages}
        trivial = [load(args, "", "/healthz")]
        for number in range(args.rounds):
            for role, _user, name, url in pages:
                # Read once just before the load: the reader's copy is made, or made again if it has expired
                # since the last round (what rendering costs is in the SQL columns, and in PAGE_CACHE_SECONDS=0).
                status = get_status(args.port, cookies[role], url)
                statuses.setdefault((role, name), status)
                if status == 200:
                    rounds[(role, name)].append({**load(args, cookies[role], url), "round": number})
                    print(f"{number + 1} {role:10} {name:32} {describe(rounds[(role, name)][-1])}", flush=True)
            trivial.append(load(args, "", "/healthz"))
            print(f"{number + 1} /healthz {describe(trivial[-1])}", flush=True)
        results = [
            (role, name, url, statuses[(role, name)], counts[(role, name)], median_round(rounds[(role, name)], trivial))
            for role, _user, name, url in pages
        ]
        memory = worker_memory(server.pid)
        export_cookie = login(args.port, exports[0][0]) if exports else ""
        measured = []
        for _user, name, url, rows in exports:
            measured.append(export(args, env, export_cookie, name, url, rows))
            print(f"export     {name:32} {describe_export(measured[-1])}", flush=True)
        memory_after_exports = worker_memory(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    path = write_report(args, generation, trivial, results, memory, measured, memory_after_exports)
    print(f"Written: {path.relative_to(ROOT)}")


# ---- the data set -----------------------------------------------------------------------------------


def prepare(args: argparse.Namespace, database: str, env: dict[str, str]) -> str:
    """Create and fill the bench database unless it is already there; returns what generating took.

    A kept database is migrated first, so that the code measured runs on its own schema (a migration
    that adds an index or fills a counter applies to the generated rows as it would to a city's)."""
    import psycopg

    migrate = [PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"]
    with psycopg.connect(f"{args.server}/postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if exists and not args.fresh:
            started = time.monotonic()
            subprocess.run(migrate, cwd=ROOT, env=env, check=True)
            spent = time.monotonic() - started
            log = generation_log(args.scale)
            earlier = log.read_text(encoding="utf-8").strip() if log.exists() else ""
            summary = [line for line in earlier.splitlines() if "rows in" in line or line.startswith("CPU")]
            return (
                "generated earlier (kept; `make bench FRESH=1` generates it again), migrated to this code in "
                f"{spent:.0f} s{refresh_figures(env) if args.recount else '; figures as counted before (--no-recount)'}"
                + (f"; when generated: {' '.join(summary)}" if summary else "")
            )
        if exists:
            admin.execute(f'DROP DATABASE "{database}"')
        admin.execute(f'CREATE DATABASE "{database}"')
    subprocess.run(migrate, cwd=ROOT, env=env, check=True)
    sizes = SCALES[args.scale]
    command = [PYTHON, "manage.py", "generate_scale", "--i-know-this-is-synthetic", "--seed", "1"]
    command += [f"--{key.replace('_', '-')}={value}" for key, value in sizes.items()]
    started = time.monotonic()
    output = subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout
    print(output, flush=True)
    wall = f"{time.monotonic() - started:.0f} s wall clock"
    generation_log(args.scale).write_text(f"{datetime.datetime.now():%Y-%m-%d %H:%M}, {wall}\n{output}", "utf-8")
    summary = [line for line in output.splitlines() if "rows in" in line or line.startswith("CPU")]
    return f"{wall}; " + " ".join(summary) + refresh_figures(env)


def refresh_figures(env: dict[str, str]) -> str:
    """The dashboard's roll-up counted from the rows as after an import (`refresh_figures --all`, where the
    code has it): the generator writes rows as an import does, past the writes that keep the roll-up."""
    if not (ROOT / "projectize" / "reports" / "management" / "commands" / "refresh_figures.py").exists():
        return ""
    started = time.monotonic()
    command = [PYTHON, "manage.py", "refresh_figures", "--all"]
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return f"; dashboard figures counted (`refresh_figures --all`) in {time.monotonic() - started:.0f} s"


def generation_log(scale: str) -> Path:
    """What the generator said when it filled the scale's database (kept beside the results)."""
    return ROOT / "bench" / "results" / f"{scale}-generation.log"


def key_pages() -> list[tuple[str, Any, str, str]]:
    """(role, user or None, page, URL) for every key page of the issue, as each role reaches it."""
    from django.db.models import Count

    from projectize.claims.models import Claim
    from projectize.orgs.models import Organization, Role, RoleGrant, User
    from projectize.projects.models import Project, ProjectStatus

    def user(username: str) -> Any:
        return User.objects.get(username=username)

    admin, city, leader = user("t0001_admin"), user("city_admin"), user("t0001_leader1")
    # The town t0001's staff run (siblings are in name order, so it need not be the first by path) and the
    # district above it.
    grant = RoleGrant.objects.filter(user=admin, role=Role.TOWN_ADMIN).select_related("organization").first()
    assert grant is not None, "the bench database has no generated city"
    town = grant.organization
    district = Organization.objects.get(path=town.path[: 2 * Organization.steplen])
    in_town = Project.objects.filter(organization__path__startswith=town.path)
    # Page 300 where the town has that many pages (district and city); a smaller town's page at four fifths.
    deep = min(DEEP_PAGE, max(1, in_town.count() * 4 // 5 // 25))
    year = datetime.date.today().year
    project = in_town.filter(status=ProjectStatus.IN_PROGRESS).order_by("pk").first()
    # The secretary of the organization with the most projects.
    busiest = in_town.values_list("organization").annotate(n=Count("id")).order_by("-n", "organization")[0][0]
    secretary = Organization.objects.get(pk=busiest).secretary
    secretary_project = in_town.filter(organization=busiest).order_by("pk").first()
    claim = Claim.objects.filter(organization__path__startswith=town.path).order_by("pk").first()
    assert project and secretary and secretary_project and claim
    filtered = urlencode({"year": year, "status": ProjectStatus.IN_PROGRESS})
    return [
        ("admin", admin, "home", "/"),
        ("admin", admin, "project list, page 1", "/projects/"),
        (
            "admin",
            admin,
            f"project list, deep page {deep} (rows {deep * 25 - 24:,}-{deep * 25:,})",
            f"/projects/?page={deep}",
        ),
        ("admin", admin, "project list, filtered", f"/projects/?{filtered}"),
        ("admin", admin, "project list, filtered, page 8", f"/projects/?{filtered}&page=8"),
        ("admin", admin, "project page and timeline", f"/projects/{project.pk}/"),
        ("admin", admin, "needs list", "/needs/"),
        ("admin", admin, "claim list", "/claims/all/"),
        ("admin", admin, "claim page", f"/claims/{claim.pk}/"),
        ("admin", admin, "target board", "/programmes/targets/"),
        ("admin", admin, "activity log", "/activity/"),
        ("admin", admin, "organization tree", "/orgs/"),
        ("admin", admin, "dashboard, town", "/reports/dashboard/"),
        ("city", city, "dashboard, district", f"/reports/dashboard/?org={district.pk}"),
        ("city", city, "dashboard, city", "/reports/dashboard/"),
        ("city", city, "project list, whole city", "/projects/"),
        ("leader", leader, "project list", "/projects/"),
        ("leader", leader, "needs list", "/needs/"),
        ("secretary", secretary, "project list", "/projects/"),
        ("secretary", secretary, "project page", f"/projects/{secretary_project.pk}/"),
        ("anonymous", None, "portal home", "/public/"),
        ("anonymous", None, "public target list", "/programmes/public/"),
    ]


def count_queries(user: Any, url: str) -> dict[str, Any]:
    """The page's queries, counted once through the test client (a warm second request) as the page is
    rendered, whether or not pages are kept: how many, their time in the database together, and the slowest
    of them (its time and SQL), the one to EXPLAIN first; and how many a kept copy of it costs."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client()
    if user is not None:
        client.force_login(user)
    with override_settings(PAGE_CACHE_SECONDS=0):
        client.get(url, secure=True)
        with CaptureQueriesContext(connection) as queries:
            client.get(url, secure=True)
    # Read now: the next request empties the connection's query log that the capture points into.
    times = [(float(query["time"]) * 1000, query["sql"]) for query in queries.captured_queries]
    client.get(url, secure=True)  # kept, where pages are kept
    with CaptureQueriesContext(connection) as kept:
        client.get(url, secure=True)
    slowest = max(times, default=(0.0, ""))
    return {
        "count": len(times),
        "kept": len(kept.captured_queries),
        "sql_ms": sum(ms for ms, _sql in times),
        "slowest_ms": slowest[0],
        "slowest": slowest[1],
    }


def key_exports() -> list[tuple[Any, str, str, int]]:
    """(user, export, URL, rows) for the city staff's exports of every project and of the log they may
    read: the largest downloads the system offers (every project is a million rows at city scale). The
    rows are those the user sees, counted through the pages' own selectors."""
    from projectize.core.models import ActivityLog
    from projectize.core.selectors import activity_scope
    from projectize.orgs.models import User
    from projectize.projects.selectors import projects_visible_to

    city = User.objects.get(username="city_admin")
    projects = projects_visible_to(city).count()
    log_rows = ActivityLog.objects.filter(activity_scope(city)).count()
    return [
        (city, f"projects, the {projects:,} the city's staff see", "/projects/export.xlsx", projects),
        (city, f"activity log, the {log_rows:,} rows the city's staff read", "/activity/?export=xlsx", log_rows),
    ]


# ---- the server and the load ------------------------------------------------------------------------


def request(port: int, method: str, url: str, headers: dict[str, str], body: str = "") -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    # As nginx in front of gunicorn says it: the visitor came over HTTPS.
    connection.request(method, url, body=body or None, headers={"X-Forwarded-Proto": "https", **headers})
    response = connection.getresponse()
    response.read()
    return response


def wait_until_up(port: int) -> None:
    for _attempt in range(120):
        try:
            if request(port, "GET", "/healthz", {}).status == 200:
                return
        except OSError:
            time.sleep(0.5)
    sys.exit("gunicorn did not answer /healthz")


def cookie_of(response: http.client.HTTPResponse, name: str) -> str:
    for header in response.headers.get_all("Set-Cookie") or []:
        if header.startswith(f"{name}="):
            return header.split(";", 1)[0]
    raise RuntimeError(f"no {name} cookie")


def login(port: int, user: Any) -> str:
    """Signs in through the login form as a person does; returns the Cookie header of the session."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request("GET", "/accounts/login/", headers={"X-Forwarded-Proto": "https"})
    page = connection.getresponse()
    html = page.read().decode()
    csrf = cookie_of(page, "csrftoken")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert token, "no CSRF token on the login page"
    form = urlencode({"csrfmiddlewaretoken": token.group(1), "username": user.username, "password": PASSWORD})
    response = request(
        port,
        "POST",
        "/accounts/login/",
        {
            "Cookie": csrf,
            "Referer": f"https://127.0.0.1:{port}/accounts/login/",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        form,
    )
    if response.status != 302:
        raise RuntimeError(f"signing in as {user.username} answered {response.status}")
    return f"{cookie_of(response, 'sessionid')}; {csrf}"


def get_status(port: int, cookie: str, url: str) -> int:
    return request(port, "GET", url, {"Cookie": cookie} if cookie else {}).status


def load(args: argparse.Namespace, cookie: str, url: str) -> dict[str, Any]:
    """wrk with 10 connections for the given time; req/s, latency percentiles and the load average."""
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{args.duration}s", "--timeout=30s"]
    command += ["-s", str(ROOT / "bench" / "report.lua"), "-H", "X-Forwarded-Proto: https"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command.append(f"http://127.0.0.1:{args.port}{url}")
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    figures: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    # Requests wrk gave up on are still queued at the workers: wait until they are served.
    request(args.port, "GET", "/healthz", {})
    figures["rps"] = figures["requests"] / (figures["duration"] / 1e6)
    figures["load"] = os.getloadavg()[0]
    return figures


def median_round(runs: list[dict[str, Any]], trivial: list[dict[str, Any]]) -> dict[str, Any] | None:
    """A page's figures over the rounds: each round's throughput against the trivial view's around that round
    (the load before and after it: the machine drifts over a long run), their median as the page's ratio and
    the round it came from, with the worst latencies of all rounds beside it."""
    if not runs:
        return None
    for run in runs:
        run["ratio"] = run["rps"] / ((trivial[run["round"]]["rps"] + trivial[run["round"] + 1]["rps"]) / 2)
    ranked = sorted(runs, key=lambda run: run["ratio"])
    median = dict(ranked[(len(ranked) - 1) // 2])  # of an even number of rounds, the lower
    median["ratios"] = [run["ratio"] for run in runs]
    for worst in ("p95", "p99", "max"):
        median[worst] = max(run[worst] for run in runs)
    median["errors"] = sum(run["status_errors"] + run["socket_errors"] for run in runs)
    return median


def export(
    args: argparse.Namespace, env: dict[str, str], cookie: str, name: str, url: str, rows: int
) -> dict[str, Any]:
    """One export as a person asks for it: the web request's time (it must answer within 2 s, by
    streaming or by handing the file to the background worker), then, for a deferred one, the worker
    building the file for at most --export-seconds: its time, the rows it wrote, and its memory sampled
    twice a second (the peak, and the peak of the first half, which tells whether memory grows with the
    rows). The worker is a process of its own started for the export: with Redis, Celery's (one process,
    as each of a production worker's), else `run_jobs --once`."""
    from projectize.core.models import Job, JobStatus

    # A run stopped before its worker ran (or one that times no worker) leaves its export queued, and the
    # worker would take that one first.
    Job.objects.filter(kind="download", status=JobStatus.QUEUED).delete()
    started = time.monotonic()
    response = request(args.port, "GET", url, {"Cookie": cookie})
    figures: dict[str, Any] = {
        "name": name,
        "url": url,
        "rows": rows,
        "status": response.status,
        "request_s": time.monotonic() - started,
        "deferred": response.status == 302 and "/jobs/" in (response.getheader("Location") or ""),
    }
    job = Job.objects.filter(kind="download").order_by("-pk").first()
    if not figures["deferred"] or job is None or args.export_seconds <= 0:
        return figures
    started = time.monotonic()
    worker = subprocess.Popen(worker_command(args), cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    samples: list[tuple[float, int]] = []
    while worker.poll() is None and time.monotonic() - started < args.export_seconds:
        samples.append((time.monotonic() - started, resident_mb(worker.pid)))
        job.refresh_from_db(fields=["status"])
        if job.status in (JobStatus.DONE, JobStatus.FAILED):
            break
        time.sleep(0.5)
    spent = time.monotonic() - started
    # The bench's own child, done or out of time: stopped at once (Celery's warm shutdown would finish
    # the file first).
    worker.kill()
    worker.wait(timeout=30)
    job.refresh_from_db()
    finished = job.status in (JobStatus.DONE, JobStatus.FAILED)
    half = [mb for at, mb in samples if at <= spent / 2]
    figures.update(
        worker_s=spent,
        finished=finished,
        worker_mb=max((mb for _at, mb in samples), default=0),
        worker_half_mb=max(half, default=0),
        job_status=job.status,
        rows_done=rows if job.status == "done" else (job.items_done or 0),
        file_mb=job.result.size / 1e6 if job.result else 0.0,
    )
    # The file is not kept: at city scale it is large, and the next run makes its own.
    if job.result:
        job.result.delete(save=False)
    job.delete()
    return figures


def worker_command(args: argparse.Namespace) -> list[str]:
    if args.redis:
        return [CELERY, "-A", "projectize", "worker", "--pool=solo", "--concurrency=1", "--loglevel=WARNING"]
    return [PYTHON, "manage.py", "run_jobs", "--once"]


def resident_mb(pid: int) -> int:
    try:
        found = re.search(r"^VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text(), re.M)
    except OSError:
        return 0
    return int(found.group(1)) // 1024 if found else 0


def describe_export(figures: dict[str, Any]) -> str:
    text = f"HTTP {figures['status']} in {figures['request_s']:.2f} s"
    if "worker_s" in figures:
        text += (
            f"; worker: {figures['job_status']}, {figures['rows_done']:,} of {figures['rows']:,} rows in "
            f"{figures['worker_s']:.0f} s, peak {figures['worker_mb']} MB (first half {figures['worker_half_mb']} MB)"
        )
    return text


def describe(figures: dict[str, Any] | None) -> str:
    if figures is None:
        return "not measured (did not answer 200)"
    return (
        f"{figures['rps']:8.1f} req/s  p50 {figures['p50'] / 1000:7.0f} ms  p95 {figures['p95'] / 1000:7.0f} ms"
        f"  load {figures['load']:.1f}"
    )


def worker_memory(master: int) -> list[int]:
    """Resident memory (MB) of each gunicorn worker after the run."""
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master}$", text, re.M):
            found = re.search(r"^VmRSS:\s+(\d+) kB", text, re.M)
            sizes.append(int(found.group(1)) // 1024 if found else 0)
    return sorted(sizes)


# ---- the report -------------------------------------------------------------------------------------


def redis_line(args: argparse.Namespace) -> str:
    if not args.redis:
        return "no Redis (the embedded default: sessions and tokens in the database, copies in each process)"
    return "Redis (sessions read from it, kept pages and their tokens, the Celery queue)"


def kept_pages_line() -> str:
    from django.conf import settings

    seconds = settings.PAGE_CACHE_SECONDS
    if not seconds:
        return "0, every request renders its page"
    return (
        f"{seconds} s; each reader's page is rendered once, then sent from its copy while nothing that reader "
        "may see changes (nothing is written during the load)"
    )


def write_report(
    args: argparse.Namespace,
    generation: str,
    trivial: list[dict[str, Any]],
    results: list[Any],
    memory: list[int],
    exports: list[dict[str, Any]],
    memory_after_exports: list[int],
) -> Path:
    trivial_rps = ", ".join(f"{run['rps']:.0f}" for run in trivial)
    trivial_load = ", ".join(f"{run['load']:.1f}" for run in trivial)
    sizes = ", ".join(f"{value:,} {key.replace('_', ' ')}" for key, value in SCALES[args.scale].items())
    lines = [
        f"# Benchmark at {args.scale} scale, {datetime.date.today():%Y-%m-%d}",
        "",
        f"- Data: {sizes} (`manage.py generate_scale`, seed 1). Generation: {generation.rstrip('.')}.",
        f"- Server: gunicorn, 2 sync workers, DEBUG off, PostgreSQL and {redis_line(args)} on loopback; "
        f"{os.cpu_count()} CPU cores.",
        f"- Load: wrk, {CONNECTIONS} connections, {args.duration} s per page in each of {args.rounds} rounds over "
        "all pages; queries counted once per page "
        "through Django's test client (a warm second request) as the page is rendered, with their time in the "
        "database together and the slowest one's (its SQL is listed below the table, to EXPLAIN), and in "
        "brackets those of its kept copy.",
        f"- Kept pages (`PAGE_CACHE_SECONDS`): {kept_pages_line()}.",
        f"- Trivial view `/healthz`, before the first round and after each: {trivial_rps} req/s (load average "
        f"{trivial_load}). A page's ratio in a round is its req/s against the mean of the trivial view's just "
        "before and after that round; the table gives each page's median round (its req/s, ratio, p50 and load) "
        "with every round's ratio in brackets, and the worst p95, p99 and errors of all its rounds.",
        f"- Targets (issue 15): p95 < {P95_TARGET_MS} ms and at least {RATIO_TARGET:.0%} of the trivial view's "
        f"throughput; ≤ {QUERY_TARGET} queries per page; an export answers its web request within "
        f"{EXPORT_REQUEST_TARGET_S:.0f} s; workers under {MEMORY_TARGET_MB} MB.",
        f"- Gunicorn workers' memory after the pages: {', '.join(f'{mb} MB' for mb in memory)}; after the "
        f"exports: {', '.join(f'{mb} MB' for mb in memory_after_exports)}.",
        f"- Load average before the run (1, 5, 15 min): {', '.join(f'{x:.1f}' for x in LOAD_BEFORE)}.",
    ]
    if args.note:
        lines.append(f"- {args.note}")
    lines += [
        "",
        "| role | page | queries (kept copy) | SQL ms | slowest query ms | req/s | ratio to /healthz (rounds) "
        "| p50 ms | p95 ms | p99 ms | errors | load avg (1 min) | meets targets |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for role, name, url, status, queries, figures in results:
        sql = f"{queries['count']} ({queries['kept']}) | {queries['sql_ms']:.0f} | {queries['slowest_ms']:.0f}"
        if figures is None:
            lines.append(f"| {role} | {name} (`{url}`) | {sql} | HTTP {status} | | | | | | | no |")
            continue
        ratio = figures["ratio"]
        ok = figures["p95"] / 1000 < P95_TARGET_MS and ratio >= RATIO_TARGET and queries["count"] <= QUERY_TARGET
        each = ", ".join(f"{value:.1%}" for value in figures["ratios"])
        lines.append(
            f"| {role} | {name} (`{url}`) | {sql} | {figures['rps']:.1f} | {ratio:.1%} ({each}) "
            f"| {figures['p50'] / 1000:.0f} | {figures['p95'] / 1000:.0f} | {figures['p99'] / 1000:.0f} "
            f"| {figures['errors']} | {figures['load']:.1f} | {'yes' if ok else 'no'} |"
        )
    pages = {name: figures for role, name, _url, _status, _queries, figures in results if role == "admin"}
    first, deep = (
        pages.get("project list, page 1"),
        next((figures for name, figures in pages.items() if name.startswith("project list, deep page")), None),
    )
    if first and deep:
        lines += [
            "",
            f"Deep page against the first (target: at most 2×): p50 {deep['p50'] / 1000:.0f} ms against "
            f"{first['p50'] / 1000:.0f} ms (×{deep['p50'] / max(first['p50'], 1):.2f}), throughput "
            f"×{first['rps'] / max(deep['rps'], 0.001):.2f} lower.",
        ]
    if exports:
        lines += [
            "",
            "## Exports (city administrator)",
            "",
            f"The worker (`{' '.join(worker_command(args)[1:])}`) builds each for at most {args.export_seconds} s; "
            "a file not done "
            "by then is stopped, and its rate tells the whole file's time. Memory is sampled twice a second.",
            "",
            "| export | rows | web request answers | in s | worker | rows written | rows/s | worker peak MB "
            "(first half) | meets targets |",
            "|---|--:|---|--:|---|--:|--:|--:|---|",
        ]
        for item in exports:
            answer = "job page (302)" if item["deferred"] else f"HTTP {item['status']}"
            ok = item["request_s"] < EXPORT_REQUEST_TARGET_S and item["status"] in (200, 302)
            built = "| not run | | | "
            if "worker_s" in item:
                ok = ok and item["job_status"] != "failed" and item["worker_mb"] < MEMORY_TARGET_MB
                state = f"done in {item['worker_s']:.0f} s" if item["job_status"] == "done" else "stopped at the limit"
                rate = item["rows_done"] / max(item["worker_s"], 0.001)
                built = (
                    f"| {state} | {item['rows_done']:,} | {rate:,.0f} | {item['worker_mb']} ({item['worker_half_mb']}) "
                )
            lines.append(
                f"| {item['name']} (`{item['url']}`) | {item['rows']:,} | {answer} | {item['request_s']:.2f} "
                f"{built}| {'yes' if ok else 'no'} |"
            )
    lines += ["", "## The slowest query of each page", ""]
    for role, name, _url, _status, queries, _figures in results:
        # The column list says little; what is read, joined, filtered and sorted says what to EXPLAIN.
        text = re.sub(r"^SELECT .*? FROM ", "SELECT … FROM ", " ".join(queries["slowest"].split()))
        if len(text) > 700:
            text = text[:700] + " …"
        lines.append(f"- {role}, {name} ({queries['slowest_ms']:.0f} ms): `{text}`")
    label = f"-{args.label}" if args.label else ""
    path = ROOT / "bench" / "results" / f"{args.scale}-{datetime.date.today():%Y-%m-%d}{label}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    main()

"""Production smoke test, run by .ci/run: the system as the README installs it, on loopback only.

A fresh PostgreSQL database, DEBUG=false, collectstatic with the manifest, gunicorn with 2 workers
(the client sends X-Forwarded-Proto: https, as the TLS proxy does), Redis and one Celery worker. It
sets up a town, signs in (changing the one-time password), takes a resident's need and answers it as
staff, sees a second need on the staff's kept list, builds a PDF and an Excel export in the background
and downloads them, loads every static file of a page, then kills one gunicorn worker during a short
load of writes and checks that only requests in flight failed and that every write the server
confirmed is in the database. Job states and times are printed; no assertion depends on the clock.
Exits non-zero on the first failure.
"""

import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import tempfile
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
BIN = ROOT / ".venv" / "bin"
DEADLINE = time.monotonic() + 420  # the whole run stays bounded


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


PORT = free_port()
ORIGIN = f"https://127.0.0.1:{PORT}"


def step(text: str) -> None:
    print(f"[smoke] {text}", flush=True)


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SystemExit(f"[smoke] FAILED: {message}")
    if time.monotonic() > DEADLINE:
        raise SystemExit("[smoke] FAILED: the smoke test ran past its time bound")


class Browser:
    """Just enough of a browser: cookies (secure ones too, the proxy is TLS), CSRF, no redirects followed."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, Any] | None = None) -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        headers = {"Host": f"127.0.0.1:{PORT}", "X-Forwarded-Proto": "https", "Origin": ORIGIN}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            form = {**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = ORIGIN + path
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.data = response.read()  # type: ignore[attr-defined]
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        connection.close()
        return response

    def get(self, path: str) -> http.client.HTTPResponse:
        return self.request("GET", path)

    def post(self, path: str, form: dict[str, Any]) -> http.client.HTTPResponse:
        return self.request("POST", path, form)

    def text(self, path: str) -> str:
        response = self.get(path)
        check(response.status == 200, f"GET {path} answered {response.status}")
        return response.data.decode()  # type: ignore[attr-defined]


def location(response: http.client.HTTPResponse) -> str:
    return urlsplit(response.headers.get("Location", "")).path


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    check(result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def sql(env: dict[str, str], query: str) -> str:
    return manage(env, "shell", "-v", "0", "-c", query).strip()


def wait_for(condition: Any, what: str, seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return
        time.sleep(0.3)
    check(False, f"timed out waiting for {what}")


def job_download(
    browser: Browser, started: http.client.HTTPResponse, what: str, seconds: float = 60, slow: bool = False
) -> bytes:
    """Follow a background job as its owner: queued at once, done by the worker, then downloaded.
    A `slow` job must not be done yet when the request that started it has answered."""
    check(started.status == 302 and location(started).startswith("/jobs/"), f"{what} did not start a job")
    job_path = location(started)
    first = re.search(r'data-testid="job-status">([^<]+)<', browser.text(job_path))
    states = [first.group(1) if first else "?"]
    check(not slow or states[0] in ("排队中", "进行中"), f"{what} was {states[0]} when its request answered")
    began = time.monotonic()

    def finished() -> bool:
        page = browser.text(job_path)
        state = re.search(r'data-testid="job-status">([^<]+)<', page)
        if state and state.group(1) != states[-1]:
            states.append(state.group(1))
        return "/download/" in page or "text-danger" in page

    wait_for(finished, f"the {what} job", seconds)
    download = browser.get(job_path + "download/")
    check(download.status == 200, f"{what} download answered {download.status}")
    step(f"{what}: job states {' → '.join(states)}, ready after {time.monotonic() - began:.1f} s")
    return download.data  # type: ignore[attr-defined]


PROJECT_ROWS = 100_000
# Enough projects of one organization for a 述职 dossier of more than ten pages.
DOSSIER_PROJECTS = 400


def projects_many(count: int, year: int, organization: str) -> str:
    """Code for `manage.py shell` that bulk-inserts projects: the documents, not the making of
    projects, are under test here. `organization` is an expression over `root`."""
    return (
        "from projectize.orgs.models import Organization as O; from projectize.projects.models import Call, Project;"
        f"root = O.objects.get(depth=1); org = {organization};"
        f"call = Call.objects.create(organization=root, year={year}, title='烟测申报');"
        f"Project.objects.bulk_create((Project(call=call, organization=org, year={year}, type='innovation',"
        f" title=f'烟测项目{{n}}', status='in_progress') for n in range({count})), batch_size=5000);"
        "print(org.pk)"
    )


def main() -> None:
    database = f"projectize_smoke_{os.getpid()}"
    work = Path(tempfile.mkdtemp(prefix="projectize-smoke-"))
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "REDIS_URL": os.environ.get("SMOKE_REDIS_URL", "redis://127.0.0.1:6379/15"),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CSRF_TRUSTED_ORIGINS": ORIGIN,
        "SITE_URL": ORIGIN,
        "MEDIA_ROOT": str(work / "media"),
        "BACKUP_DIR": str(work / "backups"),
        "EXPORT_INLINE_ROWS": "3",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "SECURE_HSTS_SECONDS": "60",
    }
    processes: list[subprocess.Popen[bytes]] = []
    try:
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", database], check=True)
        subprocess.run(["redis-cli", "-n", "15", "flushdb"], check=True, capture_output=True)
        step(f"fresh database {database}; migrate and collectstatic with the manifest (DEBUG=false)")
        manage(env, "migrate", "--no-input", "-v", "0")
        manage(env, "collectstatic", "--no-input", "-v", "0")
        out = manage(
            env,
            "setup_town",
            "--name",
            "烟测镇党委",
            "--admin-username",
            "smoke-admin",
            "--admin-last-name",
            "李",
            "--admin-first-name",
            "明",
        )
        one_time = re.search(r"choose your own: (\S+)", out)
        check(one_time is not None, "setup_town printed no one-time password")
        assert one_time is not None
        manage(
            env,
            "shell",
            "-c",
            "from projectize.orgs.models import Organization as O; r=O.objects.get(depth=1);"
            "[O.objects.add_child(r, {'name': f'第{n}居民区党总支', 'kind': 'residential'}) for n in range(6)]",
        )

        logs = {name: (work / f"{name}.log").open("wb") for name in ("gunicorn", "celery")}
        gunicorn = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "projectize.wsgi",
                "--bind",
                f"127.0.0.1:{PORT}",
                "--workers",
                "2",
                "--timeout",
                "60",
                "--forwarded-allow-ips",
                "127.0.0.1",
            ],
            cwd=ROOT,
            env=env,
            stdout=logs["gunicorn"],
            stderr=subprocess.STDOUT,
        )
        processes.append(gunicorn)
        processes.append(
            subprocess.Popen(
                [str(BIN / "celery"), "-A", "projectize", "worker", "--concurrency", "1", "--loglevel", "WARNING"],
                cwd=ROOT,
                env=env,
                stdout=logs["celery"],
                stderr=subprocess.STDOUT,
            )
        )
        wait_for(lambda: _answers("/healthz"), "gunicorn")
        ready = Browser().get("/readyz")
        check(ready.status == 200, f"/readyz: {ready.data!r}")  # type: ignore[attr-defined]
        step(f"gunicorn (2 workers) and a Celery worker are up; /readyz {ready.data.decode()}")  # type: ignore[attr-defined]

        # A resident submits a need on the public site.
        resident = Browser()
        form_page = resident.text("/needs/public/new/")
        category = re.search(r'<option value="(\d+)"', form_page)
        check(category is not None, "the public need form lists no category")
        assert category is not None
        need = {"title": "烟测：楼道灯坏了", "description": "三号楼楼道灯一周没亮。", "category": category.group(1)}
        sent = resident.post("/needs/public/new/", need)
        check(sent.status == 302 and "/track/" in location(sent), f"public need answered {sent.status}")
        tracking = location(sent)
        step(f"resident submitted a need, tracking at {tracking}")

        # Staff sign in over "HTTPS" (secure cookies), change the one-time password, answer the need.
        staff = Browser()
        staff.get("/accounts/login/")
        signed = staff.post("/accounts/login/", {"username": "smoke-admin", "password": one_time.group(1)})
        check(signed.status == 302, f"login answered {signed.status}")
        new_password = "Smoke-" + secrets.token_urlsafe(12)
        staff.get("/accounts/password/")
        changed = staff.post(
            "/accounts/password/",
            {"old_password": one_time.group(1), "new_password1": new_password, "new_password2": new_password},
        )
        check(changed.status == 302, f"the forced password change answered {changed.status}")
        need_id = sql(env, "from projectize.needs.models import Need; print(Need.objects.get().pk)")
        answered = staff.post(f"/needs/{need_id}/reply/", {"message": "已安排物业本周内修复。"})
        check(answered.status == 302, f"staff reply answered {answered.status}")
        check("已安排物业本周内修复" in resident.text(tracking), "the resident does not see the answer")
        step("staff signed in, changed the one-time password and answered; the resident sees the answer")

        # Kept pages in Redis, shared by both workers: a new need shows on the staff's kept list at once.
        check("烟测：楼道灯坏了" in staff.text("/needs/") and "烟测：路灯" not in staff.text("/needs/"), "needs list")
        later = resident.post("/needs/public/new/", {**need, "title": "烟测：路灯不亮"})
        check(later.status == 302, f"the second public need answered {later.status}")
        check("烟测：路灯不亮" in staff.text("/needs/"), "the staff's kept needs list does not show the new need")
        step("the staff's needs list, kept in Redis, shows a resident's new need at once")

        # Background work: a PDF and an Excel export, downloaded by their owner.
        root_id = sql(env, "from projectize.orgs.models import Organization as O; print(O.objects.get(depth=1).pk)")
        pdf = job_download(staff, staff.get(f"/reports/annual.pdf?org={root_id}"), "annual report PDF")
        check(pdf.startswith(b"%PDF-"), "the annual report is not a PDF")
        xlsx = job_download(staff, staff.get("/orgs/list/?export=xlsx"), "organization Excel export")
        check(xlsx.startswith(b"PK"), "the export is not an Excel file")
        dossier_org = sql(env, projects_many(DOSSIER_PROJECTS, 2025, "O.objects.get_children(root)[0]"))
        began = time.monotonic()
        started = staff.get(f"/reports/dossier/{dossier_org}/2025.pdf")
        step(f"the request for a {DOSSIER_PROJECTS}-project dossier PDF answered in {time.monotonic() - began:.2f} s")
        dossier = job_download(staff, started, "dossier PDF", seconds=180, slow=True)
        (work / "dossier.pdf").write_bytes(dossier)
        info = subprocess.run(["pdfinfo", str(work / "dossier.pdf")], capture_output=True, check=True, text=True)
        pages = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE).group(1))  # type: ignore[union-attr]
        check(pages >= 10, f"the dossier has {pages} pages, fewer than 10")
        step(f"the dossier PDF has {pages} pages")
        began = time.monotonic()
        sql(env, projects_many(PROJECT_ROWS, 2026, "root"))
        step(f"{PROJECT_ROWS:,} projects bulk-inserted in {time.monotonic() - began:.1f} s")
        began = time.monotonic()
        started = staff.get("/projects/export.xlsx")
        step(f"the request for a {PROJECT_ROWS:,}-row project export answered in {time.monotonic() - began:.2f} s")
        big = job_download(staff, started, f"{PROJECT_ROWS:,}-row project export", seconds=300, slow=True)
        check(big.startswith(b"PK") and len(big) > PROJECT_ROWS * 20, "the large export is not a full workbook")
        check(Browser().get("/jobs/1/download/").status == 302, "a stranger was not sent to the login page")

        # Every static file of a page loads (hashed names from the manifest).
        page = staff.text("/")
        assets = sorted(set(re.findall(r'(?:href|src)="(/static/[^"]+)"', page)))
        check(bool(assets), "the home page links no static files")
        for asset in assets:
            check(Browser().get(asset).status == 200, f"static file {asset} did not load")
        step(f"{len(assets)} static files of the home page load")

        load_with_a_killed_worker(env, gunicorn.pid, root_id, staff)
        print("[smoke] passed", flush=True)
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", database], check=False)


def _answers(path: str) -> bool:
    try:
        return Browser().get(path).status == 200
    except OSError:
        return False


def load_with_a_killed_worker(env: dict[str, str], master: int, root_id: str, staff: Browser) -> None:
    """Four writers post needs for a few seconds; one gunicorn worker is killed midway."""
    confirmed: list[str] = []
    failed: list[str] = []
    stop = threading.Event()
    lock = threading.Lock()
    form_page = staff.text("/needs/new/")
    category = re.search(r'name="category"[^>]*>.*?<option value="(\d+)"', form_page, re.S)
    channel = re.search(r'name="channel"[^>]*>.*?<option value="([^"]+)"', form_page, re.S)
    check(category is not None and channel is not None, "the staff need form has no category or channel")
    assert category is not None and channel is not None

    def writer(number: int) -> None:
        browser = Browser()
        browser.cookies = dict(staff.cookies)
        count = 0
        while not stop.is_set():
            title = f"负载-{number}-{count}"
            count += 1
            form = {
                "title": title,
                "description": "负载测试",
                "category": category.group(1),
                "channel": channel.group(1),
            }
            try:
                response = browser.post("/needs/new/", form)
                ok = response.status == 302
            except OSError:
                ok = False
            with lock:
                (confirmed if ok else failed).append(title)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(2)
    workers = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True).stdout.split()
    check(len(workers) == 2, f"expected 2 gunicorn workers, found {workers}")
    os.kill(int(workers[0]), signal.SIGKILL)
    time.sleep(3)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    stored = set(
        json.loads(
            sql(
                env,
                "import json; from projectize.needs.models import Need;"
                "print(json.dumps(list(Need.objects.filter(title__startswith='负载-')"
                ".values_list('title', flat=True))))",
            )
        )
    )
    missing = [title for title in confirmed if title not in stored]
    step(f"load: {len(confirmed)} writes confirmed, {len(failed)} failed while a worker was killed")
    check(not missing, f"confirmed writes missing from the database: {missing}")
    # Only requests in flight on the killed worker may fail: at most one per writer.
    check(len(failed) <= len(threads), f"{len(failed)} requests failed, more than were in flight")
    check(len(confirmed) > 0 and _answers("/healthz"), "the server did not keep serving")


if __name__ == "__main__":
    main()

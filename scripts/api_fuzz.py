"""API fuzzing, run by .ci/run: schemathesis against the OpenAPI schema on a live server with the demo data.

A fresh database (PostgreSQL when DATABASE_URL names one, as in CI, else a temporary SQLite file) gets the
migrations and the demo; a read-write token of the demo's town administrator is made with `manage.py
api_token`; gunicorn serves the system on loopback with DEBUG off; schemathesis generates requests for every
operation of /api/v1/schema/ for a bounded time and checks that no answer is a server error and that every
answer matches the schema (status code, content type, body). Exits non-zero on any failure.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PYTHON = str(BIN / "python")
# Schemathesis's own budget; the whole script (with the demo) stays within a few minutes.
FUZZ_SECONDS = int(os.environ.get("API_FUZZ_SECONDS", "120"))
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def database_url(work: Path) -> str:
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        return f"sqlite:///{work / 'fuzz.sqlite3'}"
    parts = urlsplit(base)
    name = "projectize_api_fuzz"
    admin = urlunsplit(parts._replace(path="/postgres"))
    for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
        subprocess.run(["psql", admin, "-q", "-c", sql], check=True)
    return urlunsplit(parts._replace(path=f"/{name}"))


def main() -> int:
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="projectize-fuzz-"))
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k != "REDIS_URL"},
        "DATABASE_URL": database_url(work),
        "DEBUG": "false",
        "SECRET_KEY": "fuzz-" + os.urandom(24).hex(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "MEDIA_ROOT": str(work / "media"),
        "CELERY_TASK_ALWAYS_EAGER": "true",
        # The fuzzer sends thousands of requests a minute; the limit itself is tested in tests/api.
        "API_RATE_TOKEN": "1000000/minute",
        "API_RATE_ANONYMOUS": "1000000/minute",
        "LOG_LEVEL": "ERROR",
    }
    manage = [PYTHON, "manage.py"]
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [*manage, "load_demo", "--i-know-this-is-a-demo"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )
    key = subprocess.run(
        [*manage, "api_token", "--user", "admin", "--name", "fuzzer", "--write"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    print(f"demo loaded in {time.monotonic() - started:.0f}s", flush=True)
    server_log = (work / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "projectize.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--timeout", "60"],
        cwd=ROOT,
        env=env,
        stderr=server_log,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        result = subprocess.run(
            [
                str(BIN / "schemathesis"),
                "run",
                f"{base}/api/v1/schema/?format=json",
                "--url",
                base,
                "--header",
                f"Authorization: Bearer {key}",
                "--checks",
                CHECKS,
                "--max-time",
                str(FUZZ_SECONDS),
                "--max-examples",
                "40",
                # One worker: generating in threads trips a CPython 3.11 bug in the ast module
                # ("AST constructor recursion depth mismatch"), which schemathesis reports as an error.
                "--workers",
                "1",
                "--request-timeout",
                "30",
                "--seed",
                "2026",
                "--no-shrink",
                "--warnings",
                "off",
            ],
            cwd=work,
            env={**env, "SCHEMATHESIS_HOOKS": ""},
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
        server_log.close()
    errors = [
        line for line in (work / "gunicorn.log").read_text().splitlines() if "Traceback" in line or "ERROR" in line
    ]
    for line in errors[:20]:
        print("server:", line)
    print(f"api fuzzing took {time.monotonic() - started:.0f}s", flush=True)
    return result.returncode or (1 if errors else 0)


if __name__ == "__main__":
    sys.exit(main())

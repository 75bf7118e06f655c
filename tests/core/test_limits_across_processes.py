"""Login lockout and rate limits hold when the requests land on different server processes.

Two real servers (`manage.py runserver --noreload`, as gunicorn's workers would be) share the test
database; an attacker's requests alternate between them. Counters kept in one process's memory would
let each process count only its own share.
"""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection

from projectize.needs.models import Support
from projectize.orgs.models import Role
from tests.factories import PASSWORD, make_root, user_with_role
from tests.needs.factories import make_need

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url() -> str:
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def servers() -> Iterator[list[str]]:
    """Two server processes on loopback ports, both on the test database, stopped afterwards."""
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "projectize.settings",
        # No page is kept: these servers answer the forms whose limits are under test.
        "PAGE_CACHE_SECONDS": "0",
    }
    env.pop("REDIS_URL", None)
    ports = [_free_port(), _free_port()]
    processes = [
        subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", "--skip-checks", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        deadline = time.monotonic() + 60
        for base in bases:
            while True:
                try:
                    urllib.request.urlopen(f"{base}/accounts/login/", timeout=5).read()
                    break
                except (urllib.error.URLError, ConnectionError):
                    assert time.monotonic() < deadline, "the test servers did not start"
                    time.sleep(0.3)
        yield bases
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=10)


class Browser:
    """One visitor's cookies and CSRF token on one server."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
        )
        page = self.opener.open(f"{base}/accounts/login/", timeout=30).read().decode()
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert found is not None
        self.token = found.group(1)

    def post(self, path: str, data: dict[str, str]) -> tuple[int, str]:
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.token}).encode()
        request = urllib.request.Request(f"{self.base}{path}", data=body, headers={"Referer": self.base + path})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_seven_guesses_lock_the_account_whichever_server_and_identifier(servers):
    town = make_root()
    account = user_with_role(Role.SECRETARY, town, username="wang", mobile="13900000001")
    # The servers use the project's own password hasher, not the tests' fast one.
    account.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    account.save(update_fields=["password"])
    browsers = [Browser(base) for base in servers]
    for guess in range(7):
        login = "wang" if guess % 2 else "13900000001"
        status, _page = browsers[guess % 2].post("/accounts/login/", {"username": login, "password": f"guess{guess}"})
        assert status == 200  # refused, the form shown again
    status, page = browsers[0].post("/accounts/login/", {"username": "WANG", "password": PASSWORD})
    assert status == 200, "the right password got in after seven wrong guesses"
    assert "账号已锁定" in page


def test_a_limit_of_twenty_supports_holds_across_servers(servers):
    need = make_need(make_root())
    browsers = [Browser(base) for base in servers]

    def support(n: int) -> int:
        return browsers[n % 2].post(f"/needs/public/{need.pk}/support/", {"mobile": f"139{n:08d}"})[0]

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(support, range(40)))
    assert set(statuses) <= {302}, statuses  # each answered (and sent back to the page)
    assert Support.objects.filter(need=need).count() == 20

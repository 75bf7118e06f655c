"""Error pages people can read, in their language, with DEBUG off; a database outage answers 503."""

import logging
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connections
from django.db.backends.postgresql.base import DatabaseWrapper
from django.test import Client

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]

PAGES = {
    "400": ("请求有误", "Bad request"),
    "403": ("没有权限", "Access denied"),
    "404": ("页面不存在", "Page not found"),
    "500": ("系统出错了", "Something went wrong"),
}


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.core.error_urls"


def request_for(status: str, client: Client):
    if status == "400":
        return client.get("/", headers={"host": "attacker.example"})
    return client.get({"403": "/forbidden/", "404": "/no-such-page/", "500": "/broken/"}[status])


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("status", PAGES)
def test_each_error_page_explains_itself_in_the_readers_language(status, language):
    client = Client(raise_request_exception=False, headers={"accept-language": language})
    response = request_for(status, client)
    assert response.status_code == int(status)
    html = response.content.decode()
    heading = PAGES[status][0 if language == "zh-hans" else 1]
    assert f'<h1 class="h3 mb-3">{heading}</h1>' in html
    assert 'href="/"' in html and ("返回首页" if language == "zh-hans" else "Back to home") in html
    assert "css/projectize.css" in html  # the site's look


@pytest.mark.django_db
def test_an_expired_form_says_so(settings):
    client = Client(enforce_csrf_checks=True, headers={"accept-language": "en"})
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "This page has expired" in response.content.decode()


@pytest.mark.django_db
def test_a_refused_request_is_logged_as_one_line(caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        Client().get("/forbidden/")
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.getMessage() == "Forbidden (Permission denied): /forbidden/"
    assert record.exc_info is None and "Traceback" not in caplog.text


@contextmanager
def database_unreachable():
    """Point the default connection at PostgreSQL on a port where nothing listens."""
    original = connections["default"]
    settings_dict = {
        **original.settings_dict,
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "127.0.0.1",
        "PORT": "9",
        "NAME": "projectize",
        "USER": "projectize",
        "OPTIONS": {"connect_timeout": 3},
    }
    connections["default"] = DatabaseWrapper(settings_dict, "default")
    try:
        yield
    finally:
        connections["default"] = original


@pytest.fixture
def unreachable_database(django_db_blocker):
    with django_db_blocker.unblock(), database_unreachable():
        yield


@pytest.mark.parametrize(
    ("language", "heading"), [("zh-hans", "服务暂时不可用"), ("en", "Service temporarily unavailable")]
)
def test_an_unreachable_database_answers_service_unavailable(unreachable_database, language, heading):
    client = Client(raise_request_exception=False, headers={"accept-language": language})
    response = client.get("/public/")
    assert response.status_code == 503
    assert response["Retry-After"] == "120"
    html = response.content.decode()
    assert heading in html and 'href="/"' in html


def test_postgresql_connections_give_up_within_five_seconds():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "projectize.settings",
        "DEBUG": "true",
        "DATABASE_URL": "postgres://projectize@127.0.0.1:5432/projectize",
    }
    code = "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS']['connect_timeout'])"
    run = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    assert 0 < int(run.stdout) <= 5


@pytest.mark.django_db
def test_a_signed_in_person_gets_the_unavailable_page_too():
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory.create())
    with database_unreachable():
        response = client.get("/orgs/")  # the session and the user are read from the database first
    assert response.status_code == 503 and "服务暂时不可用" in response.content.decode()

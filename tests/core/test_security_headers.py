"""Every page type answers with the security headers and holds no inline script, handler or style block.

One request per URL name (numbers filled with 1, which the demo has for most objects) for the town
admin, a secretary and an anonymous visitor: pages, error pages and refusals alike.
"""

import re
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

CONVERTER = re.compile(r"<(?:(\w+):)?\w+>")
SAMPLE = {"int": "1", None: "x", "str": "x", "slug": "x", "path": "x"}


def sample_paths(patterns=None, prefix: str = "", namespace: str = "") -> dict[str, str]:
    """{url name: a path for it}, from the project's URL patterns."""
    found: dict[str, str] = {}
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = str(entry.pattern)
        if route.startswith("^") or "(?P" in route:
            continue  # regular-expression routes (the admin's per-app index) are covered by their siblings
        path = prefix + CONVERTER.sub(lambda m: SAMPLE.get(m.group(1), "x"), route)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found.update(sample_paths(entry.url_patterns, path, inner))
        elif isinstance(entry, URLPattern) and entry.name:
            found.setdefault(namespace + entry.name, "/" + path)
    return found


class InlineCode(HTMLParser):
    """Collects what a strict Content-Security-Policy would block: inline scripts, on… handlers, <style>."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script" and "src" not in names and names.get("type") != "application/json":
            self.found.append("<script> without src")
        if tag == "style":
            self.found.append("<style>")
        self.found += [f"{name}= on <{tag}>" for name in names if name.startswith("on")]


def directives(policy: str) -> dict[str, list[str]]:
    parts = (part.split() for part in policy.split(";") if part.strip())
    return {name: values for name, *values in parts}


def check(response, where: str) -> None:
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"], where
    assert "'unsafe-inline'" not in policy["style-src"] and "'unsafe-eval'" not in policy["default-src"], where
    assert response["Referrer-Policy"] == "same-origin", where
    assert response["X-Content-Type-Options"] == "nosniff", where
    assert "camera=()" in response["Permissions-Policy"], where
    if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
        parser = InlineCode()
        parser.feed(response.content.decode())
        assert parser.found == [], f"{where}: {parser.found}"


def test_every_page_sends_the_security_headers_and_no_inline_code(settings):
    settings.DEBUG = True  # the demo loads only in development
    call_command("load_demo", verbosity=0)
    settings.DEBUG = False  # the error pages as production shows them
    paths = sample_paths()
    assert len(paths) > 100
    for username in ("admin", "sec01", None):
        client = Client(raise_request_exception=False)
        if username:
            assert client.login(username=username, password=PASSWORD)
        for name, path in paths.items():
            if name in {"logout", "set_language"}:
                continue  # would end the session or only redirect
            check(client.get(path), f"{name} {path} as {username or 'anonymous'}")

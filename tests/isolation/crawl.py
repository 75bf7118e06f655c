"""A quick crawl of the site with Django's test client, as one signed-in person: every page reached by a
link (a few of each URL pattern), the exports it offers read as text, and the forms it shows.

The browser crawl (tests/e2e/crawl.py) checks how pages look and behave; this one only reads what each
page says, so it can walk the site as many people in seconds."""

import html
import io
import re
from collections import Counter, deque
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from django.test import Client
from django.urls import Resolver404, resolve
from openpyxl import load_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOT_FOLLOWED = {"logout", "set_language", "admin:index", "core:notifications_read_all"}
LINK = re.compile(r'href="([^"#]+)"')
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')
CONTROL = re.compile(r"<(input|select|textarea)\b([^>]*)>(.*?(?:</select>|</textarea>))?", re.S | re.I)
OPTION = re.compile(r'<option\b[^>]*value="([^"]+)"', re.I)
# What a page echoes back of the request (a search box's value) is not what it reveals.
ECHO = re.compile(r'\svalue="[^"]*"|<textarea\b[^>]*>.*?</textarea>', re.S | re.I)


@dataclass
class Form:
    page: str
    action: str
    method: str
    data: dict[str, str] = field(default_factory=dict)


@dataclass
class Page:
    url: str
    status: int
    text: str = ""  # HTML without echoed input values, or the cells of a workbook


@dataclass
class Crawl:
    pages: dict[str, Page] = field(default_factory=dict)
    forms: list[Form] = field(default_factory=list)
    searches: list[str] = field(default_factory=list)  # list pages with a search box (a `q` field)


def pattern_of(url: str) -> str | None:
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    if match.view_name in NOT_FOLLOWED:
        return None
    keys = sorted({key for key, _value in parse_qsl(parts.query) if key != "page"})
    return f"{match.route}?{'&'.join(keys)}"


def read(client: Client, url: str) -> Page:
    response = client.get(url)
    page = Page(url, response.status_code)
    if response.status_code != 200:
        return page
    body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
    kind = response.get("Content-Type", "")
    if kind.startswith(XLSX):
        book = load_workbook(io.BytesIO(body), read_only=True)
        page.text = "\n".join(
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value
        )
    elif kind.startswith("text/html") or kind.startswith("application/json"):
        page.text = body.decode(errors="replace")
    return page


def crawl(client: Client, starts: list[str], per_pattern: int = 2, limit: int = 600) -> Crawl:
    found = Crawl()
    queue = deque(starts)
    seen: Counter[str] = Counter()
    while queue and len(found.pages) < limit:
        url = queue.popleft()
        if url in found.pages:
            continue
        pattern = pattern_of(url)
        if pattern is None or seen[pattern] >= per_pattern:
            continue
        seen[pattern] += 1
        page = read(client, url)
        found.pages[url] = page
        if not page.text or "<html" not in page.text[:500].lower():
            continue
        for href in LINK.findall(page.text):
            link = urljoin(url, html.unescape(href))
            if link.startswith("/") and not link.startswith(("/static/", "/media/")):
                queue.append(link)
        for attributes, inner in FORM.findall(page.text):
            attrs = dict(ATTRIBUTE.findall(attributes))
            action = urljoin(url, html.unescape(attrs.get("action", "") or url))
            method = attrs.get("method", "get").lower()
            data: dict[str, str] = {}
            for tag, control, rest in CONTROL.findall(inner):
                values = dict(ATTRIBUTE.findall(control))
                name = values.get("name")
                if not name:
                    continue
                if tag.lower() == "select":
                    options = OPTION.findall(rest or "")
                    data.setdefault(name, options[0] if options else "")
                elif values.get("type") in ("checkbox", "radio"):
                    if "checked" in control or name not in data:
                        data[name] = values.get("value", "on")
                elif values.get("type") != "file":
                    data.setdefault(name, html.unescape(values.get("value", "")))
            if method == "post":
                found.forms.append(Form(url, action, method, data))
            elif "q" in data:
                found.searches.append(action)
        page.text = ECHO.sub("", page.text)
    return found


def shown(page: Page) -> str:
    """What the page shows, without what it echoes of the request."""
    return ECHO.sub("", page.text)


def search_url(action: str, query: str) -> str:
    parts = urlsplit(action)
    return f"{parts.path}?{urlencode({'q': query})}"

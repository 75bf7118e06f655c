"""No text anyone typed becomes a live formula in an exported spreadsheet.

The whole demo is loaded, every free-text column of every table is given a dangerous prefix, and a
crawler walks the site from every page without parameters, following links, so it finds every export
a person can reach (a new export is covered without touching this test). Each workbook is read back
raw: no formula cell, no string beginning with a dangerous character, and the dangerous text is there,
written as plain text behind an apostrophe.
"""

import html
import io
import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.db.models import F, Func, Value
from django.db.models.functions import Concat, Left
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from openpyxl import load_workbook

from projectize.core.exports import FORMULA_PREFIXES, cell_value, write_workbook
from projectize.orgs.models import User
from tests.append_only import lift_append_only_triggers

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Columns that are not free text: tree paths, generic keys, stored links, hashes.
# Mobile numbers are validated as 11 digits on the way in, so no formula can reach them.
NOT_TEXT = {"path", "password", "url", "digest", "mobile", "submitter_mobile"}
# Workbooks with fixed content only (no stored text): the import template.
FIXED_WORKBOOKS = {"orgs:import_template"}
# lxml writes a carriage return as a character reference, so every prefix reads back as written.
AS_READ = FORMULA_PREFIXES


@pytest.mark.parametrize("prefix", FORMULA_PREFIXES)
def test_each_dangerous_prefix_is_written_as_plain_text(prefix):
    read = prefix
    buffer = io.BytesIO()
    write_workbook(buffer, [("sheet", [f"{prefix}header"], [[f"{prefix}HYPERLINK(1)", 5, -3, "safe"]])])
    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert [(cell.value, cell.data_type) for cell in cells] == [
        (f"'{read}header", "s"),
        (f"'{read}HYPERLINK(1)", "s"),
        (5, "n"),
        (-3, "n"),
        ("safe", "s"),
    ]
    assert cell_value(None) is None


def _text_fields(model: type[models.Model]) -> list[str]:
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, (models.CharField, models.TextField))
        and not isinstance(field, models.SlugField)
        and not field.choices
        and not field.primary_key
        and not field.name.endswith("_id")
        and field.name not in NOT_TEXT
    ]


def _poison_every_text_column() -> None:
    """Prefix every free-text value: rows take the dangerous prefixes in turn, so each one occurs."""
    for model in apps.get_models():
        if not model.__module__.startswith("projectize.") or model._meta.proxy:
            continue
        fields = _text_fields(model)
        if not fields:
            continue
        pks = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
        for n, prefix in enumerate(FORMULA_PREFIXES):
            chunk = pks[n :: len(FORMULA_PREFIXES)]
            for start in range(0, len(chunk), 500):
                rows = model._default_manager.filter(pk__in=chunk[start : start + 500])
                for name in fields:
                    field = model._meta.get_field(name)
                    assert isinstance(field, models.Field)
                    poisoned: Func = Concat(Value(prefix), F(name), output_field=field)
                    if field.max_length:  # a full column keeps its length on PostgreSQL
                        poisoned = Left(poisoned, field.max_length, output_field=field)
                    # Empty values stay empty (a unique column may hold many).
                    rows.exclude(**{f"{name}__isnull": True}).exclude(**{name: ""}).update(**{name: poisoned})


def _start_urls() -> list[str]:
    found: list[str] = []

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            route = str(pattern.pattern)
            if "<" in route or "(" in route or route.startswith("^"):
                continue
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + route)
            elif isinstance(pattern, URLPattern):
                found.append("/" + prefix + route)

    walk(get_resolver().url_patterns, "")
    return [url for url in found if not url.startswith(("/admin/", "/i18n/", "/accounts/logout"))]


def _is_export(url: str) -> bool:
    return "export=" in url or urlsplit(url).path.endswith(".xlsx")


def _crawl(client) -> dict[str, bytes]:
    """Every export reachable by links: pages are visited once per view, exports once per address path."""
    queue = _start_urls()
    seen_views: set[str] = set()
    seen_exports: set[str] = set()
    exports: dict[str, bytes] = {}
    while queue:
        url = queue.pop(0)
        path = urlsplit(url).path
        try:
            view = resolve(path).view_name
        except Resolver404:
            continue
        if _is_export(url):
            if path + view in seen_exports:
                continue
            seen_exports.add(path + view)
        else:
            if view in seen_views or "logout" in view:
                continue
            seen_views.add(view)
        response = client.get(url)
        content_type = response.get("Content-Type", "")
        if response.status_code != 200:
            continue
        if content_type.startswith(XLSX) and view not in FIXED_WORKBOOKS:
            body = b"".join(response.streaming_content) if response.streaming else response.content
            exports[url] = body
        elif content_type.startswith("text/html"):
            for href in re.findall(r'href="([^"#]+)"', response.content.decode()):
                link = urljoin(url, html.unescape(href))
                if link.startswith("/") and not link.startswith(("/static/", "/media/")):
                    queue.append(link)
    return exports


def test_no_export_turns_typed_text_into_a_formula(client):
    call_command("load_demo", "--i-know-this-is-a-demo", verbosity=0)
    admin = User.objects.get(username="admin")
    lift_append_only_triggers()
    _poison_every_text_column()
    User.objects.filter(pk=admin.pk).update(is_superuser=True)
    client.force_login(admin)
    client.raise_request_exception = False  # a broken page is other tests' business; this one wants exports

    exports = _crawl(client)
    # The list exports, the project export, the ledger, the annual report and the chart tables.
    assert len(exports) >= 25, sorted(exports)
    with_typed_text = []
    for url, body in exports.items():
        neutralised = 0
        for sheet in load_workbook(io.BytesIO(body)).worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", f"{url}: formula in {sheet.title}!{cell.coordinate}"
                    if isinstance(cell.value, str):
                        assert not cell.value.startswith(AS_READ), f"{url}: {cell.value!r}"
                        neutralised += cell.value.startswith(tuple(f"'{p}" for p in AS_READ))
        if neutralised:
            with_typed_text.append(url)
    # The dangerous text reached the exports (charts of counts by category hold none).
    assert len(with_typed_text) >= 20, sorted(set(exports) - set(with_typed_text))

"""The whole-site checker itself: it fails on a control a person cannot reach, and says where and why."""

from functools import partial

import pytest
from playwright.sync_api import Route

from tests.e2e.crawl import ROOT, Counts, check_page, fill_form

pytestmark = pytest.mark.e2e

BOOTSTRAP = ROOT / "node_modules" / "bootstrap" / "dist" / "css" / "bootstrap.min.css"
SITE_CSS = ROOT / "projectize" / "static" / "css" / "projectize.css"


def serve(page, html: str, *, css: list | None = None) -> str:
    """Serve a tiny page (and its style sheets) at a made-up address, as if it came from the site."""
    url = "http://checker.test/apply/"
    styles = "".join(f'<link rel="stylesheet" href="/css/{i}.css">' for i in range(len(css or [])))
    body = f"<!doctype html><html lang='zh-hans'><head><title>申报</title>{styles}</head><body><main>{html}</main>"
    page.route(url, lambda route: route.fulfill(content_type="text/html; charset=utf-8", body=body))
    for i, path in enumerate(css or []):
        page.route(f"http://checker.test/css/{i}.css", partial(Route.fulfill, path=path))
    page.goto(url)
    return url


def test_an_input_hidden_behind_another_fails_with_the_page_the_control_and_the_reason(page):
    url = serve(
        page,
        """<form method="post" style="position: relative">
             <label for="goal">目标值</label><input id="goal" name="goal">
             <label for="cover">备注</label>
             <input id="cover" name="cover" style="position: absolute; left: 0; top: 0; width: 400px; height: 60px">
           </form>""",
    )
    findings = check_page(page, role="secretary", language="zh-hans", user_data=None, counts=Counts())
    assert [str(f) for f in findings] == [
        f"[secretary 1280px zh] {url}: <input name=goal> cannot be clicked: its centre shows <input name=cover> "
        f"(clipped, covered or pushed aside)"
    ]


def test_a_formset_table_beside_a_floated_legend_fails_until_the_site_style_clears_the_float(page):
    # The application form's 量化目标 table: Bootstrap floats the legend, and the formset's hidden
    # management input right after it takes the `clear`, so the table's wrapper is squeezed to 0 px.
    fieldset = """<fieldset><legend class="h6">二、量化目标</legend>
      <input type="hidden" name="ind-TOTAL_FORMS" value="1">
      <div class="table-responsive"><table class="table"><tr><td>
        <label class="visually-hidden" for="ind-0-name">指标名称</label>
        <input class="form-control" id="ind-0-name" name="ind-0-name">
      </td></tr></table></div></fieldset>"""
    serve(page, fieldset, css=[BOOTSTRAP])
    problems = [
        f.reason for f in check_page(page, role="secretary", language="zh-hans", user_data=None, counts=Counts())
    ]
    control = "<input name=ind-0-name .form-control>"
    assert any(p.startswith(f"{control} cannot be clicked: its centre shows <html>") for p in problems), problems
    assert fill_form(page, page.locator("fieldset"), lambda name, kind: None) != []

    serve(page, fieldset, css=[BOOTSTRAP, SITE_CSS])
    assert check_page(page, role="secretary", language="zh-hans", user_data=None, counts=Counts()) == []
    assert fill_form(page, page.locator("fieldset"), lambda name, kind: None) == []
    assert page.get_by_label("指标名称").input_value() == "整体检查"

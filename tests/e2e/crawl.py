"""The whole-site check: what a person sees on every page, as every role, in both languages.

`page_problems` checks one loaded page (reachability of every control, accessible names, axe-core,
overflow, language); `Crawl` walks the site breadth first as one role and submits the forms it found.
"""

from __future__ import annotations

import datetime
import html
import re
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

from django.apps import apps
from django.db import models
from django.urls import Resolver404, resolve
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Locator,
    Page,
    Request,
    Response,
    ViewportSize,
)
from playwright.sync_api import Error as PlaywrightError

ROOT = Path(__file__).resolve().parents[2]
AXE_SOURCE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PAGES_DIR = ROOT / "test-artifacts" / "pages"
PASSWORD = "demo-pass-2026"
PHONE: ViewportSize = {"width": 390, "height": 844}
LAPTOP: ViewportSize = {"width": 1366, "height": 900}


@dataclass(frozen=True)
class Role:
    key: str
    username: str | None  # None: an anonymous resident
    start: str
    public: bool = False
    also: tuple[str, ...] = ()  # pages a person reaches by a path the breadth-first walk may sample away


ROLES = [
    Role("resident", None, "/public/", public=True),
    Role("secretary", "sec01", "/"),
    Role("org-staff", "staff01", "/"),
    Role("unit", "unit11", "/"),
    Role("expert", "expert1", "/"),
    Role("leader", "leader1", "/"),
    Role("finance", "finance", "/"),
    Role("admin", "admin", "/"),
]

# Not followed: leaving, or switching language (the crawl does that itself).
NOT_FOLLOWED = {"logout", "set_language", "admin:index"}
# Files, not pages: they must answer 200, checked through the request API.
DOWNLOAD_URL = re.compile(r"\.(xlsx|pdf|csv|png|jpe?g)$|/pdf/$|/files/\d+/|/photo/?$|/photos/\d+/|/import/template/")
# Objects per URL pattern: one for each status badge shown beside its links, up to this many.
OBJECTS_PER_PATTERN = 2
# Links not visited (the pattern's sample is full) are still fetched, up to this many per pattern.
LINKS_CHECKED_PER_PATTERN = 2
# Staff pages also seen at phone width: this many patterns per role, not yet seen at 390 by another role.
PHONE_SAMPLE_PER_ROLE = 4
MAX_PAGES_PER_ROLE = 150

# Latin words that are the same in Chinese text: brands, formats and acronyms.
LATIN_ALLOWED = {
    "PDF", "Excel", "ID", "QR", "HTTP", "HTTPS", "URL", "CSV", "XLSX", "Email", "E-mail", "PNG", "JPG", "JPEG",
    "MB", "KB", "GB", "ECharts", "Word", "IP", "API", "Projectize", "Ctrl", "Microsoft", "Authenticator", "FreeOTP",
}  # fmt: skip
LATIN_ALLOWED_FOLDED = {word.casefold() for word in LATIN_ALLOWED}
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff5e]+")
LATIN_WORD = re.compile(r"\b[A-Za-z][A-Za-z'-]{2,}\b")


@dataclass
class Finding:
    role: str
    url: str
    where: str  # width × height and language
    reason: str

    def __str__(self) -> str:
        return f"[{self.role} {self.where}] {self.url}: {self.reason}"


@dataclass
class Counts:
    pages: int = 0
    forms: int = 0
    controls: int = 0
    links_fetched: int = 0
    axe_rules: int = 0
    screenshots: int = 0
    axe_pages: int = 0
    patterns: set[str] = field(default_factory=set)
    patterns_en: set[str] = field(default_factory=set)
    # axe-core is slow and its rules look at the template, not the data or the role: once per
    # (URL pattern, language, width) is enough.
    axe_done: set[tuple[str, str, int]] = field(default_factory=set)


# --- What the page itself must be -------------------------------------------------------------------

# Every visible control, scrolled into view, must be the element at its own centre point (or belong
# to it: its label, its child, the link or button around it). Returns the problems and how many
# controls were tried.
REACHABLE_JS = """
() => {
  const SELECTOR = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]';
  const describe = (el) => {
    if (!el) return 'nothing';
    let text = (el.getAttribute('aria-label') || el.innerText || el.value || el.getAttribute('placeholder') || '');
    text = text.replace(/\\s+/g, ' ').trim().slice(0, 40);
    const name = el.getAttribute('name');
    const cls = (el.getAttribute('class') || '').split(/\\s+/).filter(Boolean).slice(0, 2).join('.');
    const tag = `<${el.tagName.toLowerCase()}${name ? ` name=${name}` : ''}${cls ? ` .${cls}` : ''}>`;
    return tag + (text ? ` "${text}"` : '');
  };
  const labelText = (el) => [...(el.labels || [])].map(l => l.innerText.trim()).join(' ');
  const accessibleName = (el) => {
    const by = el.getAttribute('aria-labelledby');
    const labelled = by ? by.split(/\\s+/).map(id => document.getElementById(id)?.innerText || '').join(' ') : '';
    const own = ['BUTTON', 'A', 'SUMMARY'].includes(el.tagName) || el.getAttribute('role') === 'button'
      ? el.innerText + [...el.querySelectorAll('img[alt]')].map(i => i.alt).join('') : '';
    const value = ['submit', 'button', 'reset'].includes(el.type) ? el.value : '';
    const title = el.getAttribute('title');
    return (el.getAttribute('aria-label') || labelled || labelText(el) || title || own || value || '').trim();
  };
  const problems = [];
  let tried = 0;
  const startX = scrollX, startY = scrollY;
  for (const el of document.querySelectorAll(SELECTOR)) {
    if (!el.checkVisibility({visibilityProperty: true})) continue;  // not shown (closed menu, collapsed)
    if (el.closest('.visually-hidden, .visually-hidden-focusable')) continue;  // for screen readers only
    if (el.closest('[aria-hidden=true]')) continue;  // kept from people on purpose (a honeypot for bots)
    const style = getComputedStyle(el);
    const disabled = el.disabled || el.classList.contains('disabled') || el.getAttribute('aria-disabled') === 'true';
    if (disabled && style.pointerEvents === 'none') continue;
    tried++;
    if (['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON'].includes(el.tagName) && !accessibleName(el)) {
      problems.push({control: describe(el), reason: 'has no accessible name (no label, aria-label or title)'});
    }
    // A styled check box or radio (Bootstrap's btn-check) is hidden on purpose: its label is what is clicked.
    const styledAway = style.opacity === '0' || (style.clip && style.clip.startsWith('rect(0'));
    const visibleLabels = [...(el.labels || [])]
      .filter(l => !l.closest('.visually-hidden') && l.getClientRects().length);
    const target = styledAway && visibleLabels.length ? visibleLabels[0] : el;
    target.scrollIntoView({block: 'center', inline: 'center', behavior: 'instant'});
    const rect = [...target.getClientRects()].find(r => r.width >= 1 && r.height >= 1);
    if (!rect) {
      const r = target.getBoundingClientRect();
      const size = `${Math.round(r.width)}×${Math.round(r.height)} px`;
      problems.push({control: describe(el), reason: `is ${size}: nothing to click`});
      continue;
    }
    const x = rect.left + rect.width / 2, y = rect.top + rect.height / 2;
    if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) {
      const at = `(${Math.round(x)}, ${Math.round(y)})`;
      problems.push({control: describe(el), reason: `lies outside the window ${at} even scrolled into view`});
      continue;
    }
    const hit = document.elementFromPoint(x, y);
    const owner = el.parentElement && el.parentElement.closest('a, button, label, summary');
    const belongs = hit && (hit === el || el.contains(hit) || [...(el.labels || [])].some(l => l.contains(hit))
      || (owner && owner.contains(hit)));
    if (!belongs) {
      const reason = `cannot be clicked: its centre shows ${describe(hit)} (clipped, covered or pushed aside)`;
      problems.push({control: describe(el), reason});
    }
  }
  scrollTo({left: startX, top: startY, behavior: 'instant'});
  return {problems, tried};
}
"""

# The interface text of the page (user data marked with data-user-text, and text in another lang, left out).
TEXT_JS = """
() => {
  const pageLang = document.documentElement.lang;
  const skipped = (el) => !el || el.closest('script, style, noscript, template, [data-user-text]')
    || (el.closest('[lang]') && el.closest('[lang]').getAttribute('lang') !== pageLang);
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.replace(/\\s+/g, ' ').trim();
    if (text && !skipped(node.parentElement)) texts.push(text);
  }
  const withText = document.body.querySelectorAll('[placeholder], [title], [aria-label], img[alt], input[type=submit]');
  for (const el of withText) {
    if (skipped(el)) continue;
    for (const attr of ['placeholder', 'title', 'aria-label', 'alt']) {
      const value = (el.getAttribute(attr) || '').trim();
      if (value) texts.push(value);
    }
    if (el.type === 'submit' && el.value) texts.push(el.value);
  }
  return [...new Set(texts)];
}
"""

AXE_RUN_JS = """
async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return {
    rules: axe.getRules().length,
    violations: result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' — ' + (n.failureSummary || '').split('\\n')[1]),
      count: v.nodes.length,
    })),
  };
}
"""


def strings(value: object) -> Iterable[str]:
    """Every string inside a stored value (a JSON field holds lists and objects of them)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings(item)


@cache
def axe_source() -> str:
    return f"() => {{ {AXE_SOURCE.read_text()}\n}}"


class UserData:
    """Text people typed into the system (names, titles, notes): on an English page it stays Chinese.

    Pages print such text in many places; rather than trusting every template to mark it, the check
    knows it from the database: a Chinese run on an English page passes if it is a whole stored value
    (or line), or a stretch of one at least four characters long (a shortened title).
    """

    def __init__(self) -> None:
        values: set[str] = set()
        for model in apps.get_models():
            if not model.__module__.startswith("projectize."):
                continue
            text = (models.CharField, models.TextField, models.JSONField)
            text_fields = [f.name for f in model._meta.concrete_fields if isinstance(f, text)]
            if not text_fields:
                continue
            for row in model._default_manager.values_list(*text_fields):
                for value in strings(row):
                    if CJK.search(value) or LATIN_WORD.search(value):
                        values.add(value.strip())
                        values.update(line.strip() for line in value.splitlines() if line.strip())
        self.values = values
        self.corpus = "\n".join(values)
        self.longest_first = sorted((v for v in values if len(v) >= 2), key=len, reverse=True)

    def holds(self, run: str) -> bool:
        # Names are often listed joined by 、: each must be a stored value.
        pieces = [piece.strip("…。，：；（）“”") for piece in re.split(r"[、，·]", run)]
        return all(not p or p in self.values or (len(p) >= 4 and p in self.corpus) for p in pieces)

    def interface_words(self, texts: Iterable[str], language: str) -> list[str]:
        """Words of the wrong language in the interface texts of a page."""
        wrong: list[str] = []
        for text in texts:
            if language == "en":
                if not CJK.search(text) or text in self.values:
                    continue
                rest = text
                for value in self.longest_first:
                    if value in rest:
                        rest = rest.replace(value, " ")
                if not all(self.holds(run) for run in CJK.findall(rest)):
                    wrong.append(text)
            else:
                words = [
                    w for w in LATIN_WORD.findall(text) if w.casefold() not in LATIN_ALLOWED_FOLDED and not w.isupper()
                ]
                if words and not (text in self.values or all(w in self.corpus for w in words)):
                    wrong.append(text)
        return wrong


def page_problems(
    page: Page, *, language: str, user_data: UserData | None, counts: Counts, thorough: bool = True, axe: bool = True
) -> list[str]:
    """Everything a person would trip over on the loaded page, each naming the control and the reason.

    Not thorough (another object of a pattern already checked): leaves out axe-core and the language.
    """
    problems: list[str] = []
    width = page.viewport_size["width"] if page.viewport_size else 0
    overflow = page.evaluate("() => document.scrollingElement.scrollWidth - innerWidth")
    if overflow > 0:
        wide = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                 .filter(e => e.getBoundingClientRect().right > innerWidth + 1 && !e.closest('.table-responsive'))
                 .slice(-1).map(e => e.outerHTML.slice(0, 120))[0] || ''"""
        )
        problems.append(f"page is {overflow} px wider than the {width} px window (widest: {wide})")
    reach = page.evaluate(REACHABLE_JS)
    counts.controls += reach["tried"]
    problems.extend(f"{p['control']} {p['reason']}" for p in reach["problems"])
    if user_data is not None and thorough:
        wrong = user_data.interface_words(page.evaluate(TEXT_JS), language)
        if wrong:
            kind = "Chinese interface text on an English page" if language == "en" else "English on a Chinese page"
            problems.append(f"{kind}: {' | '.join(wrong[:8])}")
    if not (thorough and axe):
        return problems
    # Evaluated through the debugging protocol: the site's Content-Security-Policy (rightly) refuses
    # an inline script tag, and axe must not weaken it to be checked.
    page.evaluate(axe_source())
    result = page.evaluate(AXE_RUN_JS)
    counts.axe_rules = max(counts.axe_rules, result["rules"])
    counts.axe_pages += 1
    problems.extend(
        f"axe {v['impact']} {v['id']} ({v['help']}) on {v['count']} node(s): {'; '.join(v['nodes'])}"
        for v in result["violations"]
    )
    return problems


def check_page(
    page: Page,
    *,
    role: str,
    language: str,
    user_data: UserData | None,
    counts: Counts,
    thorough: bool = True,
    axe: bool = True,
) -> list[Finding]:
    """The problems of the loaded page as findings that name the role, the page, the control and the reason."""
    width = page.viewport_size["width"] if page.viewport_size else 0
    where = f"{width}px {'en' if language == 'en' else 'zh'}"
    problems = page_problems(page, language=language, user_data=user_data, counts=counts, thorough=thorough, axe=axe)
    return [Finding(role, page.url, where, problem) for problem in problems]


# --- Walking the site as one role -------------------------------------------------------------------

LINKS_JS = """
() => [...document.querySelectorAll('a[href]')].filter(a => !a.closest('[hidden]')).map(a => {
  const row = a.closest('tr, li, .card, .list-group-item');
  const badge = row && row.querySelector('[data-status], .badge');
  return {href: a.href, download: a.hasAttribute('download'),
          variant: badge ? (badge.getAttribute('data-status') || badge.textContent.trim()) : ''};
})
"""


def url_name(url: str) -> str | None:
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    return match.view_name


class Crawl:
    """One role's walk: breadth first from its home, a sample of objects per URL pattern."""

    def __init__(
        self,
        *,
        browser: Browser,
        base_url: str,
        role: Role,
        counts: Counts,
        findings: list[Finding],
        user_data: UserData,
        seen_en: set[str],
        seen_phone: set[str],
        sheet: dict[str, list[tuple[str, str]]],
    ) -> None:
        self.browser, self.base, self.role = browser, base_url, role
        self.counts, self.findings, self.user_data = counts, findings, user_data
        self.seen_en, self.seen_phone, self.sheet = seen_en, seen_phone, sheet
        self.width = PHONE if role.public else LAPTOP
        self.visited: dict[str, list[str]] = {}  # url name → URLs visited, in order
        self.variants: dict[str, set[str]] = {}
        self.fetched: dict[str, int] = {}
        self.checked_urls: set[str] = set()
        self.forms: dict[str, str] = {}  # url name → first URL with a form to submit
        self.page_errors: list[str] = []
        self.context = self._new_context()
        self.page = self.context.new_page()
        self._watch(self.page)
        self.language = "zh-hans"

    def _new_context(self) -> BrowserContext:
        context = self.browser.new_context(locale="zh-CN", viewport=self.width)
        context.set_default_timeout(10_000)
        return context

    def _watch(self, page: Page) -> None:
        kinds = {"script", "stylesheet", "font", "image"}

        def console(message: ConsoleMessage) -> None:
            if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
                self.page_errors.append(f"console error: {message.text}")

        def failed(request: Request) -> None:
            if request.resource_type in kinds:
                self.page_errors.append(f"{request.resource_type} {request.url} failed")

        def answered(response: Response) -> None:
            if response.request.resource_type in kinds and response.status >= 400:
                self.page_errors.append(f"{response.request.resource_type} {response.url} answered {response.status}")

        page.on("console", console)
        page.on("pageerror", lambda error: self.page_errors.append(f"script error: {error}"))
        page.on("requestfailed", failed)
        page.on("response", answered)
        page.on("dialog", lambda dialog: dialog.accept())

    def report(self, url: str, reason: str) -> None:
        viewport = self.page.viewport_size or self.width
        where = f"{viewport['width']}px {'en' if self.language == 'en' else 'zh'}"
        self.findings.append(Finding(self.role.key, url.removeprefix(self.base), where, reason))

    def set_language(self, language: str) -> None:
        self.language = language
        self.context.add_cookies([{"name": "django_language", "value": language, "url": self.base}])

    def login(self) -> None:
        if self.role.username is None:
            return
        page = self.page
        page.goto(f"{self.base}/accounts/login/")
        username = page.get_by_label("用户名或手机号")
        username.click()
        username.press_sequentially(self.role.username)
        password = page.locator("input[name=password]")
        password.click()
        password.press_sequentially(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{self.base}/")

    # A page: load, check, screenshot, and the links it shows.
    def visit(self, url: str, name: str, *, screenshot: bool) -> list[dict] | None:
        self.page_errors.clear()
        try:
            response = self.page.goto(url, wait_until="load")
        except PlaywrightError as error:
            self.report(url, f"did not load: {str(error).splitlines()[0]}")
            return None
        self.counts.pages += 1
        self.counts.patterns.add(name)
        if self.language == "en":
            self.counts.patterns_en.add(name)
        status = response.status if response else 0
        if status != 200:
            self.report(url, f"answered {status}")
            return None
        if url_name(self.page.url) == "login" and name != "login":
            self.report(url, "a link shown to this role sends it to the login page")
            return None
        self.page.wait_for_timeout(50)  # let charts and htmx draw
        axe_key = (name, self.language, (self.page.viewport_size or self.width)["width"])
        for finding in check_page(
            self.page,
            role=self.role.key,
            language=self.language,
            user_data=self.user_data,
            counts=self.counts,
            thorough=screenshot,
            axe=axe_key not in self.counts.axe_done,
        ):
            self.report(url, finding.reason)
        if screenshot:
            self.counts.axe_done.add(axe_key)
        for page_error in self.page_errors:
            self.report(url, page_error)
        if screenshot:
            self.shoot(name)
        if self.page.locator("main form[method=post] :is(input:not([type=hidden]), select, textarea)").count():
            self.forms.setdefault(name, url)
        return self.page.evaluate(LINKS_JS)

    def shoot(self, name: str) -> None:
        viewport = self.page.viewport_size or self.width
        language = "en" if self.language == "en" else "zh"
        file = f"{self.role.key}--{name.replace(':', '-')}--{viewport['width']}--{language}.png"
        PAGES_DIR.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(PAGES_DIR / file), full_page=True)
        self.counts.screenshots += 1
        self.sheet.setdefault(self.role.key, []).append((file, f"{name} · {viewport['width']}px · {language}"))

    def fetch(self, url: str, why: str) -> None:
        """A link not opened in the browser must still answer: 200, or a redirect within the site."""
        if url in self.checked_urls:
            return
        self.checked_urls.add(url)
        self.counts.links_fetched += 1
        # Reports and letters are written as PDF on request: give them time.
        response = self.context.request.get(url, max_redirects=0, fail_on_status_code=False, timeout=90_000)
        if response.status >= 400:
            self.report(self.page.url, f"{why} link {url.removeprefix(self.base)} answers {response.status}")

    def crawl(self) -> None:
        """Breadth first from the role's home, in Chinese at the role's main width."""
        queue: deque[str] = deque(self.base + path for path in [self.role.start, *self.role.also])
        queued = set(queue)
        for path in self.role.also:
            self.variants.setdefault(url_name(path) or "?", set()).add("")
        while queue and self.counts_for_role() < MAX_PAGES_PER_ROLE:
            url = queue.popleft()
            name = url_name(url) or "?"
            links = self.visit(url, name, screenshot=not self.visited.get(name))
            self.visited.setdefault(name, []).append(url)
            for link in links or []:
                target, _ = urldefrag(link["href"])
                if not target.startswith(self.base + "/") or target in queued:
                    continue
                target_name = url_name(target)
                if target_name is None:
                    self.report(url, f"link to {target.removeprefix(self.base)} leads nowhere (404)")
                    continue
                if target_name in NOT_FOLLOWED or target_name.startswith("admin:"):
                    continue
                if link["download"] or DOWNLOAD_URL.search(urlsplit(target).path):
                    self.fetch(target, "download")
                    continue
                variants = self.variants.setdefault(target_name, set())
                sampled = len(variants) < OBJECTS_PER_PATTERN and (not variants or link["variant"] not in variants)
                if sampled and (target_name not in self.visited or link["variant"]):
                    variants.add(link["variant"])
                    queue.append(target)
                    queued.add(target)
                elif self.fetched.get(target_name, 0) < LINKS_CHECKED_PER_PATTERN:
                    self.fetched[target_name] = self.fetched.get(target_name, 0) + 1
                    self.fetch(target, "page")

    def counts_for_role(self) -> int:
        return sum(len(urls) for urls in self.visited.values())

    def second_looks(self) -> None:
        """English for every pattern no role has shown in English yet; a sample of staff pages at 390 px."""
        self.set_language("en")
        for name, urls in self.visited.items():
            if self.role.public or name not in self.seen_en:
                self.seen_en.add(name)
                self.visit(urls[0], name, screenshot=True)
        self.set_language("zh-hans")
        if self.role.public:
            return
        self.page.set_viewport_size(PHONE)
        sample = [name for name in self.visited if name not in self.seen_phone][:PHONE_SAMPLE_PER_ROLE]
        for name in ["core:home", *sample]:
            if name in self.visited:
                self.seen_phone.add(name)
                self.visit(self.visited[name][0], name, screenshot=True)
        self.page.set_viewport_size(self.width)

    # Forms: filled as a person fills them, then sent.
    def submit_forms(self, values: Callable[[str, str, str], str | None]) -> None:
        for name, url in self.forms.items():
            self.submit_form(name, url, values)

    def submit_form(self, name: str, url: str, values: Callable[[str, str, str], str | None]) -> None:
        page = self.page
        page.goto(url)
        forms = page.locator("main form[method=post]")
        best, most = None, 0
        for i in range(forms.count()):
            n = forms.nth(i).locator(":is(input:not([type=hidden]), select, textarea):visible").count()
            if n > most:
                best, most = forms.nth(i), n
        if best is None:
            return
        failures = fill_form(page, best, lambda field, kind: values(name, field, kind))
        for failure in failures:
            self.report(url, failure)
        if failures:
            return
        buttons = best.locator("button:not([type=button]):visible:enabled, input[type=submit]:visible:enabled")
        if not buttons.count():
            return  # not open now (a call outside its phase): the page says why beside the disabled button
        primary = buttons.and_(page.locator(".btn-primary"))
        button = primary.last if primary.count() else buttons.last
        self.page_errors.clear()
        with page.expect_response(
            lambda r: r.request.method == "POST" and r.request.resource_type == "document"
        ) as posted:
            button.click()
        response: Response = posted.value
        page.wait_for_load_state()
        self.counts.forms += 1
        if response.status >= 500:
            self.report(url, f"submitting the form answered {response.status}")
        elif response.status == 200 and page.url == url:
            shown = page.locator(".invalid-feedback:visible, .alert-danger:visible, .errorlist:visible, .alert-success")
            if not shown.count():
                self.report(url, "the form was sent but the page shows neither success nor errors beside fields")


FIELD_JS = """
e => ({
  name: e.name, type: e.tagName === 'INPUT' ? e.type : e.tagName.toLowerCase(), value: e.value,
  label: [...(e.labels || [])].map(l => l.innerText.trim()).join(' ') || e.getAttribute('aria-label') || e.name,
  required: e.required, kept_from_people: !!e.closest('[aria-hidden=true]'),
  group: [...(e.form ? e.form.elements : [])].some(o => o.name === e.name && o.checked),
})
"""


def fill_form(page: Page, form: Locator, value_for: Callable[[str, str], str | None]) -> list[str]:
    """Click every visible field and type into it; what cannot be clicked is a failure to report."""
    failures: list[str] = []
    inputs = "input:not([type=hidden]):not([type=submit]):not([type=button])"
    fields = form.locator(f":is({inputs}, select, textarea):visible")
    handled_groups: set[str] = set()
    for i in range(fields.count()):
        control = fields.nth(i)
        info = control.evaluate(FIELD_JS)
        name, kind = info["name"], info["type"]
        if info["kept_from_people"]:
            continue
        described = f"field “{info['label']}” ({name})"
        try:
            if kind in {"checkbox", "radio"}:
                wanted = value_for(name, kind)
                if name in handled_groups or info["group"] or name.endswith("DELETE"):
                    continue
                if wanted or kind == "radio" or info["required"]:
                    handled_groups.add(name)
                    label = control.locator("xpath=ancestor::label").or_(
                        page.locator(f"label[for='{control.get_attribute('id')}']")
                    )
                    (label.first if label.count() else control).click(timeout=3000)
                continue
            if kind == "file":
                continue
            control.click(timeout=3000)
            if kind in {"select", "select-one", "select-multiple"}:
                wanted = value_for(name, "select")
                options = control.locator("option").evaluate_all(
                    "os => os.filter(o => o.value && !o.disabled).map(o => ({label: o.label, value: o.value}))"
                )
                if wanted is not None:
                    control.select_option(label=wanted)
                elif not info["value"] and options:
                    control.select_option(label=options[0]["label"])
                continue
            wanted = value_for(name, kind)
            if wanted is None:
                wanted = info["value"] or default_value(kind)
            if kind in {"date", "datetime-local", "time", "month"}:
                control.fill(wanted)
            else:
                control.press("ControlOrMeta+a")
                control.press_sequentially(wanted)
        except PlaywrightError as failure:
            failures.append(f"{described} cannot be clicked and typed into: {str(failure).splitlines()[0]}")
    return failures


def default_value(kind: str) -> str:
    soon = datetime.date.today() + datetime.timedelta(days=30)
    return {
        "number": "3",
        "date": soon.isoformat(),
        "datetime-local": f"{soon.isoformat()}T09:30",
        "time": "09:30",
        "month": soon.strftime("%Y-%m"),
        "email": "check@example.com",
        "tel": "13912345678",
        "url": "https://example.com/",
        "password": PASSWORD,
        "textarea": "整体检查填写的说明文字。",
    }.get(kind, "整体检查")


def write_contact_sheet(sheet: dict[str, list[tuple[str, str]]]) -> Path:
    """test-artifacts/pages/index.html: every screenshot, grouped by role, for a person to look through."""
    parts = [
        "<!doctype html><meta charset=utf-8><title>Projectize · every page</title>",
        "<style>body{font-family:sans-serif;margin:1rem}figure{display:inline-block;width:240px;margin:.4rem;"
        "vertical-align:top}img{width:240px;max-height:360px;object-fit:cover;object-position:top;"
        "border:1px solid #ccc}"
        "figcaption{font-size:12px;word-break:break-all}</style><h1>Every page, as every role sees it</h1>",
    ]
    for role in ROLES:
        shots = sheet.get(role.key, [])
        parts.append(f"<h2 id={role.key}>{html.escape(role.key)} ({html.escape(role.username or 'anonymous')})</h2>")
        parts.extend(
            f'<figure><a href="{html.escape(file)}"><img loading=lazy src="{html.escape(file)}" alt=""></a>'
            f"<figcaption>{html.escape(caption)}</figcaption></figure>"
            for file, caption in shots
        )
    index = PAGES_DIR / "index.html"
    PAGES_DIR.mkdir(parents=True, exist_ok=True)
    index.write_text("\n".join(parts), encoding="utf-8")
    return index

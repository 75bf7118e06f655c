"""Whole pages kept for the person who read them, until something they may see changes (issue 15).

A list or a dashboard costs 10–30 ms of Python to render; read again with nothing changed, it is served from
the `pages` cache instead. What a page may show depends on where its reader stands in the organization tree,
so changes are marked by tree path, with tokens kept beside the copies in the `pages` cache (every process
shares it: Redis, or a database table without Redis):

- a change at organization O (an activity log entry about O, a row of O's that the dashboard counts saved or
  deleted, a finished count of O's figures, a form sent by someone granted at O) renews the token "up" of O
  and of each of its ancestors (their readers see what happens below them) and the token "down" of O (the
  readers below O see what O does: a town's decision, a district's call);
- a page read by someone granted at R (a town site's visitor: R is the town) is kept under the tokens "up" of R
  and "down" of R and of each of its ancestors, and of nothing else: a change elsewhere keeps it.

Tokens are random, never counters: a token lost or evicted is replaced by a new one, so an old copy is never
found again, and no two processes can renew a token to the same value. A copy also expires after
PAGE_CACHE_SECONDS, which bounds what the tokens cannot see (another branch's claim counted on a shared
target, a time shown as "5 minutes ago"). A signed-in person's copies are theirs and their session's; a
visitor's are shared by every visitor of the site. The CSRF token is not part of a copy: it is put in as each
reader's own when the copy is served.

A signed-in reader's session notes the names of the tokens their pages were last kept under, so that a copy
and its tokens are read together, in one round trip to the cache.
"""

import functools
import hashlib
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from projectize.core.models import ActivityLog

# Tokens outlive any copy made under them; a token that expires only costs the copies a miss.
TOKEN_SECONDS = 24 * 60 * 60
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# Stands in a copy where the page had its reader's CSRF token.
TOKEN_PLACEHOLDER = b"@@csrf-token@@"
# The tokens a request's pages were given (see `csrf`), on the request under this name.
TOKENS_GIVEN = "_page_csrf_tokens"
# In a signed-in reader's session: the names of the tokens their pages were last kept under.
TOKEN_NAMES = "_page_token_names"
View = TypeVar("View", bound=Callable[..., HttpResponseBase])


@dataclass
class _Tree:
    """What the organizations app tells core about its tree (core names no app): where a request's reader
    stands (their paths, "" for the whole tree) and how many characters each level adds to a path."""

    reader_paths: Callable[[HttpRequest], list[str]] = lambda request: [""]
    step: int = 4


_tree = _Tree()


def set_tree(reader_paths: Callable[[HttpRequest], list[str]], *, step: int) -> None:
    _tree.reader_paths = reader_paths
    _tree.step = step


def _prefixes(path: str) -> list[str]:
    """The path and its ancestors' paths, from the root: "" (the whole tree), "0001", "00010003", ..."""
    return [path[:end] for end in range(0, len(path) + 1, _tree.step)]


def _token_key(direction: str, path: str) -> str:
    return f"page-token:{direction}:{path}"


def mark_changed(paths: Iterable[str]) -> None:
    """Something at each of these organizations changed: the pages that may show it are read afresh."""
    if not settings.PAGE_CACHE_SECONDS:
        return  # no page is kept
    keys: set[str] = set()
    for path in paths:
        keys.update(_token_key("up", prefix) for prefix in _prefixes(path))
        keys.add(_token_key("down", path))
    if keys:
        caches["pages"].set_many({key: secrets.token_hex(8) for key in keys}, TOKEN_SECONDS)


def mark_changed_in_transaction(paths: Iterable[str]) -> None:
    """As `mark_changed`, now (for what reads on inside the same transaction, as a test does) and again once
    the change is committed: a page read meanwhile, from the rows before the change, is not found again."""
    paths = list(paths)
    mark_changed(paths)
    transaction.on_commit(lambda: mark_changed(paths))


def _tokens(paths: list[str]) -> dict[str, str] | None:
    """The tokens a reader's pages are kept under (made where missing); None if the cache keeps none."""
    keys = {_token_key("up", path) for path in paths}
    keys |= {_token_key("down", prefix) for path in paths for prefix in _prefixes(path)}
    pages = caches["pages"]
    found: dict[str, str] = pages.get_many(keys)
    missing = keys - found.keys()
    if missing:
        # `add`, not `set`: a token another process has just made stands, and is read back.
        for key in missing:
            pages.add(key, secrets.token_hex(8), TOKEN_SECONDS)
        found.update(pages.get_many(missing))
    return found if found.keys() == keys else None


def _current_copy(key: str, token_names: list[str]) -> tuple[dict[str, str], str, bytes] | None:
    """The copy kept under `key` if nothing has changed under its tokens since it was made. The tokens named
    are read with it; a copy made under others (its reader's grants have changed since) reads its own next."""
    pages = caches["pages"]
    found = pages.get_many([key, *token_names])
    kept = found.pop(key, None)
    if kept is None:
        return None
    tokens = kept[0]
    if tokens.keys() != set(token_names):
        found = pages.get_many(tokens.keys())
    return kept if found == tokens else None


def _note_token_names(request: HttpRequest, session: Any, tokens: dict[str, str]) -> None:
    # Only a signed-in reader's: a visitor's session would be made for it, and saved, at each first visit.
    if session is not None and request.user.is_authenticated and session.get(TOKEN_NAMES) != sorted(tokens):
        session[TOKEN_NAMES] = sorted(tokens)


def _copy_key(request: HttpRequest) -> str:
    session_key = getattr(request, "session", None) and request.session.session_key
    parts = [
        request.resolver_match.view_name if request.resolver_match else "",
        request.get_host(),
        request.get_full_path(),
        getattr(request, "LANGUAGE_CODE", ""),
        request.headers.get("HX-Request", ""),
        request.headers.get("HX-Target", ""),
        str(request.user.pk or ""),
        session_key or "",
        # A page may read a cookie (the language, the public site's care mode); the CSRF cookie is given
        # to each reader apart (`csrf`), so visitors share a copy.
        *sorted(f"{name}={value}" for name, value in request.COOKIES.items() if name != settings.CSRF_COOKIE_NAME),
        timezone.localdate().isoformat(),
    ]
    return "page:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _has_messages(request: HttpRequest) -> bool:
    # A message waiting to be shown belongs to the next page rendered, not to a copy.
    return bool(len(get_messages(request)))


def _keepable(request: HttpRequest, response: HttpResponseBase, session_before: dict[str, Any] | None) -> bool:
    return (
        isinstance(response, HttpResponse)  # not a streamed one, nor a file
        and response.status_code == 200
        and getattr(response, "is_rendered", True)
        and response.get("Content-Type", "").startswith("text/html")
        # Anything beyond the body (a cookie, a header of the view's own) is not replayed.
        and set(response.headers) <= {"Content-Type"}
        and not response.cookies
        # A view that records something in the session does so each time: it is not replayed.
        and session_before == _session(request)
    )


def _session(request: HttpRequest) -> dict[str, Any] | None:
    session = getattr(request, "session", None)
    return dict(session.items()) if session is not None else None


def csrf(request: HttpRequest) -> dict[str, Any]:
    """Context processor in place of Django's `csrf`: the same token, noted on the request, so that a copy of
    the page can carry a placeholder instead and each reader be given their own token."""

    def token() -> str:
        value = get_token(request)
        given: set[str] = getattr(request, TOKENS_GIVEN, set())
        given.add(value)
        return value

    return {"csrf_token": SimpleLazyObject(token)}


def _without_tokens(request: HttpRequest, content: bytes) -> bytes:
    for token in getattr(request, TOKENS_GIVEN, ()):
        content = content.replace(token.encode(), TOKEN_PLACEHOLDER)
    return content


def _with_token(request: HttpRequest, content: bytes) -> bytes:
    return content.replace(TOKEN_PLACEHOLDER, get_token(request).encode()) if TOKEN_PLACEHOLDER in content else content


def cached_page(view: View) -> View:
    """Serve the view's page from the pages cache while nothing its reader may see has changed."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        seconds = settings.PAGE_CACHE_SECONDS
        if not seconds or request.method != "GET" or _has_messages(request):
            return view(request, *args, **kwargs)
        key = _copy_key(request)
        # A copy names the tokens it was made under: checking them needs not ask where its reader stands.
        session = getattr(request, "session", None)
        kept = _current_copy(key, session.get(TOKEN_NAMES, []) if session is not None else [])
        if kept is not None:
            _tokens_then, content_type, content = kept
            return HttpResponse(_with_token(request, content), content_type=content_type)
        tokens = _tokens(_tree.reader_paths(request))  # read before the page, so a change meanwhile renews it
        if tokens is not None:
            _note_token_names(request, session, tokens)
        session_before = _session(request)
        setattr(request, TOKENS_GIVEN, set())
        response = view(request, *args, **kwargs)
        if tokens is not None and _keepable(request, response, session_before):
            content = cast(HttpResponse, response).content
            copy = (tokens, response["Content-Type"], _without_tokens(request, content))
            caches["pages"].set(key, copy, seconds)
        return response

    return cast(View, wrapper)


class PageChangesMiddleware:
    """A form sent by a signed-in person marks their organizations changed (the activity log marks the
    organization a change is about; this also covers what is not logged, a setting or a read mark)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.method not in SAFE_METHODS and response.status_code < 400 and user and user.is_authenticated:
            mark_changed(_tree.reader_paths(request))
        return response


def logged_change(sender: type[ActivityLog], instance: ActivityLog, created: bool, **kwargs: Any) -> None:
    """post_save of the activity log: the organization an entry is about has changed."""
    organization = instance.organization if created else None
    if organization is not None:
        mark_changed_in_transaction([organization.path])

import shutil
import tempfile

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test.utils import override_settings
from django.utils import translation

MEDIA_ROOT = pytest.StashKey[str]()


def pytest_configure(config: pytest.Config) -> None:
    # tests.workflow_example is a tiny process that proves the workflow engine on its own; it is
    # installed for the test run only (pytest-django has set Django up by now, so the registry reloads).
    # Tests check passwords thousands of times; a fast hash keeps that from dominating the run.
    # Uploaded and generated files go to a temporary folder, never into the installation's MEDIA_ROOT.
    config.stash[MEDIA_ROOT] = tempfile.mkdtemp(prefix="projectize-test-media-")
    override_settings(
        MEDIA_ROOT=config.stash[MEDIA_ROOT],
        INSTALLED_APPS=[*settings.INSTALLED_APPS, "tests.workflow_example"],
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS],
        # A page is rendered at each request, so that a test may change rows behind the services' back and
        # count a page's queries; the browser tests, the isolation crawl and the page cache's own tests keep
        # copies as a server does (the `page_copies` fixture).
        PAGE_CACHE_SECONDS=0,
        # One process, so an in-memory cache is shared; cleared around each test below. (Servers the
        # tests start in their own processes keep the database cache.)
        CACHES={
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            "figures": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "figures"},
            "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
        },
    ).enable()


def pytest_unconfigure(config: pytest.Config) -> None:
    if MEDIA_ROOT in config.stash:
        shutil.rmtree(config.stash[MEDIA_ROOT], ignore_errors=True)


@pytest.fixture(autouse=True)
def _clear_cache():
    # Verification codes live in the cache, copies of figures in the figures cache; no test may inherit another's.
    for each in caches.all():
        each.clear()
    yield
    for each in caches.all():
        each.clear()


@pytest.fixture
def page_copies(settings):
    """Pages kept for their readers as in production (projectize.core.pagecache)."""
    settings.PAGE_CACHE_SECONDS = 120


@pytest.fixture(autouse=True)
def _default_language():
    # A request in English leaves English active in the test's thread; each test starts in the default.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)

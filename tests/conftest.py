import pytest
from django.conf import settings
from django.core.cache import cache
from django.test.utils import override_settings


def pytest_configure(config: pytest.Config) -> None:
    # tests.workflow_example is a tiny process that proves the workflow engine on its own; it is
    # installed for the test run only (pytest-django has set Django up by now, so the registry reloads).
    # Tests check passwords thousands of times; a fast hash keeps that from dominating the run.
    override_settings(
        INSTALLED_APPS=[*settings.INSTALLED_APPS, "tests.workflow_example"],
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS],
    ).enable()


@pytest.fixture(autouse=True)
def _clear_cache():
    # Login lockout and rate limits live in the cache; no test may inherit another's counters.
    cache.clear()
    yield
    cache.clear()

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    # Login lockout and rate limits live in the cache; no test may inherit another's counters.
    cache.clear()
    yield
    cache.clear()

"""The shared counters behind the login lockout and the rate limits: a fixed window that ends."""

import datetime

import pytest
from django.utils import timezone

from projectize.core import ratelimit
from projectize.core.models import RateCounter

pytestmark = pytest.mark.django_db


def test_a_counter_counts_within_its_window_and_starts_again_after_it():
    assert [ratelimit.hit("login-failures:account:1", window=900) for _ in range(3)] == [1, 2, 3]
    assert ratelimit.count("login-failures:account:1") == 3
    assert ratelimit.count("login-failures:account:2") == 0
    RateCounter.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert ratelimit.count("login-failures:account:1") == 0
    assert ratelimit.hit("login-failures:account:1", window=900) == 1
    ratelimit.reset("login-failures:account:1")
    assert ratelimit.count("login-failures:account:1") == 0

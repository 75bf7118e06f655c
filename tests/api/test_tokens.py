"""Tokens: stored hashed, read-only or read-write, narrowed to a subtree, revocable, rate-limited, every use logged."""

import pytest
from django.conf import settings
from django.test import override_settings

from projectize.api import services
from projectize.api.auth import key_hash
from projectize.api.models import ApiRequest, ApiToken
from projectize.orgs.models import Role
from tests.api.conftest import token_client
from tests.factories import user_with_role
from tests.needs.factories import make_need

pytestmark = pytest.mark.django_db


def test_it_stores_only_the_hash_and_a_prefix(admin, town):
    token, key = services.token_create(actor=admin, name="社区云", organization=town, can_write=False)
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.key_hash == key_hash(key) and key not in str(ApiToken.objects.values().get(pk=token.pk))
    assert key.startswith(stored.prefix)


def test_only_a_town_admin_of_the_subtree_makes_tokens(town, other_town):
    outsider = user_with_role(Role.TOWN_ADMIN, other_town)
    with pytest.raises(Exception, match="镇党委管理员"):
        services.token_create(actor=outsider, name="x", organization=town, can_write=False)


def test_a_read_only_token_reads_but_may_not_write(read_key, town, category):
    api = token_client(read_key)
    assert api.get("/api/v1/needs/").status_code == 200
    refused = api.post("/api/v1/needs/", {"organization": town.pk}, format="json")
    assert refused.status_code == 403
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["detail"] == "该令牌只能读取数据。"


def test_a_revoked_token_is_refused_and_its_uses_are_logged(admin, town):
    token, key = services.token_create(actor=admin, name="大屏", organization=town, can_write=False)
    api = token_client(key)
    assert api.get("/api/v1/organizations/").status_code == 200
    services.token_revoke(actor=admin, token=token)
    refused = api.get("/api/v1/organizations/")
    assert refused.status_code == 401 and refused.json()["title"] == "未认证"
    assert list(ApiRequest.objects.values_list("status", flat=True)) == [200]
    token.refresh_from_db()
    assert token.last_used_at is not None and token.revoked_at is not None


def test_a_token_sees_only_its_subtree(admin, town, org, branch, category):
    make_need(town, title="镇上的需求")
    make_need(town, title="春申的需求", area=org)
    _narrow, key = services.token_create(actor=admin, name="春申社区云", organization=org, can_write=False)
    titles = [row["title"] for row in token_client(key).get("/api/v1/needs/").json()["results"]]
    assert titles == ["春申的需求"]
    names = [row["name"] for row in token_client(key).get("/api/v1/organizations/").json()["results"]]
    assert names == ["春申居民区党总支"]


def test_a_token_cannot_write_outside_its_subtree(admin, town, org, category):
    _token, key = services.token_create(actor=admin, name="春申", organization=org, can_write=True)
    answer = token_client(key).post(
        "/api/v1/needs/",
        {"organization": town.pk, "title": "t", "description": "d", "category": category.pk, "channel": "hotline"},
        format="json",
    )
    assert answer.status_code == 400 and "organization" in answer.json()["errors"]


@override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "3/minute"}})
def test_each_token_has_its_own_rate_limit(admin, town, read_key):
    api = token_client(read_key)
    assert [api.get("/api/v1/organizations/").status_code for _ in range(4)] == [200, 200, 200, 429]
    limited = api.get("/api/v1/organizations/")
    assert limited["Retry-After"] and limited.json()["status"] == 429
    _other, other_key = services.token_create(actor=admin, name="另一个", organization=town, can_write=False)
    assert token_client(other_key).get("/api/v1/organizations/").status_code == 200


def test_the_session_works_for_the_browser(client, admin):
    from tests.factories import PASSWORD

    client.login(username=admin.username, password=PASSWORD)
    assert client.get("/api/v1/organizations/").status_code == 200
    client.logout()
    assert client.get("/api/v1/organizations/").status_code == 401


def test_old_token_uses_are_purged(admin, town, read_key):
    import datetime
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    token_client(read_key).get("/api/v1/organizations/")
    token_client(read_key).get("/api/v1/needs/")
    ApiRequest.objects.filter(path="/api/v1/organizations/").update(at=timezone.now() - datetime.timedelta(days=200))
    call_command("purge_api_requests", "--days", "180", stdout=StringIO())
    assert list(ApiRequest.objects.values_list("path", flat=True)) == ["/api/v1/needs/"]

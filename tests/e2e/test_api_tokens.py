"""The integrations' staff pages in a real browser: a town admin makes a token (its key shown once), subscribes
it to an event, sees its use after an API call, and revokes it; the English pages read in English."""

import urllib.request

import pytest
from playwright.sync_api import expect

from projectize.api.models import ApiToken, DeliveryResult, WebhookDelivery, WebhookSubscription
from projectize.orgs.models import Role
from tests.e2e.crawl import Counts, UserData, page_problems
from tests.factories import make_root, user_with_role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_town_admin_makes_uses_and_revokes_a_token(page, live_server, login, screenshot):
    town = make_root()
    user_with_role(Role.TOWN_ADMIN, town, username="admin")
    url = live_server.url
    login("admin")

    page.get_by_role("button", name="组织与用户").click()
    page.get_by_role("link", name="接口令牌").click()
    page.get_by_label("集成名称").click()
    page.get_by_label("集成名称").fill("区网格化管理平台")
    page.get_by_label("组织范围").select_option(label=str(town))
    page.get_by_label("允许写入（提交需求、进展报告、结题成效和流程操作）").check()
    page.get_by_role("button", name="创建令牌").click()
    key = page.get_by_test_id("key").inner_text().strip()
    token = ApiToken.objects.get()
    assert key.startswith(token.prefix) and token.can_write and key not in token.key_hash
    screenshot("api-tokens-new-key")

    # The key works; its use shows on the token's page.
    request = urllib.request.Request(f"{url}/api/v1/organizations/", headers={"Authorization": f"Bearer {key}"})
    with urllib.request.urlopen(request) as answer:
        assert answer.status == 200
    page.goto(f"{url}/integrations/tokens/")
    expect(page.get_by_test_id("new-key")).to_have_count(0)
    page.get_by_role("link", name="区网格化管理平台").click()
    expect(page.get_by_test_id("requests")).to_contain_text("/api/v1/organizations/")

    page.get_by_label("接收地址").click()
    page.get_by_label("接收地址").fill("https://grid.example.org/hooks/projectize")
    page.get_by_label("项目结题").check()
    page.get_by_role("button", name="添加订阅").click()
    expect(page.get_by_test_id("subscriptions")).to_contain_text("https://grid.example.org/hooks/projectize")
    assert WebhookSubscription.objects.get().events == ["need.received", "project.concluded"]
    screenshot("api-token-detail")

    # A failed delivery, so the deliveries page shows a result and an error.
    WebhookDelivery.objects.create(
        subscription=WebhookSubscription.objects.get(),
        event="need.received",
        result=DeliveryResult.FAILED,
        attempts=4,
        error="[Errno 111] Connection refused",
    )
    # What the whole-site check asks of every page (tests/e2e/crawl.py), in both languages.
    detail = page.url
    for language in ("zh-hans", "en"):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": url}])
        for address in (f"{url}/integrations/tokens/", detail, f"{url}/integrations/deliveries/"):
            page.goto(address)
            problems = page_problems(page, language=language[:2], user_data=UserData(), counts=Counts())
            assert problems == [], (address, language, problems)
    page.context.add_cookies([{"name": "django_language", "value": "zh-hans", "url": url}])
    page.goto(detail)

    page.get_by_role("button", name="吊销令牌").click()
    expect(page.get_by_text("已吊销").first).to_be_visible()
    token.refresh_from_db()
    assert token.revoked_at is not None

    # In English.
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": url}])
    page.goto(f"{url}/integrations/tokens/")
    expect(page.get_by_role("heading", name="API tokens")).to_be_visible()
    expect(page.get_by_role("button", name="Create token")).to_be_visible()
    screenshot("api-tokens-english")


def test_the_api_reference_page_renders_from_our_own_files(page, live_server, screenshot):
    blocked: list[str] = []
    page.on(
        "console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None
    )
    outside: list[str] = []
    page.on("request", lambda request: None if request.url.startswith(live_server.url) else outside.append(request.url))
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.locator("h3[data-tag='open']").click()
    expect(page.get_by_text("/api/v1/open/outcomes/", exact=True).first).to_be_visible(timeout=20000)
    page.get_by_text("/api/v1/open/outcomes/", exact=True).first.click()
    expect(page.get_by_text("Responses").first).to_be_visible()
    screenshot("api-reference")
    assert not blocked and not outside

"""The error pages in a real browser: readable on a phone and a laptop, in Chinese and English."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PATHS = {"403": "/forbidden/", "404": "/no-such-page/", "500": "/broken/", "503": "/database-down/"}


@pytest.fixture(autouse=True)
def _production(settings, live_server):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.core.error_urls"
    settings.ALLOWED_HOSTS = ["localhost"]


@pytest.mark.parametrize(("language", "home"), [("zh-hans", "返回首页"), ("en", "Back to home")])
@pytest.mark.parametrize("width", [390, 1366])
def test_error_pages_lead_back_home(page, live_server, screenshot, language, home, width):
    page.set_viewport_size({"width": width, "height": 800})
    for host in ("localhost", "127.0.0.1"):
        page.context.add_cookies([{"name": "django_language", "value": language, "domain": host, "path": "/"}])
    # A host the site does not serve is a bad request (400).
    response = page.goto(live_server.url.replace("localhost", "127.0.0.1") + "/")
    assert response is not None and response.status == 400
    screenshot(f"error-400-{language}-{width}")
    for status, path in PATHS.items():
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == int(status)
        screenshot(f"error-{status}-{language}-{width}")
        page.get_by_role("link", name=home).click()
        page.wait_for_load_state()
        assert page.url.startswith(live_server.url) and path not in page.url

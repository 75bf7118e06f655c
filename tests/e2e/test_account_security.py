"""In a real browser: a town admin sets up the authenticator and signs in with it; an expired password
must be changed first, and an old one is refused beside the field."""

import datetime
import re
import time
from base64 import b32decode

import pytest
import time_machine
from django.utils import timezone
from django_otp.oath import totp
from playwright.sync_api import expect

from projectize.orgs.models import PasswordRecord, Role
from tests.factories import PASSWORD, make_root, user_with_role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# "新密码" alone, not "新密码确认" (a required field's label ends with an asterisk).
NEW_PASSWORD = re.compile(r"^新密码\s*\*?$")


@pytest.fixture
def admin():
    user = user_with_role(Role.TOWN_ADMIN, make_root(), username="wang", last_name="王", first_name="书记")
    user.set_password(PASSWORD)  # recorded in the password history, as every real account is
    user.save()
    return user


def sign_in(page, live_server, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名或手机号").click()
    page.get_by_label("用户名或手机号").press_sequentially(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def sign_out(page) -> None:
    page.get_by_role("button", name="王书记").or_(page.get_by_role("link", name="王书记")).click()
    page.get_by_role("button", name="退出登录").click()


def type_code(page, code: str) -> None:
    page.get_by_label("验证码").click()
    page.get_by_label("验证码").press_sequentially(code)


def test_an_admin_required_to_use_an_authenticator_sets_it_up_and_signs_in_with_it(
    page, live_server, settings, admin, screenshot
):
    settings.OTP_REQUIRED_ROLES = ["town_admin", "finance"]
    sign_in(page, live_server, "wang")
    expect(page.get_by_role("heading", name="设置两步验证")).to_be_visible()
    expect(page.get_by_test_id("otp-required")).to_be_visible()
    expect(page.get_by_role("img", name="两步验证设置二维码")).to_be_visible()
    screenshot("otp-setup-zh-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("otp-setup-zh-390")
    page.set_viewport_size({"width": 1280, "height": 900})

    # The phone scans the code; the test computes what the authenticator app would show.
    key = b32decode(page.get_by_test_id("otp-secret").inner_text().replace(" ", ""))
    type_code(page, "000000")
    page.get_by_role("button", name="确认开启").click()
    expect(page.get_by_test_id("error-token")).to_have_text("验证码不正确。请输入验证器里这个账号当前显示的 6 位数字。")
    page.get_by_label("验证码").fill("")
    type_code(page, f"{totp(key):06d}")
    page.get_by_role("button", name="确认开启").click()
    expect(page.get_by_role("alert").filter(has_text="已开启两步验证")).to_be_visible()
    assert page.url == f"{live_server.url}/"

    sign_out(page)
    # The next 30-second step, so the authenticator shows a new code (a code is good only once).
    with time_machine.travel(time.time() + 30, tick=True):
        sign_in(page, live_server, "wang")
        expect(page.get_by_role("heading", name="两步验证")).to_be_visible()
        screenshot("otp-verify-zh-1366")
        page.set_viewport_size({"width": 390, "height": 844})
        screenshot("otp-verify-zh-390")
        type_code(page, f"{totp(key):06d}")
        page.get_by_role("button", name="验证并登录").click()
        page.wait_for_url(f"{live_server.url}/")

        # The same pages in English.
        page.set_viewport_size({"width": 1366, "height": 900})
        page.get_by_test_id("lang-switch").click()
        page.goto(f"{live_server.url}/accounts/authenticator/")
        expect(page.get_by_role("heading", name="Set up two-step verification")).to_be_visible()
        screenshot("otp-setup-en-1366")
        page.set_viewport_size({"width": 390, "height": 844})
        screenshot("otp-setup-en-390")
        page.goto(f"{live_server.url}/accounts/login/code/")
        expect(page.get_by_role("heading", name="Two-step verification")).to_be_visible()
        screenshot("otp-verify-en-390")
        page.set_viewport_size({"width": 1366, "height": 900})
        screenshot("otp-verify-en-1366")


def test_an_expired_password_is_changed_first_and_an_old_one_is_refused(page, live_server, settings, admin, screenshot):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    PasswordRecord.objects.filter(user=admin).update(set_at=timezone.now() - datetime.timedelta(days=91))
    sign_in(page, live_server, "wang")
    expect(page.get_by_test_id("password-expired")).to_have_text("您的密码已使用超过 90 天，请先设置新密码再继续。")
    page.goto(f"{live_server.url}/orgs/")
    expect(page.get_by_role("heading", name="修改密码")).to_be_visible()

    page.get_by_label("旧密码").fill(PASSWORD)
    page.get_by_label(NEW_PASSWORD).fill(PASSWORD)
    page.get_by_label("新密码确认").fill(PASSWORD)
    page.get_by_role("button", name="保存新密码").click()
    expect(page.get_by_test_id("error-new_password1")).to_contain_text(["不能与最近 3 次用过的密码相同。"])
    screenshot("password-expired-reuse-zh-1366")

    page.get_by_label("旧密码").fill(PASSWORD)
    page.get_by_label(NEW_PASSWORD).fill("Xinqiao-new-2027")
    page.get_by_label("新密码确认").fill("Xinqiao-new-2027")
    page.get_by_role("button", name="保存新密码").click()
    expect(page.get_by_text("密码已修改。")).to_be_visible()
    page.goto(f"{live_server.url}/orgs/")
    expect(page.get_by_role("heading", name="修改密码")).not_to_be_visible()

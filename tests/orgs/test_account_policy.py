"""The account policy (等保 2.0): strong passwords, no reuse, expiry, idle sessions, a second factor."""

import datetime

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from projectize.core.models import ActivityLog
from projectize.orgs.models import PasswordRecord, Role
from projectize.orgs.views import OTP_SETUP_KEY
from tests.factories import PASSWORD, make_org, make_root, user_with_role

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def wang():
    return user_with_role(Role.TOWN_ADMIN, make_root(), username="wang")


def change(client, old: str, new: str):
    return client.post("/accounts/password/", {"old_password": old, "new_password1": new, "new_password2": new})


def field_errors(response, name: str) -> list[str]:
    return response.context["form"].errors.get(name, [])


def test_a_password_needs_three_kinds_of_characters(client, wang):
    client.force_login(wang)
    refused = change(client, PASSWORD, "xinqiaozhen2026")
    assert "密码须包含大写字母、小写字母、数字、符号中的至少 3 类。" in field_errors(refused, "new_password1")
    assert change(client, PASSWORD, "Xinqiaozhen2026").status_code == 302


def test_a_short_password_is_refused(client, wang):
    client.force_login(wang)
    refused = change(client, PASSWORD, "Xq-2026")
    assert "密码至少要有 8 个字符。" in field_errors(refused, "new_password1")


@override_settings(PASSWORD_HISTORY=3)
def test_none_of_the_last_three_passwords_may_be_used_again(client, wang):
    wang.set_password(PASSWORD)  # as every real account gets its password, so it is recorded
    wang.save()
    client.force_login(wang)
    assert change(client, PASSWORD, "Second-pass-1").status_code == 302
    assert change(client, "Second-pass-1", "Third-pass-2").status_code == 302
    for old in (PASSWORD, "Second-pass-1", "Third-pass-2"):
        refused = change(client, "Third-pass-2", old)
        assert "不能与最近 3 次用过的密码相同。" in field_errors(refused, "new_password1")
    # A fourth password pushes the first one out of the history.
    assert change(client, "Third-pass-2", "Fourth-pass-3").status_code == 302
    assert PasswordRecord.objects.filter(user=wang).count() == 3
    assert change(client, "Fourth-pass-3", "Second-pass-1").status_code == 200
    assert change(client, "Fourth-pass-3", PASSWORD).status_code == 302
    assert ActivityLog.objects.filter(action="user.change_password", actor=wang).count() == 4


@override_settings(PASSWORD_MAX_AGE_DAYS=90)
def test_an_expired_password_must_be_changed_before_anything_else(client, wang):
    wang.date_joined = START
    wang.save()
    with time_machine.travel(START + datetime.timedelta(days=91), tick=False):
        assert client.post("/accounts/login/", {"username": "wang", "password": PASSWORD}).status_code == 302
        response = client.get("/orgs/")
        assert response.status_code == 302 and response["Location"] == "/accounts/password/?next=%2Forgs%2F"
        page = client.get(response["Location"])
        assert "您的密码已使用超过 90 天，请先设置新密码再继续。" in page.content.decode()
        assert change(client, PASSWORD, "Brand-new-2026").status_code == 302
        assert client.get("/orgs/").status_code == 200
        assert PasswordRecord.objects.get(user=wang).set_at == timezone.now()


@override_settings(PASSWORD_MAX_AGE_DAYS=90)
def test_a_recent_password_is_not_asked_for(client, wang):
    wang.date_joined = START
    wang.save()
    with time_machine.travel(START + datetime.timedelta(days=89), tick=False):
        client.post("/accounts/login/", {"username": "wang", "password": PASSWORD})
        assert client.get("/orgs/").status_code == 200


@override_settings(SESSION_IDLE_MINUTES=30)
def test_an_idle_session_ends(client, wang):
    with time_machine.travel(START, tick=False) as clock:
        client.post("/accounts/login/", {"username": "wang", "password": PASSWORD})
        clock.shift(datetime.timedelta(minutes=29))
        assert client.get("/orgs/").status_code == 200  # activity restarts the count
        clock.shift(datetime.timedelta(minutes=29))
        assert client.get("/orgs/").status_code == 200
        clock.shift(datetime.timedelta(minutes=31))
        response = client.get("/orgs/", follow=True)
        assert response.redirect_chain[0][0] == "/accounts/login/?next=%2Forgs%2F"
        assert "您已超过 30 分钟没有操作，为安全起见请重新登录。" in response.content.decode()
        assert "_auth_user_id" not in client.session


def test_an_idle_session_opening_the_sign_in_page_signs_in_again_without_a_detour(client, wang):
    with time_machine.travel(START, tick=False) as clock:
        client.post("/accounts/login/", {"username": "wang", "password": PASSWORD})
        clock.shift(datetime.timedelta(minutes=31))
        response = client.get("/accounts/login/")
        assert response.status_code == 200 and "_auth_user_id" not in client.session
        response = client.post("/accounts/login/", {"username": "wang", "password": PASSWORD})
        assert response.status_code == 302 and response["Location"] == "/"


def current_code(key: str) -> str:
    return f"{totp(TOTPDevice(key=key).bin_key):06d}"


@override_settings(OTP_REQUIRED_ROLES=["town_admin", "finance"])
def test_a_town_admin_must_set_up_and_then_use_the_authenticator(client, wang):
    secretary = user_with_role(Role.SECRETARY, make_root("另一镇党委"), username="li")
    with time_machine.travel(START, tick=False) as clock:
        client.post("/accounts/login/", {"username": "wang", "password": PASSWORD})
        response = client.get("/orgs/")
        assert response["Location"] == "/accounts/authenticator/?next=%2Forgs%2F"
        assert client.get("/accounts/login/code/")["Location"].startswith("/accounts/authenticator/")
        page = client.get(response["Location"])
        assert "按镇党委的安全要求，您的账号须开启两步验证后才能继续使用。" in page.content.decode()
        assert 'src="data:image/svg+xml' in page.content.decode()
        key = client.session[OTP_SETUP_KEY]

        wrong = client.post("/accounts/authenticator/", {"token": "000000", "next": "/orgs/"})
        assert "验证码不正确。请输入验证器里这个账号当前显示的 6 位数字。" in field_errors(wrong, "token")
        assert not TOTPDevice.objects.filter(user=wang).exists()
        done = client.post("/accounts/authenticator/", {"token": current_code(key), "next": "/orgs/"})
        assert done["Location"] == "/orgs/"
        assert TOTPDevice.objects.get(user=wang).confirmed
        assert client.get("/orgs/").status_code == 200
        assert ActivityLog.objects.filter(action="user.totp_enable", actor=wang).exists()

        # The next sign-in asks for the code; the page that sets up a new authenticator stays closed.
        client.post("/accounts/logout/")
        clock.shift(datetime.timedelta(minutes=5))
        client.post("/accounts/login/", {"username": "wang", "password": PASSWORD})
        assert client.get("/orgs/")["Location"] == "/accounts/login/code/?next=%2Forgs%2F"
        code_page = client.get("/accounts/login/code/?next=%2Forgs%2F").content.decode()
        assert "退出登录" in code_page and 'href="/orgs/users/"' not in code_page  # no menus until verified
        assert client.get("/accounts/authenticator/")["Location"].startswith("/accounts/login/code/")
        wrong = client.post("/accounts/login/code/", {"token": "123456"})
        assert "验证码不正确或已过期，请输入验证器当前显示的 6 位数字。" in field_errors(wrong, "token")
        too_soon = client.post("/accounts/login/code/", {"token": current_code(key)})
        assert "错误次数过多，请稍等片刻再输入。" in field_errors(too_soon, "token")
        clock.shift(datetime.timedelta(seconds=2))  # a wrong code makes the next try wait a second
        code = current_code(key)
        assert client.post("/accounts/login/code/", {"token": code, "next": "/orgs/"})["Location"] == "/orgs/"
        assert client.get("/orgs/").status_code == 200

        # A code is good once: signing in again within the same 30 seconds needs the next one.
        client.post("/accounts/logout/")
        client.post("/accounts/login/", {"username": "wang", "password": PASSWORD})
        assert "token" in client.post("/accounts/login/code/", {"token": code}).context["form"].errors

    # A secretary is not asked for a second factor.
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"username": secretary.username, "password": PASSWORD})
    assert client.get("/notifications/").status_code == 200


def test_a_town_admin_resets_a_lost_authenticator(client, wang):
    town = wang.grants.get().organization
    secretary = user_with_role(Role.SECRETARY, make_org(town, "春申居民区党总支"), username="li")
    TOTPDevice.objects.create(user=secretary, name="TOTP", confirmed=True)

    colleague = user_with_role(Role.SECRETARY, make_org(town, "新桥村党总支"), username="zhao")
    client.force_login(colleague)  # only a town admin over the person may reset it
    assert client.post(f"/orgs/users/{secretary.pk}/authenticator/reset/").status_code in (403, 404)
    assert TOTPDevice.objects.filter(user=secretary).exists()

    client.force_login(wang)
    page = client.get(f"/orgs/users/{secretary.pk}/").content.decode()
    assert "已开启" in page and "重置两步验证" in page
    client.post(f"/orgs/users/{secretary.pk}/authenticator/reset/")
    assert not TOTPDevice.objects.filter(user=secretary).exists()
    assert ActivityLog.objects.filter(action="user.totp_reset", actor=wang).exists()
    assert "未开启" in client.get(f"/orgs/users/{secretary.pk}/").content.decode()

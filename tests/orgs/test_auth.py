"""Login by username or mobile, lockout after repeated failures, logout, password change."""

import pytest
from django.test import override_settings

from projectize.orgs.models import Role
from tests.factories import PASSWORD, make_root, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def wang():
    return user_with_role(Role.TOWN_ADMIN, make_root(), username="wang", mobile="13912345678")


def log_in(client, login, password=PASSWORD):
    return client.post("/accounts/login/", {"username": login, "password": password})


@pytest.mark.parametrize("login", ["wang", "WANG", "13912345678"])
def test_it_logs_in_by_username_or_mobile(client, wang, login):
    response = log_in(client, login)
    assert response.status_code == 302 and response["Location"] == "/"
    assert int(client.session["_auth_user_id"]) == wang.pk


def test_a_wrong_password_says_how_many_tries_are_left(client, wang):
    response = log_in(client, "wang", "wrong")
    assert response.status_code == 200
    assert "用户名或密码不正确。再错 4 次，账号将被锁定。" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_inactive_user_cannot_log_in(client, wang):
    wang.is_active = False
    wang.save()
    assert log_in(client, "wang").status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_signed_in_person_is_read_afresh_at_each_request(client, wang):
    assert log_in(client, "wang").status_code == 302
    assert client.get("/").context["user"] == wang
    wang.refresh_from_db()  # as signing in left it
    wang.first_name = "晓明"
    wang.save()
    assert client.get("/").context["user"].first_name == "晓明"
    # Deactivated meanwhile: the next request is a visitor's, sent to sign in.
    wang.is_active = False
    wang.save()
    response = client.get("/projects/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@override_settings(LOGIN_FAILURE_LIMIT=3, LOGIN_LOCKOUT_MINUTES=15)
def test_repeated_failures_lock_the_login_even_with_the_right_password(client, wang):
    for _ in range(2):
        log_in(client, "wang", "wrong")
    locked = log_in(client, "wang", "wrong")
    message = "登录失败次数过多，账号已锁定 15 分钟，请稍后再试或联系镇党委管理员。"
    assert message in locked.content.decode()
    right = log_in(client, "wang")
    assert right.status_code == 200 and message in right.content.decode()
    assert "_auth_user_id" not in client.session
    # Another login name is not affected.
    user_with_role(Role.SECRETARY, make_root("另一镇党委"), username="li")
    assert log_in(client, "li").status_code == 302


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_the_lock_counts_unknown_names_too_and_a_success_resets_the_count(client, wang):
    for _ in range(3):
        log_in(client, "nobody", "x")
    assert "账号已锁定" in log_in(client, "nobody", "x").content.decode()
    log_in(client, "wang", "wrong")
    log_in(client, "wang", "wrong")
    assert log_in(client, "wang").status_code == 302
    client.logout()
    # The two earlier failures were forgotten at the successful login.
    assert "再错 2 次" in log_in(client, "wang", "wrong").content.decode()


def test_lockout_expires(client, wang, settings):
    import time_machine

    settings.LOGIN_FAILURE_LIMIT = 2
    settings.LOGIN_LOCKOUT_MINUTES = 1
    with time_machine.travel("2026-07-01 09:00 +0800", tick=False) as traveller:
        log_in(client, "wang", "wrong")
        log_in(client, "wang", "wrong")
        assert "账号已锁定" in log_in(client, "wang").content.decode()
        traveller.shift(61)
        assert log_in(client, "wang").status_code == 302


def test_logout_ends_the_session(client, wang):
    log_in(client, "wang")
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert client.get("/").status_code == 302


def test_password_change_checks_the_old_password_and_the_new_one(client, wang):
    log_in(client, "wang")
    wrong = client.post(
        "/accounts/password/",
        {"old_password": "nope", "new_password1": "Fresh-pass-2026", "new_password2": "Fresh-pass-2026"},
    )
    assert "old_password" in wrong.context["form"].errors
    weak = client.post(
        "/accounts/password/", {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"}
    )
    assert "new_password1" in weak.context["form"].errors
    done = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "Fresh-pass-2026", "new_password2": "Fresh-pass-2026"},
    )
    assert done.status_code == 302 and done["Location"] == "/accounts/password/done/"
    assert client.get("/").status_code == 200  # still logged in after the change
    client.logout()
    assert log_in(client, "wang").status_code == 200
    assert log_in(client, "13912345678", "Fresh-pass-2026").status_code == 302
